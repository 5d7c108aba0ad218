/**
 * examples/php/app.php, run as a real process (it checks its configuration, then becomes PHP's
 * built-in server): the one endpoint contract over HTTP (tokens checked with the project's
 * verifier), and the configurations it must refuse at start. Fails, never skips, when php-cli is
 * missing.
 */
import { endpointContract } from '../server/helpers/endpoint-contract.js';
import { exampleTarget } from './helpers/example-targets.js';
import { startupChecks } from './helpers/startup-checks.js';

endpointContract(exampleTarget('php'));
startupChecks('php');

/**
 * examples/python/app.py, run as a real process: the one endpoint contract over HTTP (tokens
 * checked with the project's verifier), and the configurations it must refuse at start. Fails,
 * never skips, when Python or PyJWT (python3-jwt) is missing.
 */
import { endpointContract } from '../server/helpers/endpoint-contract.js';
import { exampleTarget } from './helpers/example-targets.js';
import { startupChecks } from './helpers/startup-checks.js';

endpointContract(exampleTarget('python'));
startupChecks('python');

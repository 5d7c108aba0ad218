/**
 * examples/ruby/app.rb, run as a real process: the token endpoint wire contract of docs/token-endpoint.md
 * over HTTP (tokens checked with the project's verifyEmbedToken), and the configurations it
 * must refuse at start. Fails, never skips, when Ruby or ruby-jwt is missing.
 */
import { startupChecks } from './helpers/startup-checks.js';
import { wireContract } from './helpers/wire-contract.js';
import { exampleServer } from './helpers/wire-servers.js';

wireContract(exampleServer('ruby'));
startupChecks('ruby');

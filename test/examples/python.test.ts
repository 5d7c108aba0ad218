/**
 * examples/python/app.py, run as a real process: the token endpoint wire contract of docs/token-endpoint.md
 * over HTTP (tokens checked with the project's verifyEmbedToken), and the configurations it
 * must refuse at start. Fails, never skips, when Python or PyJWT (python3-jwt) is missing.
 */
import { startupChecks } from './helpers/startup-checks.js';
import { wireContract } from './helpers/wire-contract.js';
import { exampleServer } from './helpers/wire-servers.js';

wireContract(exampleServer('python'));
startupChecks('python');

/**
 * The wire contract of docs/token-endpoint.md against the project's own endpoint
 * (`createTokenHandler` under `node:http`), configured like the Python and Ruby examples: what
 * the document says is what the TypeScript implementation does.
 */
import { wireContract } from './helpers/wire-contract.js';
import { typescriptServer } from './helpers/wire-servers.js';

wireContract(typescriptServer());

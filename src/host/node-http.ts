/**
 * How the host is served over Node's HTTP, taken from the server code (with `token-verifier.ts`,
 * one of the host's two doors to it): `toNodeHandler` from the server's Node entry, which serves
 * a Fetch-API handler on `node:http`, and the light `Response` it writes in one go
 * (`rawResponse`): one type and symbol for the token endpoint's answers and the host's.
 * @module
 */
export { toNodeHandler } from '../server/node/index.js';
/** The light `Response` `toNodeHandler` writes in one go: one type and symbol for the endpoint's answers and the host's. */
export { rawResponse } from '../server/raw-response.js';

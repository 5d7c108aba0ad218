/**
 * Kept for `src/host` only, which still imports `secretBytes` from this path: code outside
 * `src/server` imports from `index.ts` (which exports `secretBytes` too). Delete this file once
 * the host's imports go through `index.ts`.
 * @module
 */
export { secretBytes } from './token/secret.js';

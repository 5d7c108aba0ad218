/**
 * Pure code shared by the browser element and the server side: payload shape, env rules, limits.
 * Imports nothing outside this folder, so both sides may depend on it.
 * @module
 */
export * from './limits.js';
export * from './env.js';
export * from './claims.js';
export * from './frame-messages.js';

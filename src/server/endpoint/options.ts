/**
 * Checks {@link TokenHandlerOptions} once, at construction, so a misconfigured endpoint fails
 * when the application starts (a clear `TypeError`) rather than on its first request.
 * @module
 */
import {
  DEFAULT_MAX_BODY_BYTES,
  MAX_TTL_SECONDS,
  MIN_TTL_SECONDS,
  isHiddenVariableName,
  isPositiveId,
} from '../../protocol/index.js';
import type { EmbedRequest, EmbedSigner, EnvInput, TokenAnswer, TokenHandlerOptions } from '../types.js';
import { allowedOriginSet } from './origin-check.js';

/** The options after checking, in the shapes the request path wants. */
export interface EndpointConfig {
  readonly signer: EmbedSigner;
  /** A set for an allowlist, or the application's own decision function. */
  readonly dashboards: ReadonlySet<number> | ((dashboard: number, request: EmbedRequest) => boolean | Promise<boolean>);
  readonly filters: ReadonlySet<string>;
  readonly lockedEnv: ((request: EmbedRequest) => EnvInput | null | Promise<EnvInput | null>) | undefined;
  /** Lower-case origins that may ask (and get CORS headers); `undefined`: the request's own only. */
  readonly allowedOrigins: ReadonlySet<string> | undefined;
  readonly maxBodyBytes: number;
  readonly ttl: number | undefined;
  readonly onError: (error: unknown, request: EmbedRequest) => void;
  readonly onAnswer: ((answer: TokenAnswer) => void) | undefined;
}

/**
 * Validates the options of `createTokenHandler`, throwing a `TypeError` that names the option
 * and says what is expected.
 *
 * @example
 * const config = checkTokenHandlerOptions({ signer, dashboards: [38727], filters: ['DATE_RANGE'] });
 */
export function checkTokenHandlerOptions(options: TokenHandlerOptions): EndpointConfig {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('createTokenHandler needs an options object: { signer, dashboards, filters }.');
  }
  const { signer, dashboards, filters, lockedEnv, allowedOrigins, maxBodyBytes, ttl, onError, onAnswer } = options;
  if (signer === null || typeof signer !== 'object' || typeof signer.sign !== 'function') {
    throw new TypeError('createTokenHandler: signer is required; pass the result of createEmbedSigner({ secret, organization }).');
  }
  return {
    signer,
    dashboards: checkDashboards(dashboards),
    filters: checkFilters(filters),
    lockedEnv: checkFunction(lockedEnv, 'lockedEnv', 'a function (request) => env | null'),
    allowedOrigins: allowedOrigins === undefined ? undefined : allowedOriginSet(allowedOrigins),
    maxBodyBytes: checkMaxBodyBytes(maxBodyBytes),
    ttl: checkTtl(ttl),
    onError: checkFunction(onError, 'onError', 'a function (error, request) => void') ?? logMessageOnly,
    onAnswer: checkFunction(onAnswer, 'onAnswer', 'a function ({ status, code, durationSeconds, token, request }) => void'),
  };
}

function checkDashboards(dashboards: TokenHandlerOptions['dashboards']): EndpointConfig['dashboards'] {
  if (typeof dashboards === 'function') return dashboards;
  if (!Array.isArray(dashboards)) {
    throw new TypeError(
      'createTokenHandler: dashboards must be an array of dashboard ids (like [38727]) or a function (id, request) => boolean.',
    );
  }
  if (dashboards.length === 0) {
    throw new TypeError('createTokenHandler: dashboards is empty, so no dashboard could ever be embedded; list the ids browsers may ask for.');
  }
  for (const id of dashboards) {
    if (!isPositiveId(id)) {
      throw new TypeError(`createTokenHandler: dashboards must hold positive integer ids; ${JSON.stringify(id) ?? String(id)} is not one.`);
    }
  }
  return new Set(dashboards);
}

function checkFilters(filters: TokenHandlerOptions['filters']): ReadonlySet<string> {
  if (!Array.isArray(filters)) {
    throw new TypeError(
      'createTokenHandler: filters must be an array of the Hidden Variable names browsers may set (like ["DATE_RANGE"]); use [] for none.',
    );
  }
  for (const name of filters) {
    if (typeof name !== 'string' || !isHiddenVariableName(name)) {
      throw new TypeError(
        `createTokenHandler: filters holds ${JSON.stringify(name) ?? String(name)}, which is not a Hidden Variable name (upper snake case, like DATE_RANGE).`,
      );
    }
  }
  return new Set(filters);
}

function checkMaxBodyBytes(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new TypeError(`createTokenHandler: maxBodyBytes must be a positive integer number of bytes (default ${DEFAULT_MAX_BODY_BYTES}); got ${String(value)}.`);
  }
  return value;
}

function checkTtl(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < MIN_TTL_SECONDS || value > MAX_TTL_SECONDS) {
    throw new TypeError(
      `createTokenHandler: ttl must be a whole number of seconds from ${MIN_TTL_SECONDS} to ${MAX_TTL_SECONDS} (24 h); got ${String(value)}.`,
    );
  }
  return value;
}

function checkFunction<T>(value: T | undefined, name: string, expected: string): T | undefined {
  if (value === undefined || typeof value === 'function') return value;
  throw new TypeError(`createTokenHandler: ${name} must be ${expected}.`);
}

/**
 * The default `onError`: one line with the error's message. Never the stack or the error object,
 * whose properties might hold request data; never the secret, which no message of ours carries.
 */
function logMessageOnly(error: unknown): void {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(`chartio-embed token endpoint: ${message}`);
}

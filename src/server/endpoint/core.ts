/**
 * The token endpoint's logic, independent of how the request arrived. Adapters hand it a small
 * {@link EndpointInput} (method, a header getter, the request's own origin, a bounded body reader)
 * and write back the {@link EndpointResult} it returns. The Fetch handler (token-handler.ts)
 * adapts every `Request` to it, the Node listener's lazy ones included.
 *
 * Checks run in this order, each answering with its own status and code: method (405), origin
 * (403), content type (415), body size (413), JSON (400), shape (400), session (401), dashboard
 * (403), filter names then values (400). `fresh: true` in the body signs a token issued now, past
 * the reuse window and memo (docs/token-endpoint.md, "Fresh tokens"). With `allowedOrigins`, an `OPTIONS` that passes the
 * origin check is a CORS preflight (204), and answers to a listed origin carry CORS headers
 * (cors.ts). Anything unexpected is a generic 500 whose detail goes to `onError`, never to the
 * client.
 * @module
 */
import { combineEnv, isPositiveId, normalizeEnv, type Env } from '../../protocol/index.js';
import { isJsonContentType } from './content-type.js';
import { checkTokenHandlerOptions, type EndpointConfig } from './options.js';
import { PREFLIGHT, corsHeaders } from './cors.js';
import {
  INTERNAL_ERROR,
  METHOD_NOT_ALLOWED,
  METHOD_NOT_ALLOWED_CORS,
  UNAUTHENTICATED,
  UNSUPPORTED_MEDIA_TYPE,
  bodyTooLarge,
  errorResult,
  printable,
  tokenResult,
  type EndpointResult,
} from './response.js';
import { createOriginCheck, type OriginInput } from './origin-check.js';
import { BodyReadError } from './read-stream-body.js';
import { signNormalized } from '../token/sign-normalized.js';
import type { EmbedRequest, TokenHandlerOptions } from '../types.js';

/** What an adapter gives the core for one request. */
export interface EndpointInput extends OriginInput {
  /** The HTTP method, upper case as sent. */
  readonly method: string;
  /** Reads the body as UTF-8 text, throwing a `BodyReadError` past `limit` bytes. */
  readBody(limit: number): Promise<string>;
  /**
   * When an upstream parser already turned the body into a value (Express's `express.json()`),
   * `{ value }`; otherwise `undefined` and the core calls `readBody`.
   */
  readonly parsedBody: { readonly value: unknown } | undefined;
  /** The view handed to `lockedEnv`, a `dashboards` function and `onError`. */
  readonly request: EmbedRequest;
}

/** The endpoint's logic bound to one set of options. */
export interface EndpointCore {
  /** Answers one request. Never rejects: every failure becomes an answer. */
  handle(input: EndpointInput): Promise<EndpointResult>;
}

const BODY_FIELDS = new Set(['dashboard', 'filters', 'fresh']);
const NO_ENV: Env = Object.freeze({});
const NO_FILTERS: Readonly<{ env: Env; json: string }> = Object.freeze({ env: NO_ENV, json: '{}' });

const INVALID_JSON = errorResult(
  400,
  'invalid_json',
  'The body is not valid JSON; send an object like {"dashboard": 38727, "filters": {"DATE_RANGE": ["2014-02-11", "2015-02-11"]}}.',
);
const EMPTY_BODY = errorResult(
  400,
  'invalid_json',
  'The body is empty; send an object like {"dashboard": 38727, "filters": {}}.',
);
const NOT_UTF8 = errorResult(400, 'invalid_json', 'The body is not valid UTF-8; JSON must be sent as UTF-8.');
const UNREADABLE = errorResult(400, 'invalid_request', 'The request body could not be read to its end.');
const NOT_AN_OBJECT = errorResult(
  400,
  'invalid_request',
  'The body must be a JSON object like {"dashboard": 38727, "filters": {}}.',
);
const BAD_DASHBOARD = errorResult(
  400,
  'invalid_request',
  '"dashboard" must be a positive integer dashboard id, like 38727.',
);
const BAD_FRESH = errorResult(
  400,
  'invalid_request',
  '"fresh" must be true or false, or be left out; send true only when the dashboard host refused the token you had.',
);
const BAD_FILTERS = errorResult(
  400,
  'invalid_request',
  '"filters" must be an object mapping Hidden Variable names to values, like {"DATE_RANGE": ["2014-02-11", "2015-02-11"]}, or be left out.',
);

/**
 * Checks the options (throwing `TypeError`s) and returns the core that answers requests.
 *
 * @example
 * const core = createEndpointCore({ signer, dashboards: [38727], filters: ['DATE_RANGE'] });
 * const { status, headers, body } = await core.handle(input);
 */
export function createEndpointCore(options: TokenHandlerOptions): EndpointCore {
  const config = checkTokenHandlerOptions(options);
  const checkOrigin = createOriginCheck(config.allowedOrigins);
  // CORS only with allowedOrigins: then OPTIONS (a preflight) is answered too.
  const withCors = config.allowedOrigins === undefined ? undefined : corsHeaders(config.allowedOrigins);
  const notAllowed = withCors === undefined ? METHOD_NOT_ALLOWED : METHOD_NOT_ALLOWED_CORS;
  const tooLarge = bodyTooLarge(config.maxBodyBytes);
  const allowedList = config.filters.size === 0 ? 'none' : [...config.filters].join(', ');
  // Names found both in `filters` and in a lockedEnv result: reported once each through onError.
  const reportedOverlaps = new Set<string>();

  async function run(input: EndpointInput): Promise<EndpointResult> {
    const preflight = input.method === 'OPTIONS' && withCors !== undefined;
    if (input.method !== 'POST' && !preflight) return notAllowed;
    const originProblem = checkOrigin(input);
    if (originProblem !== undefined) return originProblem;
    if (preflight) return PREFLIGHT;
    if (!isJsonContentType(input.header('content-type'))) return UNSUPPORTED_MEDIA_TYPE;
    // A declared length over the bound is refused before a single byte is read.
    const declared = input.header('content-length');
    if (declared !== null && Number(declared) > config.maxBodyBytes) return tooLarge;

    let body: unknown;
    if (input.parsedBody !== undefined) {
      body = input.parsedBody.value;
    } else {
      let text: string;
      try {
        text = await input.readBody(config.maxBodyBytes);
      } catch (error) {
        return bodyProblem(error);
      }
      if (text.length === 0) return EMPTY_BODY;
      try {
        body = JSON.parse(text);
      } catch {
        return INVALID_JSON;
      }
    }

    if (body === null || typeof body !== 'object' || Array.isArray(body)) return NOT_AN_OBJECT;
    for (const field of Object.keys(body)) {
      if (!BODY_FIELDS.has(field)) {
        return errorResult(
          400,
          'invalid_request',
          `Unknown field "${printable(field)}" in the body; only "dashboard", "filters" and "fresh" are read.`,
        );
      }
    }
    // Own properties only: JSON.parse makes every key own, and nothing inherited may count.
    const dashboard = Object.hasOwn(body, 'dashboard') ? (body as { dashboard: unknown }).dashboard : undefined;
    if (!isPositiveId(dashboard)) return BAD_DASHBOARD;
    const filters = Object.hasOwn(body, 'filters') ? (body as { filters: unknown }).filters : undefined;
    if (filters !== undefined && (filters === null || typeof filters !== 'object' || Array.isArray(filters))) {
      return BAD_FILTERS;
    }
    // `fresh: true`: the element's one retry after the host refused a token it had (expired,
    // key unknown, revoked). A reused token would be that same token: sign one issued now.
    const fresh = Object.hasOwn(body, 'fresh') ? (body as { fresh: unknown }).fresh : false;
    if (typeof fresh !== 'boolean') return BAD_FRESH;

    const request = input.request;
    let locked = NO_ENV;
    if (config.lockedEnv !== undefined) {
      const pending = config.lockedEnv(request);
      const session = isThenable(pending) ? await pending : pending;
      if (session === null) return UNAUTHENTICATED;
      locked = checkLocked(session, request);
    }

    const allowed = isDashboardAllowed(dashboard, request);
    if (!(typeof allowed === 'boolean' ? allowed : await allowed)) {
      return errorResult(
        403,
        'dashboard_not_allowed',
        `Dashboard ${dashboard} may not be embedded through this endpoint; add it to the dashboards option if it should.`,
      );
    }

    let fromBrowser = NO_FILTERS;
    if (filters !== undefined) {
      for (const name of Object.keys(filters)) {
        // Locked beats allowed: a name the session sets is refused even if it is also in `filters`.
        if (Object.hasOwn(locked, name)) {
          return errorResult(
            400,
            'filter_locked',
            `"${name}" is set by the server from the session and may not be sent by the browser; remove it from filters.`,
          );
        }
        if (!config.filters.has(name)) {
          return errorResult(
            400,
            'filter_not_allowed',
            `"${printable(name)}" is not a filter the browser may set here (allowed: ${allowedList}).`,
          );
        }
      }
      const normalized = normalizeEnv(filters);
      if (!normalized.ok) return errorResult(400, 'invalid_filter_value', normalized.problem.message);
      fromBrowser = normalized;
    }
    // The env is normalized once, here: the whole is checked again only for what adding the
    // locked values can break (the count and the size), and the signer takes it as it is.
    let env = fromBrowser;
    if (locked !== NO_ENV) {
      const combined = combineEnv(fromBrowser.env, locked);
      if (!combined.ok) return errorResult(400, 'invalid_filter_value', combined.problem.message);
      env = combined;
    }
    const { pending, reused } = signNormalized(config.signer, { dashboard, env: env.env, envJson: env.json, ttl: config.ttl, fresh });
    return tokenResult(await pending, reused);
  }

  function bodyProblem(error: unknown): EndpointResult {
    if (!(error instanceof BodyReadError)) throw error;
    switch (error.problem) {
      case 'too_large':
        return tooLarge;
      case 'not_utf8':
        return NOT_UTF8;
      case 'unreadable':
        return UNREADABLE;
      case 'consumed':
        // A middleware read the stream and left nothing behind: the application's setup, not the
        // client, is at fault, so this is a 500 whose message reaches the log.
        throw error;
    }
  }

  /** The session's values, checked like any env; a bad one is a server bug (500), never the client's. */
  function checkLocked(session: unknown, request: EmbedRequest): Env {
    // normalizeEnv takes `undefined` as "no variables": a lockedEnv that forgets to return must
    // not pass as a session with nothing locked.
    if (typeof session !== 'object') {
      throw new TypeError(`lockedEnv returned ${typeof session}; return an env object, or null for no session.`);
    }
    const normalized = normalizeEnv(session);
    if (!normalized.ok) {
      throw new TypeError(`lockedEnv returned an invalid env (return an env object, or null for no session): ${normalized.problem.message}`);
    }
    for (const name of Object.keys(normalized.env)) {
      if (config.filters.has(name) && !reportedOverlaps.has(name)) {
        reportedOverlaps.add(name);
        report(
          new TypeError(
            `"${name}" is both in filters and returned by lockedEnv; the browser's value is always refused, so remove it from filters.`,
          ),
          request,
        );
      }
    }
    return normalized.env;
  }

  /** A boolean when the answer is known at once (an allowlist, a synchronous function). */
  function isDashboardAllowed(dashboard: number, request: EmbedRequest): boolean | Promise<boolean> {
    const dashboards = config.dashboards;
    if (typeof dashboards !== 'function') return dashboards.has(dashboard);
    // Strictly `true`: a function that forgets to return (or returns a truthy object) denies.
    const pending = dashboards(dashboard, request);
    return isThenable(pending) ? Promise.resolve(pending).then((answer) => answer === true) : pending === true;
  }

  function report(error: unknown, request: EmbedRequest): void {
    try {
      config.onError(error, request);
    } catch {
      // A failing logger must not turn an answer into an unhandled rejection.
    }
  }

  /** Tells `onAnswer` about an answer; a hook that throws goes to `onError`, never to the client. */
  function tell(result: EndpointResult, startedAt: number, request: EmbedRequest): void {
    try {
      config.onAnswer?.({
        status: result.status,
        code: result.code,
        durationSeconds: (performance.now() - startedAt) / 1000,
        token: result.token,
        request,
      });
    } catch (error) {
      report(error, request);
    }
  }

  return {
    async handle(input) {
      const startedAt = config.onAnswer === undefined ? 0 : performance.now();
      let result: EndpointResult;
      try {
        result = await run(input);
      } catch (error) {
        report(error, input.request);
        result = INTERNAL_ERROR;
      }
      // Every answer to a listed origin carries the CORS headers, errors too: the element reads
      // their codes.
      if (withCors !== undefined) result = withCors(result, input.header('origin'));
      if (config.onAnswer !== undefined) tell(result, startedAt, input.request);
      return result;
    },
  };
}

/** Only real thenables are awaited, so a synchronous callback's answer costs no extra microtask. */
function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

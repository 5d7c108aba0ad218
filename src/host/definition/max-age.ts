/**
 * `maxAge`, as a dashboard file, host.json and `createDashboardHost` all write it: seconds a
 * token's page is served before its queries run again (in the background), or `"exp"` for the
 * original behaviour (one run per token, kept until the token expires). One check, so the three
 * places accept exactly the same values.
 * @module
 */
import { Type } from '@sinclair/typebox';
import type { MaxAge } from '../types.js';

/** `maxAge` in the dashboard file's and host.json's schemas: the same values {@link checkMaxAge} accepts. */
const MAX_AGE_PROBLEM = 'must be a whole number of seconds ≥ 1 (how old a page\'s data may be before its queries run again), or "exp" (kept until the token expires)';
export const MaxAgeSchema = Type.Union([Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, errorMessage: MAX_AGE_PROBLEM, must: MAX_AGE_PROBLEM.slice('must '.length) }), Type.Literal('exp', { errorMessage: MAX_AGE_PROBLEM, must: MAX_AGE_PROBLEM.slice('must '.length) })], {
  description: 'Seconds a token\'s page is served before its queries run again in the background, or "exp": kept until the token expires (default: the host\'s, 900).',
  errorMessage: MAX_AGE_PROBLEM,
  must: MAX_AGE_PROBLEM.slice('must '.length),
});

/** The host-wide default: fifteen minutes, as stale as a dashboard is unless it says otherwise. */
export const DEFAULT_MAX_AGE_SECONDS = 900;

/**
 * `value` as a max age, or a call to `fail(field, problem)` naming what is accepted.
 *
 * @example
 * checkMaxAge(60, 'maxAge', fail); // 60
 * checkMaxAge('exp', 'maxAge', fail); // 'exp'
 * checkMaxAge(0, 'maxAge', fail); // fail('maxAge', 'must be a whole number of seconds ≥ 1, or "exp" …')
 */
export function checkMaxAge(value: unknown, field: string, fail: (field: string, problem: string) => never): MaxAge {
  if (value === 'exp' || (Number.isSafeInteger(value) && (value as number) >= 1)) return value as MaxAge;
  return fail(field, `must be a whole number of seconds ≥ 1 (how old a page's data may be before its queries run again), or "exp" (kept until the token expires); got ${JSON.stringify(value) ?? String(value)}`);
}

/**
 * A max age in milliseconds, `undefined` for `"exp"` (never stale before the token expires).
 *
 * @example
 * maxAgeMs(900); // 900000
 * maxAgeMs('exp'); // undefined
 */
export function maxAgeMs(maxAge: MaxAge): number | undefined {
  return maxAge === 'exp' ? undefined : maxAge * 1000;
}

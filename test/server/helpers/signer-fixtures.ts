/**
 * Fixtures for the signer, verifier and CLI tests: secrets, a clock the test moves by hand,
 * tokens forged by hand with node:crypto (an HMAC implementation independent of the one under
 * test), and an assertion for `EmbedError`s that also checks no secret or token leaks.
 * @module
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { EmbedError, type EmbedErrorCode } from '../../../src/server/errors.js';

/** The organization's Embed Secret in these tests (48 bytes). */
export const SECRET = 'test-embed-secret-0123456789-abcdefghijklmnopqrs';
/** Another organization's secret. */
export const OTHER_SECRET = 'other-org-embed-secret-9876543210-zyxwvutsrqpon';
export const ORGANIZATION = 16417;
export const DASHBOARD = 38727;
/** 2026-01-01T00:00:00Z: a round hour, so reuse windows start exactly here. */
export const T0 = Date.UTC(2026, 0, 1);

/**
 * A clock that moves only when the test says so.
 *
 * @example
 * const clock = manualClock(T0);
 * createEmbedSigner({ secret: SECRET, organization: ORGANIZATION, now: clock.now });
 * clock.advance(90_000);
 */
export function manualClock(startMs: number) {
  let current = startMs;
  return {
    now: (): number => current,
    advance(ms: number): void {
      current += ms;
    },
    set(ms: number): void {
      current = ms;
    },
    /** The current time in whole seconds, as a JWT NumericDate. */
    seconds: (): number => Math.floor(current / 1000),
  };
}

/**
 * Signs any header and payload by hand (HS256/384/512 with node:crypto), so tests can forge
 * exactly the token an attacker or another library would send.
 *
 * @example
 * const token = forgeToken({ alg: 'HS256', typ: 'JWT' }, { organization: 1 }, SECRET);
 */
export function forgeToken(header: object, payload: object | string, secret: string, hash: 'sha256' | 'sha384' | 'sha512' = 'sha256'): string {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const input = `${b64url(JSON.stringify(header))}.${b64url(body)}`;
  return `${input}.${createHmac(hash, secret).update(input).digest('base64url')}`;
}

/**
 * base64url of a UTF-8 string, no padding.
 *
 * @example
 * b64url('{"alg":"none"}'); // 'eyJhbGciOiJub25lIn0'
 */
export function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/**
 * A complete, valid claims set at `nowSeconds`, with overrides (an `undefined` value deletes
 * that claim).
 *
 * @example
 * claimsAt(clock.seconds(), { exp: undefined }); // no exp claim
 */
export function claimsAt(nowSeconds: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    organization: ORGANIZATION,
    dashboard: DASHBOARD,
    env: { ACCT_ID: '1', DATE_RANGE: ['2014-02-11', '2015-02-11'] },
    iat: nowSeconds,
    exp: nowSeconds + 900,
  };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete claims[name];
    else claims[name] = value;
  }
  return claims;
}

/**
 * Awaits a rejection that must be an `EmbedError` with `code`, whose message names neither
 * any of `secrets` nor the token (when given).
 *
 * @example
 * await rejectsWith(verifyEmbedToken(token, options), 'token_expired', { token });
 */
export async function rejectsWith(
  pending: Promise<unknown> | (() => unknown),
  code: EmbedErrorCode,
  { token, secrets = [SECRET, OTHER_SECRET] }: { token?: string; secrets?: readonly string[] } = {},
): Promise<EmbedError> {
  let caught: unknown;
  try {
    await (typeof pending === 'function' ? pending() : pending);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof EmbedError, `expected an EmbedError ${code}, got ${caught === undefined ? 'success' : String(caught)}`);
  assert.equal(caught.code, code, `expected ${code}, got ${caught.code}: ${caught.message}`);
  for (const secret of secrets) assert.ok(!caught.message.includes(secret), 'the message must not contain a secret');
  if (token) {
    assert.ok(!caught.message.includes(token), 'the message must not contain the token');
    const signature = token.split('.')[2] ?? '';
    if (signature.length >= 8) assert.ok(!caught.message.includes(signature), 'the message must not contain the signature');
  }
  if (code.startsWith('token_')) assert.equal(caught.cause, undefined, 'no jose error (with its stack or payload) is attached');
  return caught;
}

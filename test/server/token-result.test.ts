/**
 * The token endpoint's 200 body (src/server/endpoint/response.ts `tokenResult`): written by hand
 * when nothing needs escaping, it must be byte for byte what `JSON.stringify` gives for the same
 * three fields, for any token, expiry and URL a signer (the application's own too) may return.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { tokenResult } from '../../src/server/endpoint/response.js';
import type { TokenResponse } from '../../src/protocol/index.js';

const reference = ({ token, expiresAt, url }: TokenResponse): string => JSON.stringify({ token, expiresAt, url });

describe('tokenResult', () => {
  it('gives the JSON.stringify bytes for a real token and URL, and for one without a URL', () => {
    const token = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJvcmdhbml6YXRpb24iOjE2NDE3fQ.35vO2dlMuBqLEtijlt8KVlDkuBbQvZZ8cv48KUgLStQ';
    const withUrl = { token, expiresAt: 1_796_770_800, url: `https://dash.example.com/d/38727/?embed_token=${token}` };
    assert.equal(tokenResult(withUrl, false).body, reference(withUrl));
    assert.equal(tokenResult({ token, expiresAt: 1_796_770_800 }, undefined).body, reference({ token, expiresAt: 1_796_770_800 }));
  });

  it('escapes what JSON escapes: quotes, backslashes, controls, non-ASCII, lone surrogates, odd numbers', () => {
    const odd: TokenResponse[] = [
      { token: 'a"b', expiresAt: 1 },
      { token: 'a\\b', expiresAt: 1, url: 'https://x.example/"d"/' },
      { token: 'line\nbreak\u2028', expiresAt: -0 },
      { token: 'Grüße \ud800', expiresAt: 1.5, url: 'https://bücher.example/d/1' },
      { token: 't', expiresAt: Number.NaN },
      { token: 42 as unknown as string, expiresAt: 1 },
    ];
    for (const response of odd) assert.equal(tokenResult(response, true).body, reference(response), JSON.stringify(response.token));
  });

  it('agrees with JSON.stringify on generated fields (property)', () => {
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.stringMatching(/^[A-Za-z0-9_.\-/:?=]{0,40}$/));
    const expiry = fc.oneof(fc.integer(), fc.double(), fc.constant(Number.MAX_SAFE_INTEGER + 2));
    fc.assert(
      fc.property(text, expiry, fc.option(text, { nil: undefined }), (token, expiresAt, url) => {
        const response = url === undefined ? { token, expiresAt } : { token, expiresAt, url };
        assert.equal(tokenResult(response, false).body, reference(response));
      }),
      { numRuns: 200 },
    );
  });
});

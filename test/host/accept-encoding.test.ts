/** `acceptsBrotli`: the request's Accept-Encoding read as RFC 9110 says, weights included. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acceptsBrotli } from '../../src/host/serve/accept-encoding.js';

test('br named or * with a weight above zero accepts brotli; br;q=0, absence, or other codings do not', () => {
  assert.equal(acceptsBrotli('gzip, deflate, br, zstd'), true);
  assert.equal(acceptsBrotli('BR;q=0.5'), true);
  assert.equal(acceptsBrotli('*'), true);
  assert.equal(acceptsBrotli('br;q=0, *'), false, 'br refused by name, whatever * says');
  assert.equal(acceptsBrotli('*;q=0'), false);
  assert.equal(acceptsBrotli('gzip, deflate'), false);
  assert.equal(acceptsBrotli(''), false);
  assert.equal(acceptsBrotli(null), false);
});

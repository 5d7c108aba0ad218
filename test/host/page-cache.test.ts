/**
 * The page cache: bounded in entries and bytes with least-recently-used eviction, expiring at
 * each page's time by an injected clock; and the same bounds seen through the host over HTTP.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { get as httpGet, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { after, before, test } from 'node:test';
import { brotliDecompressSync } from 'node:zlib';
import { PageCache } from '../../src/host/store/page-cache.js';
import type { DataSource } from '../../src/host/index.js';
import { dashboardPath, manualClock, openDemoDatabase, OVERVIEW, serveHost, signToken, T0 } from './helpers/host-fixtures.js';

function page(bytes: number, expiresAt = T0 + 3_600_000) {
  return { bytes: new Uint8Array(bytes), expiresAt };
}

test('entries: the least recently used goes first', () => {
  const clock = manualClock();
  const cache = new PageCache({ maxEntries: 2, maxBytes: 1_000_000, now: clock.now });
  cache.set('a', page(10));
  cache.set('b', page(10));
  assert.ok(cache.get('a'), 'a is now the most recently used');
  cache.set('c', page(10));
  assert.equal(cache.get('b'), undefined, 'b was the least recently used');
  assert.ok(cache.get('a') && cache.get('c'));
  assert.deepEqual(cache.counts(), { entries: 2, bytes: 24, evictions: 1, expirations: 0, uncacheable: 0 });
});

test('bytes: evicts until the new page fits; a page over the bound is served, not kept', () => {
  const clock = manualClock();
  const cache = new PageCache({ maxEntries: 100, maxBytes: 1_000, now: clock.now });
  cache.set('a', page(398)); // 400 bytes with its one-character key
  cache.set('b', page(398));
  cache.get('a');
  assert.ok(cache.set('c', page(398)));
  assert.deepEqual([!!cache.get('a'), !!cache.get('b'), !!cache.get('c')], [true, false, true]);
  assert.equal(cache.counts().bytes, 800);
  assert.equal(cache.set('huge', page(1_000)), false);
  assert.equal(cache.get('huge'), undefined);
  assert.deepEqual(cache.counts(), { entries: 2, bytes: 800, evictions: 1, expirations: 0, uncacheable: 1 });
});

test('expiry: a page is served until its time, then dropped; old entries are swept', () => {
  const clock = manualClock();
  const cache = new PageCache({ maxEntries: 100, maxBytes: 1_000_000, now: clock.now });
  cache.set('soon', page(10, T0 + 1_000));
  cache.set('later', page(10, T0 + 120_000));
  clock.advance(999);
  assert.ok(cache.get('soon'));
  clock.advance(1);
  assert.equal(cache.get('soon'), undefined);
  assert.equal(cache.counts().expirations, 1);
  assert.equal(cache.set('gone', page(10, T0 + 500)), false, 'an already expired page is not kept');

  clock.advance(120_000); // 'later' has expired too; a set after a minute sweeps it out
  cache.set('fresh', page(10, T0 + 3_600_000));
  assert.deepEqual(cache.counts(), { entries: 1, bytes: 20, evictions: 0, expirations: 2, uncacheable: 0 });
});

test('cache options are checked', () => {
  assert.throws(() => new PageCache({ maxEntries: 0, maxBytes: 1, now: Date.now }), /cache\.maxEntries must be a positive integer/);
  assert.throws(() => new PageCache({ maxEntries: 1, maxBytes: 1.5, now: Date.now }), /cache\.maxBytes/);
});

let database: DataSource;
before(async () => {
  database = await openDemoDatabase();
});
after(() => database.close());

test('through the host: a token evicted by newer ones runs its queries again', async () => {
  const clock = manualClock();
  const served = await serveHost({ database, now: clock.now, cache: { maxEntries: 2 } });
  try {
    const tokens = await Promise.all(['21', '22', '23'].map((account) => signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: account } })));
    for (const token of tokens) await served.get(dashboardPath(OVERVIEW, token));
    let stats = served.host.stats();
    assert.deepEqual([stats.entries, stats.evictions, stats.queryRuns], [2, 1, 3]);
    await served.get(dashboardPath(OVERVIEW, tokens[2]!));
    assert.equal(served.host.stats().hits, 1);
    const again = await served.get(dashboardPath(OVERVIEW, tokens[0]!));
    assert.match(again.text, /Loading…/, 'the evicted token is new again');
    stats = served.host.stats();
    assert.deepEqual([stats.queryRuns, stats.evictions, stats.hits], [4, 2, 1]);
  } finally {
    await served.close();
  }
});

test('through the host: a page over maxBytes is served in full but never cached', async () => {
  const clock = manualClock();
  const served = await serveHost({ database, now: clock.now, cache: { maxBytes: 2_000 } });
  try {
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '24' } });
    const first = await served.get(dashboardPath(OVERVIEW, token));
    assert.match(first.text, /<\/main>/);
    const second = await served.get(dashboardPath(OVERVIEW, token));
    assert.match(second.text, /Loading…/);
    const stats = served.host.stats();
    assert.deepEqual([stats.entries, stats.uncacheable, stats.queryRuns, stats.hits], [0, 2, 2, 0]);
  } finally {
    await served.close();
  }
});

/** GET `path` with `acceptEncoding` through node:http, which (unlike fetch) leaves the body as sent. */
async function rawGet(origin: string, path: string, acceptEncoding?: string): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  const [response] = (await once(httpGet(origin + path, { headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } }), 'response')) as [IncomingMessage];
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return { headers: response.headers, body: Buffer.concat(chunks) };
}

test('through the host: a cached page goes brotli-compressed to a browser that accepts br, as it is to others; a new token\'s page streams as it is', async () => {
  const clock = manualClock();
  const served = await serveHost({ database, now: clock.now });
  try {
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '25' } });
    const first = await rawGet(served.origin, dashboardPath(OVERVIEW, token), 'gzip, deflate, br, zstd');
    assert.equal(first.headers['content-encoding'], undefined, 'the Loading line must show at once');
    const plain = await rawGet(served.origin, dashboardPath(OVERVIEW, token));
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.headers.vary, 'accept-encoding');
    const compressed = await rawGet(served.origin, dashboardPath(OVERVIEW, token), 'gzip, deflate, br, zstd');
    assert.equal(compressed.headers['content-encoding'], 'br');
    assert.equal(compressed.headers.vary, 'accept-encoding');
    assert.deepEqual(brotliDecompressSync(compressed.body), plain.body, 'the same page');
    assert.ok(compressed.body.byteLength * 3 < plain.body.byteLength, `${compressed.body.byteLength} B compressed, ${plain.body.byteLength} B as it is`);
    const refused = await rawGet(served.origin, dashboardPath(OVERVIEW, token), 'br;q=0, gzip');
    assert.equal(refused.headers['content-encoding'], undefined);
    assert.deepEqual(refused.body, plain.body);
    assert.equal(served.host.stats().queryRuns, 1);
  } finally {
    await served.close();
  }
});

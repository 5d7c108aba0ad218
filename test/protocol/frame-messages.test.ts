/**
 * The frame protocol's shape checks (src/protocol/frame-messages.ts): what the element accepts
 * from a page, and what a page accepts from the element. Who posted a message is checked by the
 * receivers (test/element/frame.test.ts, test/host/browser-page.test.ts); here only the shapes.
 * Run: node --import tsx --test test/protocol/frame-messages.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clickFromMessage, FRAME_PROTOCOL_VERSION, heightFromMessage, pageMessage, tokenFromMessage } from '../../src/protocol/frame-messages.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJvcmdhbml6YXRpb24iOjF9.c2ln';

test('the protocol is at version 1', () => {
  assert.equal(FRAME_PROTOCOL_VERSION, 1);
});

test('ready: a positive dashboard id, any version, a token of JWS shape when there is one', () => {
  const ready = { type: 'chartio:ready', version: 1, dashboard: 38727 };
  assert.deepEqual(pageMessage(ready), ready);
  assert.deepEqual(pageMessage({ ...ready, token: TOKEN }), { ...ready, token: TOKEN });
  assert.deepEqual(pageMessage({ ...ready, version: 2 }), { ...ready, version: 2 }, 'a later version still says ready');
  for (const bad of [
    { ...ready, dashboard: '38727' },
    { ...ready, dashboard: 0 },
    { ...ready, version: '1' },
    { type: 'chartio:ready', dashboard: 38727 },
    { ...ready, token: '<script>' },
    { ...ready, type: 'chartio:loaded' },
    null,
    'chartio:ready',
  ]) {
    assert.equal(pageMessage(bad), undefined, JSON.stringify(bad));
  }
});

test('error: a code, a status and whether a retry can help', () => {
  const error = { type: 'chartio:error', version: 1, code: 'token_expired', status: 401, retryable: false };
  assert.deepEqual(pageMessage(error), error);
  assert.deepEqual(pageMessage({ ...error, token: TOKEN }), { ...error, token: TOKEN });
  for (const bad of [{ ...error, code: 401 }, { ...error, status: '401' }, { ...error, retryable: 'no' }, { ...error, code: undefined }]) {
    assert.equal(pageMessage(bad), undefined, JSON.stringify(bad));
  }
});

test('token: only this version, only a token of JWS shape', () => {
  assert.equal(tokenFromMessage({ type: 'chartio:token', version: 1, token: TOKEN }), TOKEN);
  for (const bad of [
    { type: 'chartio:token', version: 2, token: TOKEN },
    { type: 'chartio:token', token: TOKEN },
    { type: 'chartio:token', version: 1, token: `${TOKEN}.x` },
    { type: 'chartio:token', version: 1, token: 'x'.repeat(20_000) },
    { type: 'chartio:ready', version: 1, token: TOKEN },
    undefined,
  ]) {
    assert.equal(tokenFromMessage(bad), undefined, JSON.stringify(bad)?.slice(0, 80));
  }
});

test('height: a finite number ≥ 0, with or without a version', () => {
  assert.equal(heightFromMessage({ type: 'chartio:height', version: 1, height: 812 }), 812);
  assert.equal(heightFromMessage({ type: 'chartio:height', height: 0 }), 0);
  for (const height of [-1, Number.NaN, Number.POSITIVE_INFINITY, '812', null]) {
    assert.equal(heightFromMessage({ type: 'chartio:height', version: 1, height }), undefined, String(height));
  }
});

test('click: a chart position and title, text or null for label, series and value, a row of text or null', () => {
  const detail = { chart: 0, title: 'Revenue by product', label: 'Team', series: 'revenue', value: '1234.5', row: { product: 'Team', revenue: '1234.5', note: null } };
  assert.deepEqual(clickFromMessage({ type: 'chartio:click', version: 1, ...detail }), detail, 'the detail, without type and version');
  assert.deepEqual(clickFromMessage({ type: 'chartio:click', version: 2, ...detail, extra: 'dropped' }), detail, 'any version; unknown fields are left out');
  const table = { chart: 5, title: 'Latest orders', label: '2185', series: null, value: null, row: { order: '2185' } };
  assert.deepEqual(clickFromMessage({ type: 'chartio:click', version: 1, ...table }), table);
  for (const bad of [
    { ...detail, chart: -1 },
    { ...detail, chart: 1.5 },
    { ...detail, chart: '0' },
    { ...detail, title: undefined },
    { ...detail, label: 3 },
    { ...detail, value: 1234.5 },
    { ...detail, series: undefined },
    { ...detail, row: null },
    { ...detail, row: 'Team' },
    { ...detail, row: { revenue: 1234.5 } },
  ]) {
    assert.equal(clickFromMessage({ type: 'chartio:click', version: 1, ...bad }), undefined, JSON.stringify(bad));
  }
  for (const bad of [{ type: 'chartio:ready', version: 1, ...detail }, null, undefined, 'chartio:click', 7]) {
    assert.equal(clickFromMessage(bad), undefined, String(bad));
  }
});

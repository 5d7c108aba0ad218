/**
 * The token endpoint's metrics hook, `onAnswer`, feeding real prom-client metrics as the README
 * shows: one call per answer (tokens signed or reused, preflights, every error, 500s) with its
 * status, code and duration, over the Fetch handler and node:http alike; a hook that throws goes
 * to `onError` and the answer is sent all the same.
 * @module
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Counter, Histogram, Registry } from 'prom-client';
import type { TokenAnswer, TokenHandlerOptions } from '../../src/server/index.js';
import { fetchTransport, nodeTransport, type Transport } from './helpers/endpoint-clients.js';
import { DASHBOARD, createFixture } from './helpers/endpoint-fixtures.js';
import { NODE_API, WEB_API } from './helpers/server-apis.js';

/** The README's wiring: a counter by status, code and token, and a duration histogram. */
function promMetrics() {
  const registry = new Registry();
  const answers = new Counter({ name: 'chartio_token_answers_total', help: 'Token endpoint answers', labelNames: ['status', 'code', 'token'], registers: [registry] });
  const seconds = new Histogram({ name: 'chartio_token_answer_seconds', help: 'Time to answer', labelNames: ['status'], registers: [registry] });
  const onAnswer: TokenHandlerOptions['onAnswer'] = ({ status, code, token, durationSeconds }) => {
    answers.inc({ status, code, token: token ?? 'none' });
    seconds.observe({ status }, durationSeconds);
  };
  return { registry, onAnswer };
}

for (const [transport, api] of [[fetchTransport(), WEB_API], [nodeTransport(), NODE_API]] as Array<[Transport, typeof WEB_API]>) {
  describe(`onAnswer through ${transport.name}`, () => {
    after(() => transport.close());

    test('feeds prom-client one count per answer, with status, code, signed or reused, and a duration', async () => {
      const { registry, onAnswer } = promMetrics();
      const seen: TokenAnswer[] = [];
      const fixture = createFixture({ allowedOrigins: ['https://app.example.com'], onAnswer: (answer) => (seen.push(answer), onAnswer!(answer)) }, { api });
      const client = await transport.serve(fixture.handler);
      const ask = (body: string, headers: Record<string, string> = {}) =>
        client.send({ body, headers: { 'content-type': 'application/json', origin: 'https://app.example.com', cookie: 'session=acct-7', ...headers } });
      const body = JSON.stringify({ dashboard: DASHBOARD, filters: { USER_ID: '1' } });
      assert.equal((await ask(body)).status, 200);
      assert.equal((await ask(body)).status, 200); // the same payload in the same window: reused
      assert.equal((await ask(JSON.stringify({ dashboard: DASHBOARD, filters: { ACCT_ID: '9' } }))).status, 400);
      assert.equal((await ask(body, { cookie: '' })).status, 401);
      assert.equal((await ask(body, { cookie: 'session=boom' })).status, 500);
      assert.equal((await ask(body, { origin: 'https://evil.example' })).status, 403);
      assert.equal((await client.send({ method: 'OPTIONS', headers: { origin: 'https://app.example.com' } })).status, 204);

      assert.deepEqual(
        seen.map(({ status, code, token }) => [status, code, token]),
        [
          [200, 'ok', 'signed'],
          [200, 'ok', 'reused'],
          [400, 'filter_locked', undefined],
          [401, 'unauthenticated', undefined],
          [500, 'internal_error', undefined],
          [403, 'origin_not_allowed', undefined],
          [204, 'preflight', undefined],
        ],
      );
      for (const answer of seen) {
        assert.ok(answer.durationSeconds >= 0 && answer.durationSeconds < 60, String(answer.durationSeconds));
        assert.equal(answer.request.method, answer.code === 'preflight' ? 'OPTIONS' : 'POST');
      }
      const text = await registry.metrics();
      assert.match(text, /^chartio_token_answers_total\{status="200",code="ok",token="signed"\} 1$/m);
      assert.match(text, /^chartio_token_answers_total\{status="200",code="ok",token="reused"\} 1$/m);
      assert.match(text, /^chartio_token_answers_total\{status="400",code="filter_locked",token="none"\} 1$/m);
      assert.match(text, /^chartio_token_answers_total\{status="500",code="internal_error",token="none"\} 1$/m);
      assert.match(text, /^chartio_token_answer_seconds_count\{status="200"\} 2$/m);
      assert.match(text, /^chartio_token_answer_seconds_count\{status="204"\} 1$/m);
    });

    test('a hook that throws is reported to onError, and the answer is sent all the same', async () => {
      const fixture = createFixture(
        {
          onAnswer: () => {
            throw new Error('metrics backend down');
          },
        },
        { api },
      );
      const client = await transport.serve(fixture.handler);
      const answer = await client.send({ body: JSON.stringify({ dashboard: DASHBOARD }), headers: { 'content-type': 'application/json', cookie: 'session=acct-7' } });
      assert.equal(answer.status, 200, answer.text);
      assert.equal(fixture.errors.length, 1);
      assert.match(String((fixture.errors[0]!.error as Error).message), /metrics backend down/);
    });
  });
}

test('onAnswer must be a function', () => {
  assert.throws(() => createFixture({ onAnswer: 'log' as never }), /onAnswer must be a function/);
});

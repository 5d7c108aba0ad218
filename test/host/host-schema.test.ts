/**
 * host.json described once: the TypeBox definition is what the host validates with (messages
 * naming the field, unknown fields refused, `$schema` accepted, secrets never echoed), what
 * TypeBox's own checker and the published dist/host.schema.json say. What the build emits is
 * test/build/host-schema-file.test.ts's (it reads dist/, so it is not a quick test).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { HostConfigError, parseHostConfig } from '../../src/host/config/host-config.js';
import { HostFileSchema } from '../../src/host/config/schema/host-file.js';

const env = { DATABASE_URL: 'postgresql://app@db:5432/app', REDIS_URL: 'redis://cache:6379' };
const minimal = { organization: 16417, dashboards: 'dashboards', dataSources: { demo: { type: 'duckdb' } }, frameAncestors: [] };
const refused = (value: unknown) => {
  try {
    parseHostConfig(value, 'host.json', env);
  } catch (error) {
    assert.ok(error instanceof HostConfigError);
    return error.message;
  }
  assert.fail('accepted');
};

test('the demo host.json names the schema in $schema and passes both checkers', async () => {
  const demo = JSON.parse(await readFile(new URL('../../demo/host/host.json', import.meta.url), 'utf8'));
  assert.equal(demo.$schema, '../../dist/host.schema.json');
  assert.equal(Value.Check(HostFileSchema, demo), true);
  const config = parseHostConfig(demo, '/srv/demo/host/host.json', env);
  assert.equal(config.port, 8081);
  assert.equal(config.dashboards, '/srv/demo/dashboards');
});

test('defaults come from the schema', () => {
  const config = parseHostConfig(minimal, '/srv/host.json', env);
  assert.equal(config.listen, '127.0.0.1');
  assert.equal(config.port, 8081);
  assert.equal(config.shutdownTimeoutMs, 10_000);
  assert.equal(config.statsRoute, false);
  assert.equal(config.metrics, false);
  assert.deepEqual(config.dataSources.demo, { type: 'duckdb', path: ':memory:', readOnly: false, filesFolder: '/srv' });
});

test('each wrong value is named by its path, with what it must be', () => {
  const cases: [unknown, RegExp][] = [
    [{ ...minimal, dataSources: { demo: { type: 'duckdb', connections: 65 } } }, /^host\.json: dataSources\.demo\.connections must be an integer from 1 to 64, got 65$/],
    [{ ...minimal, dataSources: { demo: { type: 'duckdb', pth: 'x' } } }, /^host\.json: dataSources\.demo\.pth is not a known field \(known: type, path, readOnly, connections, setup\)$/],
    [{ ...minimal, dataSources: { '9x': { type: 'duckdb' } } }, /^host\.json: dataSources\.9x is not a name/],
    [{ ...minimal, dataSources: {} }, /^host\.json: dataSources must name at least one data source/],
    [{ ...minimal, cache: { maxEntries: 1.5 } }, /^host\.json: cache\.maxEntries must be an integer from 1 up, got 1\.5$/],
    [{ ...minimal, frameAncestors: [1] }, /^host\.json: frameAncestors\[0\] must be a string, got 1$/],
    [{ ...minimal, revocation: { onUnavailable: 'wait' } }, /^host\.json: revocation\.onUnavailable must be "serve" .* or "refuse" .*, got "wait"$/],
    [{ ...minimal, dataSources: { w: { type: 'postgres', url: 'postgresql://db/app', transactionSettings: { acct: 'ACCT_ID' } } } }, /transactionSettings\.acct is not a custom setting name/],
    [{ organization: 16417 }, /^host\.json: dashboards must be the folder of dashboard JSON files, got nothing$/],
  ];
  for (const [value, message] of cases) assert.match(refused(value), message);
});

test('a secret pasted where a variable name belongs is never echoed', () => {
  const secret = 'pasted-secret-0123456789-0123456789';
  const message = refused({ ...minimal, redis: { urlEnv: secret } });
  assert.match(message, /redis\.urlEnv must be the name of an environment variable/);
  assert.ok(!message.includes(secret));
  const url = refused({ ...minimal, dataSources: { w: { type: 'postgres', url: 'postgresql://app:hunter2@db/app', connections: 0 } } });
  assert.ok(!url.includes('hunter2'));
});

test('TypeBox agrees: what the validator accepts, Value.Check accepts; what the schema refuses, the validator refuses', () => {
  const accepted = [minimal, { ...minimal, $schema: './host.schema.json', redis: { urlEnv: 'REDIS_URL', keyPrefix: 'a:' }, queue: { concurrency: 2 }, queues: { demo: { maxWaitMs: 10 } } }];
  for (const value of accepted) {
    parseHostConfig(value, 'host.json', env);
    assert.equal(Value.Check(HostFileSchema, value), true);
  }
  const wrong = [{ ...minimal, port: -1 }, { ...minimal, extra: 1 }, { ...minimal, dataSources: { demo: { type: 'oracle' } } }, { ...minimal, audit: { stdout: false } }];
  for (const value of wrong) {
    assert.equal(Value.Check(HostFileSchema, value), false);
    refused(value);
  }
});

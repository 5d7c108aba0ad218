/**
 * docs/host-operations.md stays true: every JSON block is a configuration `chartio-embed host`
 * accepts, the audit line it shows has the fields, in order, that the audit log writes, and its
 * metrics table names every metric the host exports (and no other), and what revoke prints
 * about the reuse window is what it computes.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createAuditLog, type AuditRecord } from '../../src/host/audit-log.js';
import { parseHostConfig } from '../../src/host/config/host-config.js';
import { createHostMetrics } from '../../src/host/index.js';
import { reuseWindowNote } from '../../src/cli/revoke-command.js';

const file = fileURLToPath(new URL('../../docs/host-operations.md', import.meta.url));
const text = await readFile(file, 'utf8');
const blocks = (lang: string) => [...text.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((match) => match[1]!);

test('every JSON block is a valid host configuration', () => {
  const env = { DATABASE_URL: 'postgresql://app@db:5432/app', REDIS_URL: 'redis://cache:6379', OLD_EMBED_SECRET: 'x'.repeat(32) };
  const configs = blocks('json');
  assert.equal(configs.length, 5);
  for (const json of configs) parseHostConfig(JSON.parse(json), file, env);
  const [full] = configs.map((json) => parseHostConfig(JSON.parse(json), file, env));
  assert.deepEqual(full!.revocation, { before: Date.parse('2026-03-01T12:00:00Z'), dashboards: { 38727: Date.parse('2026-03-02T08:00:00Z') }, refreshMs: 5000, onUnavailable: 'serve' });
  assert.deepEqual(full!.admin, { port: 9464, listen: '127.0.0.1' });
  assert.equal(full!.maxAge, 900);
  assert.throws(() => parseHostConfig({ ...JSON.parse(configs[0]!), maxAge: 0 }, file, env), /host-operations\.md: maxAge must be a whole number of seconds ≥ 1 .*or "exp"/);
});

test('the audit line shown has the fields the audit log writes, in its order', () => {
  const [line] = blocks('text');
  const shown = JSON.parse(line!);
  const written: AuditRecord[] = [];
  const audit = createAuditLog({ sink: (record) => written.push(record), redact: ['USER_ID'] }, () => undefined);
  audit.write({ time: shown.time, organization: 16417, dashboard: 38727, route: 'page', rawToken: 'a.b.c', env: { ACCT_ID: '1', USER_ID: '7' }, served: 'run', durationMs: 41.2, status: 200, code: 'ok' });
  assert.deepEqual(Object.keys(shown), Object.keys(written[0]!));
  assert.deepEqual(shown.env, written[0]!.env);
});

test('the metrics table lists every metric the host exports', async () => {
  const metrics = await createHostMetrics({ defaultMetrics: false });
  const exported = [...(await metrics.metrics()).matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1]!).sort();
  const documented = [...text.matchAll(/^\| (`chartio_host_[^|]+)\|/gm)].flatMap((match) => [...match[1]!.matchAll(/`(chartio_host_\w+)`/g)].map((name) => name[1]!)).sort();
  assert.deepEqual(documented, exported);
});

test('revoke\'s reuse-window line, as shown, is what it prints for that cut-off', () => {
  const [session] = blocks('console');
  const [command, , note] = session!.trimEnd().split('\n');
  const before = /--before (\S+)$/.exec(command!)![1]!;
  assert.equal(note, reuseWindowNote(Date.parse(before)));
});

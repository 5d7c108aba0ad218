/**
 * docs/host-operations.md stays true: every JSON block is a configuration `chartio-embed host`
 * accepts, the audit line it shows has the fields, in order, that the audit log writes, and its
 * metrics table names every metric the host exports (and no other), and what revoke prints
 * about the reuse window is what it computes, and its host.json field table is the schema's.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createAuditLog, type AuditRecord } from '../../src/host/observability/audit-log.js';
import { parseHostConfig } from '../../src/host/config/host-config.js';
import { createHostMetrics } from '../../src/host/index.js';
import { reuseWindowNote } from '../../src/cli/revoke-command.js';
import { MAIN_HELP } from '../../src/cli/usage.js';
import { hostFieldTable } from '../../src/host/config/schema/field-table.js';

const file = fileURLToPath(new URL('../../docs/host-operations.md', import.meta.url));
const text = await readFile(file, 'utf8');
const blocks = (lang: string) => [...text.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((match) => match[1]!);

test('every JSON block is a valid host configuration', () => {
  const env = { DATABASE_URL: 'postgresql://app@db:5432/app', MYSQL_URL: 'mysql://dashboards:secret@db:3306/app', REDIS_URL: 'redis://cache:6379', OLD_EMBED_SECRET: 'x'.repeat(32) };
  const configs = blocks('json');
  assert.equal(configs.length, 6);
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

test('the download\'s audit line has the fields a download writes, in its order', () => {
  const [, line] = blocks('text');
  const shown = JSON.parse(line!);
  const written: AuditRecord[] = [];
  const audit = createAuditLog({ sink: (record) => written.push(record), redact: ['USER_ID'] }, () => undefined);
  const { time, organization, dashboard, chart, served, durationMs, status, code, rows, bytes, truncated } = shown;
  audit.write({ time, organization, dashboard, route: 'download', chart, rawToken: 'a.b.c', env: { ACCT_ID: '1', USER_ID: '7' }, served, durationMs, status, code, rows, bytes, truncated });
  assert.deepEqual(Object.keys(shown), Object.keys(written[0]!));
  assert.deepEqual(shown.env, written[0]!.env);
  assert.equal(blocks('text').length, 2);
});

test('the row-level security statements are those the PostgreSQL test runs, with a role that cannot bypass them', async () => {
  const [sql, ...more] = blocks('sql');
  assert.deepEqual(more, []);
  const statements = sql!.trim().split('\n').map((line) => line.replace(/\s*--.*$/, '').trim());
  const tested = (await readFile(join(file, '../../test/postgres/row-security.test.ts'), 'utf8')).split('\n').map((line) => line.trim());
  for (const statement of statements.slice(0, 2)) assert.ok(tested.includes(statement), `${statement} is run by test/postgres/row-security.test.ts`);
  assert.match(statements[2]!, /^CREATE ROLE (\w+) LOGIN\b/);
  assert.doesNotMatch(statements[2]!, /SUPERUSER|BYPASSRLS/);
  assert.equal(statements[3], `GRANT SELECT ON orders TO ${/^CREATE ROLE (\w+)/.exec(statements[2]!)![1]};`);
});

test('every block is of a language this file checks', () => {
  const langs = [...text.matchAll(/^```([\w-]*)\n[\s\S]*?^```$/gm)].map((match) => match[1]);
  assert.deepEqual(langs.filter((lang) => !['json', 'jsonc', 'text', 'console', 'sql', 'shell-session', 'yaml'].includes(lang!)), [], 'a block of a language no test here checks');
});

test('the host.json field table is the one the schema writes', () => {
  const shown = /<!-- host-fields:start -->\n([\s\S]*?)\n<!-- host-fields:end -->/.exec(text)?.[1];
  assert.ok(shown, 'the page has the table between its markers');
  // To update: node --import tsx -e "import('./src/host/config/schema/field-table.ts').then((m) => console.log(m.hostFieldTable()))"
  assert.equal(shown, hostFieldTable());
});

test('the $schema line names the schema the package exports, and the check blocks run the CLI\'s check command', async () => {
  const [schemaLine, ...moreSchema] = blocks('jsonc');
  assert.deepEqual(moreSchema, []);
  const pkg = JSON.parse(await readFile(join(file, '../../package.json'), 'utf8'));
  const shipped = String(pkg.exports['./host.schema.json']).replace(/^\.\//, '');
  assert.equal(schemaLine!.trim(), `"$schema": "./node_modules/chartio-embed/${shipped}"`);
  const [session, ...moreSessions] = blocks('shell-session');
  assert.deepEqual(moreSessions, []);
  const [command, ...problems] = session!.trim().split('\n');
  assert.equal(command, '$ chartio-embed check --config host.json');
  assert.match(problems.at(-1)!, /^chartio-embed check: \d+ problems in \d+ dashboard files/);
  for (const line of problems.slice(0, -1)) assert.match(line, /^dashboards\/\d+\.json: charts\[\d+\]\.sql \(chart "[^"]+"\) /, line);
  const [step] = blocks('yaml');
  assert.match(step!, /run: npx chartio-embed check --config host\.json\n/);
  assert.match(MAIN_HELP, /^\s+check\b/m);
});

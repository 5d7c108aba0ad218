/**
 * `chartio-embed check --config host.json` on DuckDB, in process (runCli): the shared cases of
 * helpers/check-cases.ts, and the command's own edges (usage, a broken host.json, the help).
 * The same cases on a real PostgreSQL: test/postgres/check-command.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../src/cli/run.js';
import { CHECK_TABLE_SQL, checkCasesOn } from './helpers/check-cases.js';
import { configFileIn, demoHostConfig, recordingIo } from './helpers/host-command-fixtures.js';

checkCasesOn('DuckDB', async () => ({ type: 'duckdb', setup: [CHECK_TABLE_SQL] }));

test('check without --config is a usage error (exit 2); --help says what it checks', async () => {
  const none = recordingIo({});
  assert.equal(await runCli(['check'], none.io), 2);
  assert.match(none.err[0]!, /check needs --config PATH/);
  const help = recordingIo({});
  assert.equal(await runCli(['check', '--help'], help.io), 0);
  assert.match(help.out.join(''), /Usage: chartio-embed check --config host\.json[\s\S]*exit 1 on any/);
});

test('the demo\'s dashboards check clean: a date parameter in arithmetic ($DATE_RANGE_START - n) is described as a date, not refused', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'chartio-check-demo-'));
  try {
    const recorded = recordingIo({});
    const code = await runCli(['check', '--config', await configFileIn(folder, demoHostConfig())], recorded.io);
    assert.equal(recorded.err.join(''), '');
    assert.equal(code, 0, recorded.out.join(''));
    assert.match(recorded.out.join(''), /^chartio-embed check: 3 dashboard files, \d+ charts checked on demo \(duckdb\): no problem/);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});

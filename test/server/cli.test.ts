/**
 * The `chartio-embed` CLI, spawned from source as a user would run it: sign → verify round
 * trips, the secret from the environment or a file (never argv), and clean one-line errors.
 * @module
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { verifyEmbedToken } from '../../src/server/index.js';
import { ORGANIZATION, OTHER_SECRET, SECRET } from './helpers/signer-fixtures.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from source; only the variables given (plus PATH) reach it. */
function cli(args: readonly string[], env: Record<string, string> = { CHARTIO_EMBED_SECRET: SECRET }): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
  });
}

/** A usage or input error: exit 2, exactly one line on stderr, no stack, nothing on stdout. */
function assertOneLineError(outcome: Outcome, pattern: RegExp, exitCode = 2): void {
  assert.equal(outcome.code, exitCode, `exit code (stderr: ${outcome.stderr})`);
  assert.equal(outcome.stdout, '');
  const lines = outcome.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, `one line, got:\n${outcome.stderr}`);
  assert.doesNotMatch(outcome.stderr, /\n\s+at |node:internal|\.ts:\d+/, 'no stack trace');
  assert.match(outcome.stderr, pattern);
}

/** The `iat` of the token in a CLI's output (bare, or in an iframe URL); undefined if there is none. */
function issuedAtOf(stdout: string): number | undefined {
  const token = /embed_token=([\w.-]+)/.exec(stdout)?.[1] ?? stdout.trim();
  try {
    return (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { iat?: number }).iat;
  } catch {
    return undefined;
  }
}

/**
 * Runs `sign` and returns outcomes signed in one reuse window (as `twiceInOneWindow` in
 * test/examples does): if the clock crossed a window boundary between them (at most once:
 * windows here are an hour), it runs again.
 */
async function inOneWindow<T extends Outcome[]>(sign: () => Promise<T>): Promise<T> {
  const first = await sign();
  if (new Set(first.map((outcome) => issuedAtOf(outcome.stdout))).size === 1) return first;
  return sign();
}

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chartio-embed-cli-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('chartio-embed CLI', () => {
  test('sign then verify: a round trip with --env flags and --ttl', async () => {
    const signed = await cli(['sign', '--organization', '16417', '--dashboard', '38727', '--env', 'ACCT_ID=1', '--env', 'DATE_RANGE=2014-02-11,2015-02-11', '--ttl', '900']);
    assert.equal(signed.code, 0, signed.stderr);
    const token = signed.stdout.trim();
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const verified = await cli(['verify', token, '--organization', '16417', '--dashboard', '38727']);
    assert.equal(verified.code, 0, verified.stderr);
    const claims = JSON.parse(verified.stdout) as { env: unknown; iat: number; exp: number; organization: number };
    assert.deepEqual(claims.env, { ACCT_ID: '1', DATE_RANGE: ['2014-02-11', '2015-02-11'] });
    assert.equal(claims.exp - claims.iat, 900);
    assert.equal(claims.organization, ORGANIZATION);
  });

  test('--base-url prints the iframe URL; --json prints {token, expiresAt, url}; --env-json', async () => {
    const args = ['sign', '--organization', '16417', '--dashboard', '38727', '--base-url', 'https://dash.example.com/d/{dashboard}', '--env-json', '{"ACCT_ID":"1","NAME":"Smith, John"}'];
    const [plain, json] = await inOneWindow(() => Promise.all([cli(args), cli([...args, '--json'])]));
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /^https:\/\/dash\.example\.com\/d\/38727\/\?embed_token=[\w.-]+\n$/);
    const answer = JSON.parse(json.stdout) as { token: string; expiresAt: number; url: string };
    assert.deepEqual(Object.keys(answer), ['token', 'expiresAt', 'url']);
    assert.equal(plain.stdout.trim(), answer.url, 'same payload, same window: the same token');
    const claims = await verifyEmbedToken(answer.token, { secret: SECRET, organization: ORGANIZATION });
    assert.equal(claims.env.NAME, 'Smith, John');
    assert.equal(claims.exp, answer.expiresAt);
  });

  test('the secret from --secret-file (trailing newline ignored), which wins over the environment', async () => {
    const file = join(dir, 'embed-secret');
    await writeFile(file, `${OTHER_SECRET}\n`, { mode: 0o600 });
    const sign = ['sign', '--organization', '16417', '--dashboard', '38727', '--secret-file', file];
    const [fromFile, both] = await inOneWindow(() => Promise.all([cli(sign, {}), cli(sign)]));
    assert.equal(fromFile.code, 0, fromFile.stderr);
    await verifyEmbedToken(fromFile.stdout.trim(), { secret: OTHER_SECRET, organization: ORGANIZATION });
    assert.equal(both.stdout, fromFile.stdout);
    const missing = await cli(['sign', '--organization', '16417', '--dashboard', '38727', '--secret-file', join(dir, 'nope')], {});
    assertOneLineError(missing, /cannot read --secret-file .*ENOENT/);
  });

  test('--secret is refused, and the value is never echoed', async () => {
    const value = 'argv-secret-argv-secret-argv-secret-0123';
    for (const args of [['sign', '--secret', value], ['verify', 'a.b.c', `--secret=${value}`, '--organization', '1']]) {
      const outcome = await cli(args);
      assertOneLineError(outcome, /--secret is refused.*CHARTIO_EMBED_SECRET.*--secret-file/);
      assert.ok(!outcome.stderr.includes(value));
    }
  });

  test('bad input: exit 2 and one clear line', async () => {
    const sign = ['sign', '--organization', '16417', '--dashboard', '38727'];
    const cases: Array<[string[], RegExp, Record<string, string>?]> = [
      [['sign', '--dashboard', '38727'], /--organization is required/],
      [['sign', '--organization', 'abc', '--dashboard', '1'], /--organization takes a whole number/],
      [[...sign, '--ttl', '90000'], /^error invalid_ttl: /],
      [[...sign, '--env', 'acct_id=1'], /^error invalid_env: .*acct_id/],
      [[...sign, '--env', 'ACCT_ID'], /--env takes NAME=VALUE/],
      [[...sign, '--env-json', '{oops'], /--env-json is not valid JSON/],
      [[...sign, '--base-url', 'ftp://x/{dashboard}'], /^error invalid_base_url: /],
      [[...sign, '--bogus'], /Unknown option '--bogus'/],
      [sign, /no Embed Secret: set CHARTIO_EMBED_SECRET/, {}],
      [sign, /^error secret_too_short: /, { CHARTIO_EMBED_SECRET: 'short' }],
      [['verify', '--organization', '16417'], /exactly one TOKEN/],
      [['frobnicate'], /unknown command "frobnicate"/],
    ];
    const outcomes = await Promise.all(cases.map(([args, , env]) => cli(args, env)));
    outcomes.forEach((outcome, i) => assertOneLineError(outcome, cases[i]![1]));
  });

  test('verify of a tampered or foreign token: exit 1 with the code', async () => {
    const signed = await cli(['sign', '--organization', '16417', '--dashboard', '38727']);
    const token = signed.stdout.trim();
    const [header, payload] = token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), dashboard: 1 })).toString('base64url');
    const tampered = `${header}.${forgedPayload}.${token.split('.')[2]}`;
    const [bad, otherOrg] = await Promise.all([
      cli(['verify', tampered, '--organization', '16417']),
      cli(['verify', token, '--organization', '99']),
    ]);
    assertOneLineError(bad, /^error token_signature: /, 1);
    assert.ok(!bad.stderr.includes(tampered));
    assertOneLineError(otherOrg, /^error token_organization: /, 1);
  });

  test('--help for the tool and each command', async () => {
    const [main, sign, verify] = await Promise.all([cli(['--help']), cli(['sign', '--help']), cli(['verify', '-h'])]);
    assert.equal(main.code, 0);
    assert.match(main.stdout, /Usage: chartio-embed <command>/);
    assert.match(sign.stdout, /--env NAME=VALUE/);
    assert.match(verify.stdout, /Usage: chartio-embed verify TOKEN/);
  });
});

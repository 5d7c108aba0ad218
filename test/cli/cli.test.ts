/**
 * The `chartio-embed` CLI in process, through `runCli(args, io)` as `main.ts` calls it: sign →
 * verify round trips, the secret from the environment or a file (never argv), and clean one-line
 * errors. The built binary itself (its shebang, exit codes and streams) is run as a process in
 * cli-binary.test.ts; one process per case here would cost a Node start-up each.
 * @module
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { createEmbedSigner, verifyEmbedToken } from '../../src/server/index.js';
import { reuseWindowNote } from '../../src/cli/revoke-command.js';
import { assertOneLineError, cli as runInProcess, type Outcome } from './cli-in-process.js';
import { ORGANIZATION, OTHER_SECRET, SECRET, claimsAt, forgeToken } from '../server/helpers/signer-fixtures.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The CLI in process, with the secret in its environment unless told otherwise. */
const cli = (args: readonly string[], env: Record<string, string> = { CHARTIO_EMBED_SECRET: SECRET }): Promise<Outcome> => runInProcess(args, env);

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
      [['verify', 'https://dash.example.com/d/1/?x=1', '--organization', '16417'], /has no embed_token parameter/],
      [[...sign, '--kid', 'a b'], /^error invalid_key_id: /],
      [['decode'], /decode takes exactly one TOKEN/],
      [['snippet', '--organization', '16417', '--dashboard', '38727'], /--lang must be one of python, ruby, javascript, php/],
      [['snippet', '--lang', 'cobol', '--organization', '16417', '--dashboard', '38727'], /got "cobol"/],
      [['snippet', '--lang', 'php', '--dashboard', '38727'], /--organization is required/],
      [['snippet', '--lang', 'php', '--organization', '16417', '--dashboard', '38727', '--env', 'acct=1'], /^error invalid_env: /],
      [['snippet', '--lang', 'php', '--organization', '16417', '--dashboard', '38727', '--base-url', 'https://x/d/1'], /^error invalid_base_url: .*\{dashboard\}/],
      [['snippet', '--lang', 'php', '--organization', '16417', '--dashboard', '0'], /^error invalid_dashboard: /],
      [['frobnicate'], /unknown command "frobnicate"; the commands are sign, verify, decode, keygen, snippet, host, revoke, check and dev/],
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

  test('--help for the tool and each command, and --version', async () => {
    const [main, sign, verify, decode, snippet, version] = await Promise.all([
      cli(['--help']),
      cli(['sign', '--help']),
      cli(['verify', '-h']),
      cli(['decode', '--help']),
      cli(['snippet', '--help']),
      cli(['--version'], {}),
    ]);
    assert.equal(main.code, 0);
    assert.match(main.stdout, /Usage: chartio-embed <command>/);
    assert.match(main.stdout, /decode .*snippet/s);
    assert.match(sign.stdout, /--env NAME=VALUE/);
    assert.match(sign.stdout, /\\, is a comma inside a value/);
    assert.match(verify.stdout, /Usage: chartio-embed verify TOKEN\|URL/);
    assert.match(decode.stdout, /Usage: chartio-embed decode TOKEN\|URL/);
    assert.match(snippet.stdout, /--lang LANG/);
    const { version: expected } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(version.code, 0, version.stderr);
    assert.equal(version.stdout, `chartio-embed ${expected}\n`);
  });

  test('verify takes the iframe URL sign prints, and --kid pairs the secret with its key id', async () => {
    const signed = await cli(['sign', '--organization', '16417', '--dashboard', '38727', '--kid', '2025-06', '--base-url', 'https://dash.example.com/d/{dashboard}']);
    assert.equal(signed.code, 0, signed.stderr);
    const url = signed.stdout.trim();
    const verified = await cli(['verify', url, '--organization', '16417', '--dashboard', '38727', '--kid', '2025-06']);
    assert.equal(verified.code, 0, verified.stderr);
    assert.equal((JSON.parse(verified.stdout) as { dashboard: number }).dashboard, 38727);
    // Without the key id, the token's kid is not one the verifier has.
    assertOneLineError(await cli(['verify', url, '--organization', '16417']), /^error token_key_unknown: .*"2025-06"/, 1);
  });

  test('decode needs no secret: the header, the claims, and the expiry in words; it says it verified nothing', async () => {
    const signed = await cli(['sign', '--organization', '16417', '--dashboard', '38727', '--env', 'ACCT_ID=1', '--ttl', '900', '--base-url', 'https://dash.example.com/d/{dashboard}']);
    const decoded = await cli(['decode', signed.stdout.trim()], {});
    assert.equal(decoded.code, 0, decoded.stderr);
    assert.match(decoded.stdout, /^Header: {2}\{"alg":"HS256","typ":"JWT"\}$/m);
    assert.match(decoded.stdout, /"organization": 16417,/);
    assert.match(decoded.stdout, /"ACCT_ID": "1"/);
    // A 900 s token from a 90 s reuse window expires 810 to 900 s from now.
    assert.match(decoded.stdout, /^Expires: \d{4}-\d\d-\d\dT[\d:.]+Z, in 1[345] minutes( \d+ seconds?)?$/m);
    assert.match(decoded.stdout, /^Issued: {2}.*(ago|now)$/m);
    assert.match(decoded.stdout, /^Not verified:/m);
    const now = Math.floor(Date.now() / 1000);
    const old = forgeToken({ alg: 'HS256', typ: 'JWT' }, claimsAt(now - 3 * 86_400, { exp: now - 2 * 3_600 - 30 }), OTHER_SECRET);
    assert.match((await cli(['decode', old], {})).stdout, /^Expires: .*, expired 2 hours( \d+ seconds?)? ago$/m);
    assertOneLineError(await cli(['decode', 'not-a-token'], {}), /^error token_malformed: /, 1);
    assertOneLineError(await cli(['decode', 'a.b.c'], {}), /^error token_malformed: .*header/, 1);
  });

  test('decode and verify print a token\'s text with its control characters escaped', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = forgeToken({ alg: 'HS256', typ: 'JWT' }, claimsAt(now, { env: { ACCT_ID: '\u001b[2J\u009b31m\u202eevil' } }), SECRET);
    for (const outcome of [await cli(['decode', token], {}), await cli(['verify', token, '--organization', '16417'])]) {
      assert.equal(outcome.code, 0, outcome.stderr);
      assert.doesNotMatch(outcome.stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
      assert.match(outcome.stdout, /\\u001b\[2J\\u009b31m\\u202eevil/);
    }
  });

  test('a comma in a value: \\, is a comma; a list item padded with spaces is refused, never guessed', async () => {
    const sign = ['sign', '--organization', '16417', '--dashboard', '38727'];
    const escaped = await cli([...sign, '--env', 'NAME=Smith\\, John', '--env', 'PATH_LIKE=C:\\\\dir', '--env', 'DATE_RANGE=2014-02-11,2015-02-11']);
    assert.equal(escaped.code, 0, escaped.stderr);
    const claims = await verifyEmbedToken(escaped.stdout.trim(), { secret: SECRET, organization: ORGANIZATION });
    assert.deepEqual(claims.env, { DATE_RANGE: ['2014-02-11', '2015-02-11'], NAME: 'Smith, John', PATH_LIKE: 'C:\\dir' });
    const refused = await cli([...sign, '--env', 'NAME=Smith, John']);
    assertOneLineError(refused, /a comma makes a list, and the item " John" is padded with spaces.*"NAME=Smith\\, John"/);
    assertOneLineError(await cli([...sign, '--env', 'IDS=1,,2']), /the item "" is empty/);
  });

  test('a secret file is read up to 4096 bytes: /dev/zero, a large file or a folder fail at once with a clear line', async () => {
    const sign = ['sign', '--organization', '16417', '--dashboard', '38727', '--secret-file'];
    const large = join(dir, 'large');
    await writeFile(large, 'x'.repeat(5_000));
    const folder = join(dir, 'folder');
    await mkdir(folder);
    const [zero, big, isDir] = await Promise.all([cli([...sign, '/dev/zero'], {}), cli([...sign, large], {}), cli([...sign, folder], {})]);
    assertOneLineError(zero, /--secret-file "\/dev\/zero" holds more than 4096 bytes.*check the path/);
    assertOneLineError(big, /holds more than 4096 bytes/);
    assertOneLineError(isDir, /cannot read --secret-file .*\(EISDIR\)/);
    const exact = join(dir, 'exact');
    await writeFile(exact, `${'s'.repeat(4_095)}\n`);
    assert.equal((await cli([...sign, exact], {})).code, 0, 'a file of exactly 4096 bytes is read');
  });

  test('control characters from the command line are escaped in messages, never echoed raw', async () => {
    const outcomes = await Promise.all([
      cli(['\u001b[31mred\u0007']),
      cli(['sign', '--organization', '1\u001b[2J', '--dashboard', '1']),
      cli(['sign', '--organization', '1', '--dashboard', '1', '--env', '\u009bNAME']),
      cli(['sign', '--organization', '1', '--dashboard', '1', '--secret-file', join(dir, 'no\u001b[2Jfile')], {}),
      cli(['sign', '--\u001b[31mbogus']),
      cli(['snippet', '--lang', '\u202ephp']),
    ]);
    for (const outcome of outcomes) {
      assertOneLineError(outcome, /\\u(001b|009b|202e)/);
      assert.doesNotMatch(outcome.stderr, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/, JSON.stringify(outcome.stderr));
    }
  });

  test('revoke\'s note on the reuse window: when fresh tokens pass again, as the signer rounds iat', async () => {
    const cutOff = Date.parse('2026-03-01T02:50:30Z');
    assert.equal(
      reuseWindowNote(cutOff),
      'chartio-embed revoke: signers round issue times down to their reuse window, so tokens signed since are refused too until their window turns: 03:00:00Z for 24-hour tokens (1-hour window), 02:51:00Z for 15-minute tokens (90-second window)',
    );
    // The signer agrees: signed a second before the turn, the iat is before the cut-off (refused); at the turn, not.
    for (const [ttl, turn] of [[86_400, '2026-03-01T03:00:00Z'], [900, '2026-03-01T02:51:00Z']] as const) {
      const iatAt = async (ms: number) => {
        const { token } = await createEmbedSigner({ secret: SECRET, organization: ORGANIZATION, ttl, now: () => ms }).sign({ dashboard: 38727 });
        return (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { iat: number }).iat * 1000;
      };
      assert.ok((await iatAt(Date.parse(turn) - 1_000)) < cutOff, `${ttl}: refused just before ${turn}`);
      assert.ok((await iatAt(Date.parse(turn))) >= cutOff, `${ttl}: passes from ${turn}`);
    }
    // A turn on the next day is given with its date; a cut-off on a window's edge is its own turn.
    assert.match(reuseWindowNote(Date.parse('2026-03-01T23:59:59.500Z')), /: 2026-03-02T00:00:00Z for 24-hour tokens .*, 2026-03-02T00:00:00Z for 15-minute/);
    assert.match(reuseWindowNote(Date.parse('2026-03-01T12:00:00Z')), /: 12:00:00Z for 24-hour tokens .*, 12:00:00Z for 15-minute/);
  });
});

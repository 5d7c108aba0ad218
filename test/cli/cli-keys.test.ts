/**
 * Public-key tokens through the `chartio-embed` CLI, in process through `runCli(args, io)` as
 * `main.ts` calls it (a process per case cost a Node start-up and a TypeScript compile each, over
 * a minute for this file on two busy cores; cli-binary.test.ts runs the built binary): `keygen` prints (or writes) a key pair and a JWKS, and its output is usable end to end: `sign
 * --private-key-file` signs, `verify --public-key-file` and `verify --jwks-url` (against a real
 * local server publishing keygen's JWKS) verify, and so does the library with the public key.
 * @module
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateKeys } from '../../src/cli/keygen-command.js';
import { assertOneLineError as assertOneLine, cli as runInProcess, type Outcome } from './cli-in-process.js';
import { createEmbedVerifier } from '../../src/server/node/index.js';
import { listenLocal } from '../launchers/listen-local.js';
import { ORGANIZATION, SECRET } from '../server/helpers/signer-fixtures.js';

/** The CLI in process, with no environment unless told. */
const cli = (args: readonly string[], env: Record<string, string> = {}): Promise<Outcome> => runInProcess(args, env);

/** A one-line error that shows no stack trace and no key. */
const assertOneLineError = (outcome: Outcome, pattern: RegExp, exitCode = 2): void => assertOneLine(outcome, pattern, exitCode, /\n\s+at |node:internal|\.ts:\d+|KEY-----\n/);

let folder: string;
let jwksServer: Server;
let jwksBody = '{"keys":[]}';
let jwksUrl = '';

before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'chartio-keygen-'));
  jwksServer = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(jwksBody));
  jwksUrl = `${(await listenLocal(jwksServer)).origin}/.well-known/jwks.json`;
});
after(async () => {
  jwksServer.close();
  await rm(folder, { recursive: true, force: true });
});

describe('chartio-embed keygen, sign and verify with a key pair', () => {
  for (const alg of ['ES256', 'EdDSA'] as const) {
    test(`${alg}: keygen --json, then sign --private-key-file, verify --public-key-file, verify --jwks-url, and the library`, async () => {
      const generated = await cli(['keygen', '--alg', alg, '--kid', `${alg}-1`, '--json']);
      assert.equal(generated.code, 0, generated.stderr);
      const keys = JSON.parse(generated.stdout) as { alg: string; kid: string; privateKey: string; publicKey: string; jwks: { keys: Array<Record<string, string>> } };
      assert.equal(keys.alg, alg);
      assert.match(keys.privateKey, /^-----BEGIN PRIVATE KEY-----\n/);
      assert.match(keys.publicKey, /^-----BEGIN PUBLIC KEY-----\n/);
      assert.deepEqual(Object.keys(keys.jwks.keys[0]!).sort(), (alg === 'ES256' ? ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y'] : ['alg', 'crv', 'kid', 'kty', 'use', 'x']).sort());
      assert.equal(keys.jwks.keys[0]!.d, undefined, 'no private part in the JWKS');
      await writeFile(join(folder, `${alg}.key.pem`), keys.privateKey);
      await writeFile(join(folder, `${alg}.pub.pem`), keys.publicKey);

      const signed = await cli(['sign', '--organization', String(ORGANIZATION), '--dashboard', '38727', '--env', 'ACCT_ID=7', '--kid', `${alg}-1`, '--private-key-file', join(folder, `${alg}.key.pem`)]);
      assert.equal(signed.code, 0, signed.stderr);
      const token = signed.stdout.trim();
      assert.equal(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).alg, alg);

      const byFile = await cli(['verify', token, '--organization', String(ORGANIZATION), '--kid', `${alg}-1`, '--public-key-file', join(folder, `${alg}.pub.pem`)]);
      assert.equal(byFile.code, 0, byFile.stderr);
      assert.deepEqual(JSON.parse(byFile.stdout).env, { ACCT_ID: '7' });

      jwksBody = JSON.stringify(keys.jwks);
      const byJwks = await cli(['verify', token, '--organization', String(ORGANIZATION), '--jwks-url', jwksUrl]);
      assert.equal(byJwks.code, 0, byJwks.stderr);

      const claims = await createEmbedVerifier({ keys: [{ kid: `${alg}-1`, publicKey: keys.publicKey }], organization: ORGANIZATION }).verify(token);
      assert.equal(claims.dashboard, 38727);
      // The Embed Secret verifies none of it: the token names a public key's algorithm.
      const withSecret = await cli(['verify', token, '--organization', String(ORGANIZATION), '--kid', `${alg}-1`], { CHARTIO_EMBED_SECRET: SECRET });
      assertOneLineError(withSecret, /^error token_algorithm: /, 1);
    });
  }

  test('keygen prints the private key, the public key and the JWKS, each under what it is for; the kid defaults to the day', async () => {
    const outcome = await cli(['keygen', '--alg', 'EdDSA']);
    assert.equal(outcome.code, 0, outcome.stderr);
    const kid = new Date().toISOString().slice(0, 10);
    assert.match(outcome.stdout, new RegExp(`^# EdDSA key pair, kid "${kid}"\\n# The private key: for the signing server only`));
    const privatePem = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\n/.exec(outcome.stdout)?.[0];
    const publicPem = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----\n/.exec(outcome.stdout)?.[0];
    const jwksPart = outcome.stdout.slice(outcome.stdout.indexOf('# The JWKS'));
    const jwks = JSON.parse(jwksPart.slice(jwksPart.indexOf('\n') + 1)) as { keys: Array<{ kid: string }> };
    assert.ok(privatePem && publicPem);
    assert.equal(jwks.keys[0]!.kid, kid);
    // The printed pair is a pair: the private key's token verifies with the printed public key.
    await writeFile(join(folder, 'printed.key.pem'), privatePem);
    const signed = await cli(['sign', '--organization', '1', '--dashboard', '2', '--kid', kid, '--private-key-file', join(folder, 'printed.key.pem')]);
    assert.equal(signed.code, 0, signed.stderr);
    await createEmbedVerifier({ keys: [{ kid, publicKey: publicPem }], organization: 1 }).verify(signed.stdout.trim());
  });

  test('keygen --out writes the three files, the private one readable by its owner only, and never overwrites', async () => {
    const prefix = join(folder, 'signer-2026-01');
    const outcome = await cli(['keygen', '--alg', 'ES256', '--kid', '2026-01', '--out', prefix]);
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.doesNotMatch(outcome.stdout, /PRIVATE KEY-----/, 'the private key is not printed');
    assert.match(outcome.stdout, /-----BEGIN PUBLIC KEY-----/);
    assert.equal((await stat(`${prefix}.key.pem`)).mode & 0o777, 0o600);
    const before = await readFile(`${prefix}.key.pem`, 'utf8');
    assertOneLineError(await cli(['keygen', '--alg', 'ES256', '--out', prefix]), /never overwrites a key file/);
    assert.equal(await readFile(`${prefix}.key.pem`, 'utf8'), before);
    const jwks = JSON.parse(await readFile(`${prefix}.jwks.json`, 'utf8')) as { keys: Array<{ kid: string; alg: string; use: string }> };
    assert.deepEqual([jwks.keys[0]!.kid, jwks.keys[0]!.alg, jwks.keys[0]!.use], ['2026-01', 'ES256', 'sig']);
  });

  test('mistakes: exit 2 and one clear line, never a key', async () => {
    assertOneLineError(await cli(['keygen']), /keygen needs --alg ES256 \(EC P-256\) or --alg EdDSA/);
    assertOneLineError(await cli(['keygen', '--alg', 'RS256']), /got "RS256"/);
    assertOneLineError(await cli(['keygen', '--alg', 'ES256', '--kid', 'a b']), /--kid must be 1 to 64 printable ASCII/);
    const pair = generateKeys('ES256', 'k');
    const keyFile = join(folder, 'mistakes.key.pem');
    const pubFile = join(folder, 'mistakes.pub.pem');
    await writeFile(keyFile, pair.privateKey);
    await writeFile(pubFile, pair.publicKey);
    assertOneLineError(await cli(['sign', '--organization', '1', '--dashboard', '2', '--private-key-file', keyFile]), /^error invalid_key_id: a signer with a privateKey needs a kid/);
    assertOneLineError(await cli(['sign', '--organization', '1', '--dashboard', '2', '--kid', 'k', '--private-key-file', pubFile]), /^error invalid_key: privateKey is a public key/);
    assertOneLineError(await cli(['sign', '--organization', '1', '--dashboard', '2', '--kid', 'k', '--private-key-file', keyFile, '--secret-file', pubFile]), /not both/);
    assertOneLineError(await cli(['verify', 'a.b.c', '--organization', '1', '--public-key-file', pubFile]), /--public-key-file needs --kid/);
    assertOneLineError(await cli(['verify', 'a.b.c', '--organization', '1', '--kid', 'k', '--public-key-file', keyFile]), /^error invalid_key: keys\[0\]\.publicKey is a private key/);
    assertOneLineError(await cli(['verify', 'a.b.c', '--organization', '1', '--jwks-url', 'not a url']), /jwksUrl must be an absolute http\(s\) URL/);
  });
});

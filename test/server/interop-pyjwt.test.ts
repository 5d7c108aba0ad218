/**
 * Interoperability with an independent JWT implementation: Debian's PyJWT (`python3-jwt`), the
 * library a Django host app like the seed's would sign with. Tokens cross both ways.
 * The secret reaches Python through an environment variable, never argv.
 * @module
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { beforeEach, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { createEmbedSigner, verifyEmbedToken } from '../../src/server/index.js';
import { DASHBOARD, ORGANIZATION, OTHER_SECRET, SECRET, rejectsWith } from './helpers/signer-fixtures.js';

const run = promisify(execFile);
/** Debian's interpreter, where python3-jwt installs; overridable to test another one. */
const PYTHON = process.env.PYJWT_PYTHON ?? '/usr/bin/python3';

/** Runs a Python snippet with PyJWT; `vars` become environment variables of the child. */
async function python(code: string, vars: Record<string, string>): Promise<string> {
  const { stdout } = await run(PYTHON, ['-c', code], { env: { ...vars, PYTHONIOENCODING: 'utf-8' }, timeout: 15_000 });
  return stdout.trim();
}

const SIGN = `
import json, os, jwt
payload = json.loads(os.environ["PAYLOAD"])
token = jwt.encode(payload, os.environ["SECRET"], algorithm=os.environ.get("ALG", "HS256"))
print(token if isinstance(token, str) else token.decode())
`;

const DECODE = `
import json, os, jwt
token = os.environ["TOKEN"]
try:
    claims = jwt.decode(token, os.environ["SECRET"], algorithms=["HS256"])
    print(json.dumps({"ok": True, "header": jwt.get_unverified_header(token), "claims": claims}))
except jwt.InvalidTokenError as error:
    print(json.dumps({"ok": False, "error": type(error).__name__}))
`;

let available: Promise<boolean> | undefined;

/** Fails the calling test, never skips it, when PyJWT is missing: CI must install it. */
async function requirePyJwt(): Promise<void> {
  available ??= python('import jwt', {}).then(() => true, () => false);
  if (!(await available)) assert.fail(`PyJWT is not importable by ${PYTHON}: apt-get install python3-jwt (CI installs it)`);
}

describe('interop with PyJWT', () => {
  beforeEach(requirePyJwt);

  test('a token PyJWT signs is accepted by verifyEmbedToken, claims equal', async () => {
    const now = Math.floor(Date.now() / 1000);
    // Key order as a Python dict literal would have it, not ours: the verifier must not care.
    const payload = { exp: now + 900, iat: now, env: { USER_ID: '7', DATE_RANGE: ['2014-02-11', '2015-02-11'], ACCT_ID: '1' }, dashboard: DASHBOARD, organization: ORGANIZATION };
    const token = await python(SIGN, { SECRET, PAYLOAD: JSON.stringify(payload) });
    const claims = await verifyEmbedToken(token, { secret: SECRET, organization: ORGANIZATION, dashboard: DASHBOARD });
    assert.deepEqual(claims, payload);
  });

  test('our token decodes and verifies in PyJWT with equal claims and the plain HS256 header', async () => {
    const signer = createEmbedSigner({ secret: SECRET, organization: ORGANIZATION, ttl: 900 });
    const { token } = await signer.sign({ dashboard: DASHBOARD, env: { ACCT_ID: 1, DATE_RANGE: ['2014-02-11', '2015-02-11'] } });
    const ours = await verifyEmbedToken(token, { secret: SECRET, organization: ORGANIZATION });
    const theirs = JSON.parse(await python(DECODE, { SECRET, TOKEN: token })) as { ok: boolean; header: unknown; claims: unknown };
    assert.equal(theirs.ok, true);
    assert.deepEqual(theirs.header, { alg: 'HS256', typ: 'JWT' });
    assert.deepEqual(theirs.claims, ours);
  });

  test('each side refuses what it should: PyJWT with another secret, us with PyJWT\'s HS512', async () => {
    const { token } = await createEmbedSigner({ secret: SECRET, organization: ORGANIZATION }).sign({ dashboard: DASHBOARD });
    const theirs = JSON.parse(await python(DECODE, { SECRET: OTHER_SECRET, TOKEN: token })) as { ok: boolean; error: string };
    assert.deepEqual(theirs, { ok: false, error: 'InvalidSignatureError' });
    const now = Math.floor(Date.now() / 1000);
    const hs512 = await python(SIGN, { SECRET, ALG: 'HS512', PAYLOAD: JSON.stringify({ organization: ORGANIZATION, dashboard: DASHBOARD, env: {}, iat: now, exp: now + 60 }) });
    await rejectsWith(verifyEmbedToken(hs512, { secret: SECRET, organization: ORGANIZATION }), 'token_algorithm', { token: hs512 });
  });
});

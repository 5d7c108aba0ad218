/**
 * The built `chartio-embed` binary (dist/cli/main.js, package.json's `bin`) run as a process, as
 * a user's shell runs it: its shebang, its exit codes (0, 1 refused, 2 usage) and what goes to
 * stdout and stderr. Everything else about the CLI is tested in process, in cli.test.ts.
 * Needs `npm run build` (npm test builds first).
 * @module
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ORGANIZATION, SECRET } from '../server/helpers/signer-fixtures.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(await readFile(new URL('package.json', `file://${ROOT}`), 'utf8')) as { version: string; bin: Record<string, string> };
const BINARY = fileURLToPath(new URL(pkg.bin['chartio-embed']!, `file://${ROOT}`));

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the binary through the interpreter its shebang names (as the kernel would, without
 * needing the file's executable bit, which npm sets only on install); only `env` reaches it.
 */
async function binary(args: readonly string[], env: Record<string, string> = {}): Promise<Outcome> {
  assert.ok(existsSync(BINARY), `${BINARY} is missing: run npm run build first`);
  const shebang = /^#!(\S+)(?: (.*))?\n/.exec(await readFile(BINARY, 'utf8'));
  assert.ok(shebang, 'the binary starts with a #! line');
  const [interpreter, ...interpreterArgs] = [shebang[1]!, ...(shebang[2]?.split(' ') ?? [])];
  return new Promise((resolve, reject) => {
    execFile(interpreter, [...interpreterArgs, BINARY, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
    });
  });
}

describe('the built chartio-embed binary', () => {
  test('its shebang is `#!/usr/bin/env node`, and through it --version prints the package version', async () => {
    assert.match(await readFile(BINARY, 'utf8'), /^#!\/usr\/bin\/env node\n/);
    const outcome = await binary(['--version']);
    assert.deepEqual(outcome, { code: 0, stdout: `chartio-embed ${pkg.version}\n`, stderr: '' });
  });

  test('exit 0 with the token on stdout; exit 1 for a refused token, exit 2 for a usage mistake, one line on stderr each', async () => {
    const env = { CHARTIO_EMBED_SECRET: SECRET };
    const signed = await binary(['sign', '--organization', String(ORGANIZATION), '--dashboard', '38727'], env);
    assert.equal(signed.code, 0, signed.stderr);
    assert.equal(signed.stderr, '');
    assert.match(signed.stdout, /^[\w-]+\.[\w-]+\.[\w-]+\n$/);

    const verified = await binary(['verify', signed.stdout.trim(), '--organization', String(ORGANIZATION)], env);
    assert.equal(verified.code, 0, verified.stderr);
    assert.equal((JSON.parse(verified.stdout) as { dashboard: number }).dashboard, 38727);

    const refused = await binary(['verify', signed.stdout.trim(), '--organization', '99'], env);
    assert.deepEqual([refused.code, refused.stdout], [1, '']);
    assert.match(refused.stderr, /^error token_organization: [^\n]*\n$/);

    const usage = await binary(['sign', '--dashboard', '38727'], env);
    assert.deepEqual([usage.code, usage.stdout], [2, '']);
    assert.match(usage.stderr, /^chartio-embed: --organization is required[^\n]*\n$/);
  });

  test('the secret comes from the environment the process gets, and nowhere else', async () => {
    const outcome = await binary(['sign', '--organization', String(ORGANIZATION), '--dashboard', '38727']);
    assert.deepEqual([outcome.code, outcome.stdout], [2, '']);
    assert.match(outcome.stderr, /no Embed Secret: set CHARTIO_EMBED_SECRET/);
  });
});

/**
 * The packed tarball passes both package linters with nothing to report: publint (package.json
 * fields against the files that ship, at its most detailed level, suggestions included) and
 * are-the-types-wrong (every export resolves to JavaScript and to matching types, under
 * TypeScript's node10, node16 and bundler resolution).
 * Run after `npm run build`: node --import tsx --test test/package/lint.test.ts
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { open, readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { packPackage, root, type PackedPackage } from './support/pack.js';

let packed: PackedPackage;
before(async () => {
  packed = await packPackage();
});
after(() => packed?.remove());

test('publint finds nothing to say about the tarball, not even a suggestion', async () => {
  const tarball = await readFile(packed.tarball);
  const { messages, pkg } = await publint({ pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) }, level: 'suggestion', strict: true });
  assert.deepEqual(messages.map((message) => `${message.type}: ${formatMessage(message, pkg) ?? message.code}`), []);
});

/** One problem are-the-types-wrong reports, as its JSON output has it. */
interface Problem {
  kind: string;
  entrypoint?: string;
  resolutionKind?: string;
}

/**
 * What the package means to be, and so is not a problem: ESM only (`"type": "module"`, no
 * CommonJS build). A `require()` of it is an ES module to TypeScript's node16 CommonJS mode; on
 * the Node versions the package supports (`engines`: >= 20.19) `require()` loads ES modules, and
 * the quick-start test requires `chartio-embed/server` and `chartio-embed/host` to prove it.
 */
const ESM_ONLY = (problem: Problem) => problem.kind === 'CJSResolvesToESM' && problem.resolutionKind === 'node16-cjs';

test('are-the-types-wrong: every export has types under node10, node16 and bundler resolution', async () => {
  const cli = join(root, 'node_modules/@arethetypeswrong/cli/dist/index.js');
  // Into a file, not a pipe: attw exits as soon as it has written, and a pipe (asynchronous in
  // Node) would lose the end of its JSON. It exits 1 when it finds problems; the JSON says which.
  const output = join(packed.dir, '..', 'attw.json');
  const file = await open(output, 'w');
  try {
    const child = spawn(process.execPath, [cli, packed.tarball, '--format', 'json'], { stdio: ['ignore', file.fd, 'inherit'] });
    const [code] = await once(child, 'exit');
    assert.ok(code === 0 || code === 1, `attw exited with ${code}`);
  } finally {
    await file.close();
  }
  const stdout = await readFile(output, 'utf8');
  const report = JSON.parse(stdout) as { analysis: { entrypoints: Record<string, unknown> }; problems?: Record<string, Problem[]> };
  const problems = Object.values(report.problems ?? {}).flat();
  assert.deepEqual(problems.filter((problem) => !ESM_ONLY(problem)), []);

  // It looked at every export the package declares, and the engines promise still holds.
  const pkg = JSON.parse(await readFile(join(packed.dir, 'package.json'), 'utf8'));
  assert.deepEqual(Object.keys(report.analysis.entrypoints).sort(), Object.keys(pkg.exports).sort());
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.engines.node, '>=20.19');
});

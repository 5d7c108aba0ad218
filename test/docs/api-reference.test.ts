/**
 * docs/reference/api/ is TypeDoc's output for the three public entry points (typedoc.json), and
 * stays so: TypeDoc runs again into a temporary folder and every file must equal the committed
 * one, none missing, none extra. When this fails, run `npm run docs:api` and commit the result.
 * The output is deterministic by configuration: no source links (no git revision), no generator
 * line, no dates.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));
const committed = join(root, 'docs/reference/api');
const typedoc = join(root, 'node_modules/typedoc/bin/typedoc');

/** Every file under `folder`, by its path relative to it, sorted. */
async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)))
    .sort();
}

const out = await mkdtemp(join(tmpdir(), 'chartio-embed-api-'));
after(() => rm(out, { recursive: true, force: true }));

test('docs/reference/api/ is what `npm run docs:api` generates from the doc comments now', { timeout: 180_000 }, async () => {
  await promisify(execFile)(process.execPath, [typedoc, '--out', out, '--logLevel', 'Error'], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
  const generated = await filesUnder(out);
  const have = await filesUnder(committed);
  assert.ok(generated.includes('index.md') && generated.some((file) => file.startsWith('server/')), 'TypeDoc produced the reference');
  const stale = 'docs/reference/api/ is out of date: run `npm run docs:api` and commit the result';
  assert.deepEqual(have, generated, `${stale} (files differ)`);
  for (const file of generated) {
    const [want, got] = await Promise.all([readFile(join(out, file), 'utf8'), readFile(join(committed, file), 'utf8')]);
    assert.equal(got, want, `${stale} (${file} differs)`);
  }
});

test('the generated reference names no source file or revision and no generator', async () => {
  for (const file of await filesUnder(committed)) {
    const text = await readFile(join(committed, file), 'utf8');
    // What would change with every commit or TypeDoc release: "Defined in" source links (they
    // carry the git revision) and the generator's line.
    assert.doesNotMatch(text, /Defined in|\/blob\/[0-9a-f]{7,}|Generated (using|by) TypeDoc/, file);
  }
});

/**
 * Walks the import graph of the built browser entry (what `import 'chartio-embed'` loads) and
 * fails if any server code, jose or a Node built-in is reachable from it. Runs on dist/, after
 * `npm run build`, so it checks what is shipped rather than what the sources intend.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';

const root = fileURLToPath(new URL('../../', import.meta.url));

function isForbidden(id: string): string | undefined {
  if (id.startsWith('node:') || id.startsWith('\0node:')) return 'a node: built-in';
  if (/[\\/]node_modules[\\/]jose[\\/]/.test(id) || id === 'jose') return 'jose';
  if (/[\\/]dist[\\/](server|host|cli)[\\/]/.test(id)) return 'server-side code';
  if (/[\\/]node_modules[\\/]@duckdb[\\/]/.test(id)) return 'the database driver';
  return undefined;
}

test('nothing reachable from the browser entry imports jose, node: modules or server code', async () => {
  const pkg = JSON.parse(await readFile(`${root}package.json`, 'utf8'));
  const entry = `${root}${pkg.exports['.'].default.replace(/^\.\//, '')}`;
  const bundle = await rollup({
    input: entry,
    plugins: [nodeResolve({ browser: true })],
    // Report unresolved bare imports instead of silently leaving them external.
    onwarn(warning) {
      throw new Error(`rollup: ${warning.message}`);
    },
  });
  const ids = bundle.cache!.modules.map((module) => module.id);
  const { output } = await bundle.generate({ format: 'es' });
  await bundle.close();
  const externals = output.flatMap((chunk) => (chunk.type === 'chunk' ? chunk.imports : []));

  assert.ok(ids.some((id) => id.includes(`${'dist'}/element/`)), 'the walk reached the element');
  assert.ok(ids.some((id) => /node_modules[\\/]lit/.test(id) || /node_modules[\\/]@lit/.test(id)), 'the walk reached Lit');
  const offenders = [...ids, ...externals]
    .map((id) => ({ id, why: isForbidden(id) }))
    .filter((entry) => entry.why !== undefined);
  assert.deepEqual(offenders, [], 'the browser bundle must stay free of server code');
  assert.deepEqual(externals, [], 'every import of the browser entry resolves to browser code');
});

test('the minified browser bundles carry no server markers', async () => {
  for (const file of ['dist/browser/chartio-embed.js', 'dist/browser/chartio-embed.lit-external.js']) {
    const text = await readFile(`${root}${file}`, 'utf8');
    for (const marker of ['node:', 'jose', 'createHmac', 'importKey', 'EmbedError']) {
      assert.equal(text.includes(marker), false, `${file} contains "${marker}"`);
    }
  }
});

test('the forbidden-module check itself recognizes what it must refuse', () => {
  assert.equal(isForbidden('node:crypto'), 'a node: built-in');
  assert.equal(isForbidden('/x/node_modules/jose/dist/webapi/index.js'), 'jose');
  assert.equal(isForbidden('/x/dist/server/signer.js'), 'server-side code');
  assert.equal(isForbidden('/x/dist/element/chartio-embed.js'), undefined);
});

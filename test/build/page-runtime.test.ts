/**
 * The page runtime (src/page) as the host ships it: the strings in
 * src/host/page/page-runtime.generated.ts are what src/page bundles to now (so nobody edits
 * src/page and serves the old script), the bundles reach nothing but src/page and src/protocol
 * (no server code, jose, Node built-ins or npm package), they are safe inside an inline
 * `<script>`, and the CSP allows exactly them by hash, with no `unsafe-inline` or `unsafe-eval`.
 * The built package (dist/, after `npm run build`) carries the same strings.
 * Run: node --import tsx --test test/build/page-runtime.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePage } from '../../scripts/page-bundle.mjs';
import { GENERATED_FILE, generatedModule } from '../../scripts/build-page.mjs';
import { HEAD_SCRIPT, PAGE_SCRIPT } from '../../src/host/page/page-runtime.generated.js';
import { cspHash } from '../../src/host/page/page-assets.js';
import { contentSecurityPolicy } from '../../src/host/page/security-headers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const built = await bundlePage();

/** Why a module may not be in the page's bundle, or undefined when it may. */
function forbidden(id: string): string | undefined {
  const path = relative(root, id);
  if (id.startsWith('node:') || id.startsWith('\0')) return 'a Node built-in or virtual module';
  if (path.startsWith('node_modules')) return 'an npm package (the page loads Chart.js from the host, nothing else)';
  if (!/^src[\\/](page|protocol)[\\/]/.test(path)) return 'code outside src/page and src/protocol';
  return undefined;
}

test('page-runtime.generated.ts is what src/page bundles to now (else: npm run build:page)', async () => {
  assert.equal(await readFile(GENERATED_FILE, 'utf8'), generatedModule(built.head.code, built.page.code));
  assert.equal(HEAD_SCRIPT, built.head.code);
  assert.equal(PAGE_SCRIPT, built.page.code);
});

test('the head and page scripts reach only src/page and src/protocol', () => {
  for (const [name, bundle] of Object.entries(built)) {
    assert.ok(bundle.modules.some((id) => id.endsWith('src/page/look.ts')), `${name}: the walk reached the page runtime`);
    const offenders = bundle.modules.map((id) => ({ id, why: forbidden(id) })).filter((entry) => entry.why !== undefined);
    assert.deepEqual(offenders, [], `${name}: the page's bundle must stay free of server code`);
  }
  assert.ok(built.page.modules.some((id) => id.endsWith('src/protocol/frame-messages.ts')), 'the page script takes the protocol from src/protocol');
});

test('the forbidden-module check itself recognizes what it must refuse', () => {
  assert.equal(forbidden('node:crypto'), 'a Node built-in or virtual module');
  assert.match(forbidden(`${root}node_modules/jose/dist/webapi/index.js`)!, /npm package/);
  assert.match(forbidden(`${root}src/server/signer.ts`)!, /outside/);
  assert.match(forbidden(`${root}src/host/page/html.ts`)!, /outside/);
  assert.equal(forbidden(`${root}src/page/main.ts`), undefined);
});

test('the scripts are safe inline and carry no server markers', () => {
  for (const code of [HEAD_SCRIPT, PAGE_SCRIPT]) {
    assert.doesNotMatch(code, /<\/script|<!--|<script/i);
    // ASCII only: no text of the script ("Loading…") reads as page text to an HTML scan.
    assert.match(code, /^[\x20-\x7e]*$/);
    for (const marker of ['node:', 'jose', 'createHmac', 'importKey', 'EmbedError', 'process.env']) assert.equal(code.includes(marker), false, marker);
  }
  assert.equal(generatedModule('ok', 'fine').includes('"fine"'), true);
  assert.throws(() => generatedModule('ok', 'x="</script>"'), /would break its inline <script>/);
});

test('the CSP allows the two scripts by hash, and nothing inline otherwise', () => {
  const scripts = contentSecurityPolicy(['https://app.example.com'])
    .split('; ')
    .find((directive) => directive.startsWith('script-src '))!;
  assert.deepEqual(scripts.split(' ').slice(1).sort(), ["'self'", cspHash(HEAD_SCRIPT), cspHash(PAGE_SCRIPT)].sort());
  assert.doesNotMatch(contentSecurityPolicy([]), /unsafe-inline|unsafe-eval/);
});

test('the built host (dist/) carries the same scripts', async () => {
  const shipped = (await import(`${root}dist/host/page/page-runtime.generated.js`)) as typeof import('../../src/host/page/page-runtime.generated.js');
  assert.equal(shipped.HEAD_SCRIPT, HEAD_SCRIPT);
  assert.equal(shipped.PAGE_SCRIPT, PAGE_SCRIPT);
});

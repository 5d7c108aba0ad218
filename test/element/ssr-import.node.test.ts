/**
 * The element under plain Node (server-side rendering, a test runner without a DOM): importing
 * the module entry or the Lit-bundled build must not throw, and registering the tag twice must
 * not either. The test hooks (`clock`, `clearTokens`) are not part of the public entry.
 * Run after `npm run build`: node --import tsx --test test/element/ssr-import.node.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

test('importing the element in Node does not throw, and defines the tag once', async () => {
  assert.equal(typeof (globalThis as { document?: unknown }).document, 'undefined', 'this test runs without a DOM');
  const module = await import('../../src/element/index.js');
  assert.equal(typeof module.ChartioEmbedElement, 'function');
  // Lit's Node build provides a minimal customElements registry: the tag is in it.
  assert.equal(customElements.get('chartio-embed'), module.ChartioEmbedElement);
  // A second copy of the registration (two bundles on a page) is a no-op, not an error.
  await import(`../../src/element/define.js?again=${Date.now()}`);
  assert.equal(customElements.get('chartio-embed'), module.ChartioEmbedElement);
});

test('constructing the class in Node does not touch the DOM', async () => {
  const { ChartioEmbedElement } = await import('../../src/element/index.js');
  const element = new ChartioEmbedElement();
  element.dashboard = 38727;
  element.frameTimeout = 5000;
  assert.equal(element.dashboard, 38727);
  assert.equal(element.frameTimeout, 5000);
});

test('the public entry exports no test hooks', async () => {
  const module: Record<string, unknown> = await import('../../src/element/index.js');
  assert.equal(module.clock, undefined);
  assert.equal(module.clearTokens, undefined);
  assert.equal(module.FRAME_PROTOCOL_VERSION, 1);
});

test('importing the Lit-bundled build (chartio-embed/bundle) in a fresh Node does not throw', async () => {
  // A process of its own: nothing this file imported (Lit's Node build, its registry) may help.
  // Run in the package's folder, so `chartio-embed/bundle` resolves through its own exports.
  const script = `
    const entry = await import('chartio-embed/bundle');
    console.log(JSON.stringify({
      element: typeof entry.ChartioEmbedElement,
      tag: entry.TAG_NAME,
      registry: typeof globalThis.customElements,
      document: typeof globalThis.document,
    }));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
  // Nothing registered (there is no registry), nothing pretends to be a document.
  assert.deepEqual(JSON.parse(stdout), { element: 'function', tag: 'chartio-embed', registry: 'undefined', document: 'undefined' });
});

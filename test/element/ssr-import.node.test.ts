/**
 * The element module under plain Node (server-side rendering, a test runner without a DOM):
 * importing it must not throw, and registering the tag twice must not either.
 * Run: node --import tsx --test test/element/ssr-import.node.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';

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
  element.setAttribute('dashboard', '38727');
  assert.equal(element.getAttribute('dashboard'), '38727');
});

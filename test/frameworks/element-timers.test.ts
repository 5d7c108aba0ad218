/**
 * Why the framework pages may count the element's timers through its `clock` alone: no module of
 * the element schedules anything except through that object. The browser tests then read "no
 * timer left" from a counter that sees every timer the element can set.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { test } from 'node:test';

const ELEMENT = new URL('../../src/element/', import.meta.url);
/** A scheduling call not made through `clock.` (`window.setTimeout(` counts as direct too). */
const DIRECT = /(?<!clock\.)\b(setTimeout|setInterval|requestAnimationFrame|requestIdleCallback)\s*\(/g;

test('every timer of the element goes through its exported clock', async () => {
  const files = (await readdir(ELEMENT)).filter((name) => name.endsWith('.ts') && name !== 'clock.ts');
  assert.ok(files.includes('chartio-embed.ts'), 'the element sources are where this test looks');
  const direct: string[] = [];
  for (const name of files) {
    const source = await readFile(new URL(name, ELEMENT), 'utf8');
    for (const match of source.matchAll(DIRECT)) direct.push(`${name}: ${match[0]}`);
  }
  assert.deepEqual(direct, []);
});

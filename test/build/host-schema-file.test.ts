/**
 * The build emits host.json's TypeBox definition itself as dist/host.schema.json, which the
 * package exports and ships. Run after the build: node --import tsx --test test/build/host-schema-file.test.ts
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { hostJsonSchema } from '../../src/host/config/schema/host-file.js';

test('the build emits the definition itself as dist/host.schema.json, exported by the package', async () => {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
  assert.equal(pkg.exports['./host.schema.json'], './dist/host.schema.json');
  assert.ok(pkg.files.includes('dist/host.schema.json'));
  assert.match(pkg.scripts.build, /node scripts\/emit-host-schema\.mjs/);
  const emitted = JSON.parse(await readFile(new URL('../../dist/host.schema.json', import.meta.url), 'utf8')) as any;
  assert.equal(emitted.properties.dataSources.patternProperties['^[A-Za-z][A-Za-z0-9_-]{0,63}$'].anyOf.length >= 2, true);
  assert.deepEqual(emitted, hostJsonSchema());
});

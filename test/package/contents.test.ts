/**
 * What the tarball holds: what a user needs (the built code with its types, the manifest, the
 * docs and examples the README links, LICENSE) and nothing else; no source maps pointing at
 * sources that do not ship; no script that runs when it is installed; every link in its Markdown
 * files leading to a file it ships; and `chartio-embed/bundle`'s types naming exactly what the
 * bundle exports.
 * Run after `npm run build`: node --import tsx --test test/package/contents.test.ts
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { dirname, join, posix } from 'node:path';
import ts from 'typescript';
import { packPackage, type PackedPackage } from './support/pack.js';
import { anchors, relativeLinks } from '../docs/markdown-files.js';

let packed: PackedPackage;
let pkg: Record<string, any>;
before(async () => {
  packed = await packPackage();
  pkg = JSON.parse(await readFile(join(packed.dir, 'package.json'), 'utf8'));
});
after(() => packed?.remove());

/** Every kind of file the package may ship, and why. */
const SHIPPED: Array<[RegExp, string]> = [
  [/^(package\.json|README\.md|LICENSE)$/, 'what npm always ships'],
  [/^CONTRIBUTING\.md$/, 'the contributor guide the docs link'],
  [/^dist\/(element|server|host|protocol)\/.+\.(js|d\.ts)$/, 'the code behind the exports, with its types'],
  [/^dist\/cli\/(dev\/)?[^/]+\.js$/, 'the CLI and its dev server (a bin needs no types)'],
  [/^dist\/browser\/chartio-embed\.(js|d\.ts)$/, 'chartio-embed/bundle and its types'],
  [/^dist\/custom-elements\.json$/, 'the Custom Elements Manifest'],
  [/^dist\/dashboard\.schema\.json$/, 'the JSON Schema of dashboard files (chartio-embed/dashboard.schema.json)'],
  [/^docs\/(.+\/)?[^/]+\.md$/, 'the documentation the README links: its index, tutorial, how-to, reference and explanation pages'],
  [/^docs\/images\/[a-z-]+\.png$/, 'the screenshot the README shows'],
  [/^dist\/host\.schema\.json$/, 'chartio-embed/host.schema.json, for editors'],
  [/^examples\/README\.md$|^examples\/[a-z]+\/app\.(py|rb|php)$/, 'the endpoints in other languages the README links'],
  [/^examples\/quickstart\/(package\.json|server\.mjs|make-database\.mjs|index\.html|orders\.csv|dashboards\/[a-z-]+\.json)$/, 'the quick start, to copy'],
];

test('the tarball holds only what a user needs', () => {
  const unexpected = packed.files.filter((file) => !SHIPPED.some(([pattern]) => pattern.test(file)));
  assert.deepEqual(unexpected, [], 'files no rule ships');
  for (const [pattern, why] of SHIPPED) assert.ok(packed.files.some((file) => pattern.test(file)), `nothing ships for: ${why}`);
});

test('every path package.json names is in the tarball', () => {
  const targets: string[] = [pkg.main, pkg.types, pkg.customElements, ...Object.values<string>(pkg.bin)];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') targets.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect(pkg.exports);
  collect(pkg.typesVersions);
  const missing = targets.map((target) => posix.normalize(target)).filter((target) => !packed.files.includes(target));
  assert.deepEqual(missing, []);
  assert.ok(targets.length > 15, 'the paths were collected');
});

test('chartio-embed/dashboard.schema.json: the shipped JSON Schema is the definition the host validates with', async () => {
  assert.equal(pkg.exports['./dashboard.schema.json'], './dist/dashboard.schema.json');
  const shipped = JSON.parse(await readFile(join(packed.dir, 'dist/dashboard.schema.json'), 'utf8'));
  const { dashboardFileSchema } = await import('../../src/host/definition/dashboard-schema.js');
  assert.deepEqual(shipped, JSON.parse(JSON.stringify(dashboardFileSchema())));
  assert.equal(shipped.$schema, 'http://json-schema.org/draft-07/schema#');
  assert.ok(shipped.properties.charts.items.anyOf.length >= 6, 'one schema per chart type');
});

test('MIT in package.json, and the LICENSE file to go with it', async () => {
  assert.equal(pkg.license, 'MIT');
  const license = await readFile(join(packed.dir, 'LICENSE'), 'utf8');
  assert.match(license, /^MIT License\n\nCopyright \(c\) \d{4} /);
  assert.match(license, /THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND/);
});

test('no source maps: none ship, and no shipped file points at one', async () => {
  assert.deepEqual(packed.files.filter((file) => file.endsWith('.map')), []);
  for (const file of packed.files.filter((name) => /\.(js|d\.ts)$/.test(name))) {
    const text = await readFile(join(packed.dir, file), 'utf8');
    assert.doesNotMatch(text, /^\/\/[#@] sourceMappingURL=/m, file);
  }
});

test('nothing runs when the package is installed: the build runs before packing, not after', () => {
  for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) {
    assert.equal(pkg.scripts?.[hook], undefined, `a "${hook}" script runs (and warns) on every install of the tarball`);
  }
  assert.equal(pkg.scripts.prepack, 'npm run build', 'npm pack and npm publish build dist/ first');
});

test('no shipped type declaration needs an optional peer: the types compile in a project without pg or redis', async () => {
  const optional = Object.keys(pkg.peerDependenciesMeta ?? {}).filter((name) => pkg.peerDependenciesMeta[name].optional);
  assert.ok(optional.includes('pg') && optional.includes('redis'), `optional peers: ${optional.join(', ')}`);
  for (const file of packed.files.filter((name) => name.endsWith('.d.ts'))) {
    // Comments out: doc comments show imports of the peers in their examples.
    const text = (await readFile(join(packed.dir, file), 'utf8')).replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    for (const peer of optional) {
      const quoted = `['"]${peer.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(/[^'"]*)?['"]`;
      assert.doesNotMatch(text, new RegExp(`(from|import\\()\\s*${quoted}`), `${file} imports ${peer}, which a user need not install`);
    }
  }
});

test('every relative link in the shipped Markdown leads to a shipped file or heading', async () => {
  const checked: string[] = [];
  for (const file of packed.files.filter((name) => name.endsWith('.md'))) {
    const text = await readFile(join(packed.dir, file), 'utf8');
    for (const target of relativeLinks(text)) {
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const linked = path === '' ? file : posix.normalize(posix.join(posix.dirname(file), path));
      checked.push(`${file} → ${target}`);
      assert.ok(packed.files.includes(linked), `${file} links ${target}, which the tarball does not hold`);
      if (anchor !== undefined && linked.endsWith('.md')) {
        assert.ok(anchors(await readFile(join(packed.dir, linked), 'utf8')).includes(anchor), `${file} links ${target}: ${linked} has no such heading`);
      }
    }
  }
  assert.ok(checked.length >= 100, `links checked: ${checked.join(', ')}`);
  assert.ok(packed.files.includes('docs/README.md') && packed.files.includes('docs/images/demo.png'), 'the docs index and the screenshot ship');
});

test('chartio-embed/bundle: its types declare exactly the values the bundle exports', async () => {
  const bundle = pkg.exports['./bundle'];
  const code = await readFile(join(packed.dir, bundle.default), 'utf8');
  // Rollup ends an ES bundle with one `export{local as Name,…}` statement.
  const statement = /export\s*\{([^}]*)\}\s*;?\s*$/.exec(code);
  assert.ok(statement, 'the bundle ends with its export statement');
  const runtime = statement[1]!.split(',').map((part) => part.trim().split(/\s+as\s+/).pop()!).sort();

  const types = join(packed.dir, bundle.types);
  const program = ts.createProgram([types], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(types)!)!;
  const declared = checker
    .getExportsOfModule(moduleSymbol)
    .filter((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return (target.flags & ts.SymbolFlags.Value) !== 0;
    })
    .map((symbol) => symbol.name)
    .sort();
  assert.deepEqual(declared, runtime);
  assert.ok(runtime.includes('ChartioEmbedElement'));
  assert.equal(dirname(bundle.types), dirname(bundle.default), 'the types sit beside the bundle');
});

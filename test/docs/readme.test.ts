/**
 * Every code block in README.md is exercised, so the README cannot drift from the code. Each
 * block is preceded by `<!-- readme-test: KIND -->`, and a block without one fails the test:
 * - `commands`: the two commands exist as npm scripts, and CI runs the test command;
 * - `quickstart`: the commands that take the quick start out of the package and start it, run
 *   by test/package/quickstart.test.ts (it installs the packed tarball and drives the page in
 *   Chromium); checked here for the quick start they start;
 * - `typecheck`: compiled by tsc against the built package (`chartio-embed/server` resolves to
 *   dist/ through the package's own exports), with the placeholders of {@link AMBIENT} declared;
 * - `cli`: each line run with the built CLI, the iframe URL the first prints fed to the others;
 * - `dashboard`: parsed as a dashboard file and served by the real host over the demo data;
 * - `in PATH`: the block's lines appear, in order and consecutively, in that file.
 * Also: every attribute and event in the Custom Elements Manifest is in the README's tables.
 * Run after `npm run build`: node --import tsx --test test/docs/readme.test.ts
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createDashboardHost, parseDashboardDefinition } from '../../src/host/index.js';
import { createEmbedSigner } from '../../src/server/index.js';
import { createDemoDatabase } from '../../demo/dataset/demo-dataset.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** Scratch files live inside the package (git-ignored), so `chartio-embed/*` self-resolves. */
const scratch = join(root, '.tmp', 'readme-test');
const SECRET = 'readme-test-secret-readme-test-secret-0123456789';
const run = promisify(execFile);

/** Names the README's TypeScript blocks leave to the reader, declared for the compiler. */
const AMBIENT = `import type { EmbedRequest } from 'chartio-embed/server';
declare global {
  /** The reader's session lookup. */
  function accountOf(request: EmbedRequest): Promise<string | null>;
  /** A token from a request. */
  const token: string;
}
export {};
`;

interface Block {
  kind: string;
  lang: string;
  code: string;
}

const readme = await readFile(join(root, 'README.md'), 'utf8');
const blocks = parseBlocks(readme);
const ofKind = (kind: string) => blocks.filter((block) => block.kind === kind);

after(() => rm(scratch, { recursive: true, force: true }));

function parseBlocks(text: string): Block[] {
  const found: Block[] = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm;
  for (const match of text.matchAll(fence)) {
    const before = text.slice(0, match.index).trimEnd();
    const marker = /<!-- readme-test: ([^>]+?) -->$/.exec(before);
    assert.ok(marker, `the README block at offset ${match.index} (${match[1]}) has no <!-- readme-test: … --> marker`);
    found.push({ kind: marker[1]!, lang: match[1]!, code: match[2]! });
  }
  return found;
}

test('every block has a known kind, and the benchmark figures are filled in', () => {
  const known = /^(commands|quickstart|typecheck|cli|dashboard|in \S+)$/;
  for (const block of blocks) assert.match(block.kind, known);
  assert.ok(blocks.length >= 12, `found ${blocks.length} blocks`);
  assert.doesNotMatch(readme, /BENCH_FIGURES/);
});

test('commands: npm install && npm start runs the demo, npm test every test, and CI runs npm test', async () => {
  const [block] = ofKind('commands');
  assert.match(block!.code, /^npm install && npm start\b/m);
  assert.match(block!.code, /^npm test\b/m);
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  assert.equal(pkg.scripts.start, 'tsx demo/start.ts'); // run by test/e2e/start.test.ts
  for (const part of ['test:package', 'test:node', 'test:browser', 'test:frameworks', 'test:examples', 'test:e2e', 'test:types']) {
    assert.match(pkg.scripts.test, new RegExp(`npm run ${part}\\b`), `npm test runs ${part}`);
  }
  assert.match(await readFile(join(root, '.ci/run'), 'utf8'), /^npm test$/m);
  // The quick loop the README offers exists, and is not a substitute for the contract.
  assert.match(readme, /`npm run test:quick`/);
  assert.equal(pkg.scripts['test:quick'], 'node test/quick.mjs');
  assert.doesNotMatch(pkg.scripts.test, /test:quick/);
});

test('quickstart: the commands extract examples/quickstart from the tarball and run its npm start', async () => {
  const [block] = ofKind('quickstart');
  assert.ok(block, 'the README has a quick-start commands block');
  assert.match(block.code, /--strip-components=2 package\/examples\/quickstart\n/);
  assert.match(block.code, /^cd quickstart && npm install && npm start\b/m);
  const quickstart = JSON.parse(await readFile(join(root, 'examples/quickstart/package.json'), 'utf8'));
  assert.equal(quickstart.scripts.start, 'node server.mjs');
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  assert.ok(pkg.files.some((entry: string) => entry.startsWith('examples/quickstart/')), 'the quick start ships in the package');
});

test('typecheck: every TypeScript block compiles against the built package', async () => {
  const typed = ofKind('typecheck');
  assert.ok(typed.length >= 4);
  const dir = join(scratch, 'typecheck');
  await mkdir(dir, { recursive: true });
  const files = ['ambient.d.ts'];
  await writeFile(join(dir, 'ambient.d.ts'), AMBIENT);
  for (const [index, block] of typed.entries()) {
    assert.equal(block.lang, 'ts');
    files.push(`block-${index}.ts`);
    await writeFile(join(dir, `block-${index}.ts`), `${block.code}\nexport {};\n`);
  }
  const tsconfig = {
    extends: '../../../tsconfig.base.json',
    compilerOptions: { lib: ['ES2022', 'DOM'], types: ['node'], noEmit: true, declaration: false },
    files,
  };
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  await run(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')]).catch((error: { stdout: string }) => {
    assert.fail(`README TypeScript does not compile:\n${error.stdout}`);
  });
});

test('cli: the sign line prints an iframe URL that the verify and decode lines take; snippet prints code', async () => {
  const [block] = ofKind('cli');
  const [signLine, verifyLine, decodeLine, snippetLine, ...rest] = block!.code.trim().split('\n');
  assert.deepEqual(rest, []);
  const cli = [process.execPath, join(root, 'dist/cli/main.js')];
  const env = { ...process.env, CHARTIO_EMBED_SECRET: SECRET };
  const exec = (line: string, extra: Record<string, string> = {}) =>
    run('bash', ['-c', line.replace(/^chartio-embed /, `${cli.join(' ')} `)], { env: { ...env, ...extra } });
  const signed = (await exec(signLine!)).stdout.trim();
  assert.ok(signed.startsWith('https://dashboards.example.com/d/38727/?embed_token='), signed);
  const verified = JSON.parse((await exec(verifyLine!, { URL: signed })).stdout);
  assert.deepEqual(verified.env, { ACCT_ID: '1', DATE_RANGE: ['2014-02-11', '2015-02-11'], NAME: 'Smith, John' });
  assert.equal(verified.exp - verified.iat, 900);
  const decoded = (await exec(decodeLine!, { URL: signed, CHARTIO_EMBED_SECRET: '' })).stdout;
  assert.match(decoded, /^Expires: .*, in 1[345] minutes/m);
  const snippet = (await exec(snippetLine!, { CHARTIO_EMBED_SECRET: '' })).stdout;
  assert.match(snippet, /^<\?php\n/);
  assert.match(snippet, /'dashboard' => 38727,/);
});

test('dashboard: the example file is valid and the real host renders it over the demo data', async () => {
  const [block] = ofKind('dashboard');
  const definition = parseDashboardDefinition(JSON.parse(block!.code), 'README.md');
  const database = await createDemoDatabase();
  try {
    const host = createDashboardHost({ organization: 16417, secret: SECRET, dashboards: [definition], database, frameAncestors: [] });
    const { token } = await createEmbedSigner({ secret: SECRET, organization: 16417 }).sign({ dashboard: definition.id, env: { ACCT_ID: '1' } });
    const response = await host(new Request(`http://host.test/d/${definition.id}/?embed_token=${token}`));
    assert.equal(response.status, 200);
    const html = await response.text();
    const { rows } = await database.query(`SELECT count(*) FROM orders WHERE account_id = 1 AND status = 'completed'`, {});
    assert.match(html, new RegExp(`<p class="value"[^>]*>${new Intl.NumberFormat('en-US').format(Number(rows[0]![0]))}</p>`));
    await host.close();
  } finally {
    await database.close();
  }
});

test('quoted blocks appear, line for line, in the files they quote', async () => {
  const quoted = blocks.filter((block) => block.kind.startsWith('in '));
  assert.ok(quoted.length >= 4);
  for (const block of quoted) {
    const path = block.kind.slice(3);
    const source = (await readFile(join(root, path), 'utf8')).split('\n').map((line) => line.trim());
    const lines = block.code.trimEnd().split('\n').map((line) => line.trim());
    const start = source.findIndex((_, i) => lines.every((line, j) => source[i + j] === line));
    assert.notEqual(start, -1, `README's block quoting ${path} no longer matches it:\n${block.code}`);
  }
});

test('the README lists every attribute and event the Custom Elements Manifest has', async () => {
  const manifest = JSON.parse(await readFile(join(root, 'dist/custom-elements.json'), 'utf8'));
  const element = manifest.modules
    .flatMap((module: { declarations?: unknown[] }) => module.declarations ?? [])
    .find((declaration: { tagName?: string }) => declaration.tagName === 'chartio-embed');
  for (const { name } of element.attributes) assert.ok(readme.includes(`| \`${name}\` |`), `attribute ${name} is in the README's table`);
  for (const { name } of element.events) assert.ok(readme.includes(`| \`${name}\` |`), `event ${name} is in the README's table`);
  for (const { name } of element.slots) assert.ok(readme.includes(`\`${name}\``), `slot ${name} is in the README`);
  for (const { name } of element.cssParts) assert.ok(readme.includes(`\`${name}\``), `part ${name} is in the README`);
});

/**
 * Every code block of the documentation (README.md, CONTRIBUTING.md, docs/ and its subfolders)
 * is exercised, so the docs cannot drift from the code. Each block is preceded by
 * `<!-- docs-test: KIND -->`, and a block without one fails the test:
 * - `commands`: the two commands exist as npm scripts, and CI runs the test command;
 * - `quickstart`: the commands that take the quick start out of the package and start it, run
 *   by test/package/quickstart.test.ts (it installs the packed tarball and drives the page in
 *   Chromium; it reads the README's block, and every other such block is the same);
 * - `quickstart-duckdb`: the quick start's DuckDB-file variant, which that test runs too;
 * - `typecheck`: compiled by tsc against the built package (`chartio-embed/server` resolves to
 *   dist/ through the package's own exports), with the placeholders of {@link AMBIENT} declared;
 * - `cli`: each line run with the built CLI, the iframe URL the first prints fed to the others;
 * - `dashboard`: parsed as a dashboard file and served by the real host over the demo data;
 * - `in PATH`: the block's lines appear, in order and consecutively, in that file;
 * - `paths`: every `src/…` path the block (a diagram) names exists;
 * - `frame-messages`: each line, typed by tsc as the protocol's message of its `type`;
 * - `frame-page`: the page script runs, and what it posts is what the element accepts;
 * - `endpoint-request` / `endpoint-answer`: the request is sent to the real token handler, which
 *   answers 200 with the fields, in order, that the answer block shows;
 * - `lockedEnv FRAMEWORK`: compiled with the framework's own types by test/docs/token-endpoint.test.ts;
 * docs/dashboards.md and docs/host-operations.md have tests of their own (OWN_TESTS); the
 * generated API reference (docs/reference/api/) is checked by its generator.
 * Also: every attribute and event in the Custom Elements Manifest is in the element's reference.
 * Run after `npm run build`: node --import tsx --test test/docs/code-blocks.test.ts
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runInNewContext } from 'node:vm';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createDashboardHost, parseDashboardDefinition } from '../../src/host/index.js';
import { createEmbedSigner, createTokenHandler } from '../../src/server/index.js';
import { pageMessage } from '../../src/protocol/index.js';
import { openDemoDatabase } from '../support/demo-database.js';
import { codeBlocks, documentationFiles, type CodeBlock } from './markdown-files.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** Scratch files live inside the package (git-ignored), so `chartio-embed/*` self-resolves. */
const scratch = join(root, '.tmp', 'docs-test');
const SECRET = 'docs-test-secret-docs-test-secret-0123456789abc';
const run = promisify(execFile);

/** Pages whose blocks another test exercises, in its own way. */
const OWN_TESTS = new Map([
  ['docs/dashboards.md', 'test/docs/dashboards.test.ts'],
  ['docs/host-operations.md', 'test/docs/host-operations.test.ts'],
]);
/** Generated from the doc comments; its generator's check keeps it true. */
const GENERATED = /^docs\/reference\/api\//;

/** Names the TypeScript blocks leave to the reader, declared for the compiler. */
const AMBIENT = `import type { EmbedRequest } from 'chartio-embed/server';
declare global {
  /** The reader's session lookup. */
  function accountOf(request: EmbedRequest): Promise<string | null>;
  /** A token from a request. */
  const token: string;
}
export {};
`;

const files = (await documentationFiles(root)).filter((file) => !OWN_TESTS.has(file) && !GENERATED.test(file));
const texts = new Map(await Promise.all(files.map(async (file) => [file, await readFile(join(root, file), 'utf8')] as const)));
const blocks: CodeBlock[] = [...texts].flatMap(([file, text]) => codeBlocks(file, text));
const ofKind = (kind: string) => blocks.filter((block) => block.kind === kind);
const where = (block: CodeBlock) => `${block.file}:${block.line}`;

after(() => rm(scratch, { recursive: true, force: true }));

test('every block has a marker of a known kind, and the pages with their own tests have them', () => {
  const known = /^(commands|quickstart|quickstart-duckdb|typecheck|cli|dashboard|paths|frame-messages|frame-page|endpoint-request|endpoint-answer|lockedEnv \w+|in \S+)$/;
  const unknown = blocks.filter((block) => !known.test(block.kind)).map((block) => `${where(block)} (${block.lang}): "${block.kind}"`);
  assert.deepEqual(unknown, [], 'blocks without a <!-- docs-test: KIND --> marker of a known kind');
  assert.ok(blocks.length >= 40, `found ${blocks.length} blocks`);
  for (const [page, own] of OWN_TESTS) assert.ok(existsSync(join(root, page)) && existsSync(join(root, own)), `${page} is checked by ${own}`);
  assert.doesNotMatch([...texts.values()].join('\n'), /BENCH_FIGURES/);
});

test('commands: npm install && npm start runs the demo, npm test every test, and CI runs npm test', async () => {
  const commands = ofKind('commands');
  assert.ok(commands.some((block) => block.file === 'README.md'), 'the README has the two commands');
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  for (const block of commands) {
    assert.match(block.code, /^npm install && npm start\b/m, where(block));
    assert.match(block.code, /^npm test\b/m, where(block));
  }
  assert.equal(pkg.scripts.start, 'tsx demo/start.ts'); // run by test/e2e/start.test.ts
  for (const part of ['test:package', 'test:node', 'test:browser', 'test:frameworks', 'test:examples', 'test:e2e', 'test:types']) {
    assert.match(pkg.scripts.test, new RegExp(`npm run ${part}\\b`), `npm test runs ${part}`);
  }
  assert.match(await readFile(join(root, '.ci/run'), 'utf8'), /^npm test$/m);
  // The quick loop CONTRIBUTING.md offers exists, and is not a substitute for the contract.
  assert.match(texts.get('CONTRIBUTING.md')!, /`npm run test:quick`/);
  assert.equal(pkg.scripts['test:quick'], 'node test/quick.mjs');
  assert.doesNotMatch(pkg.scripts.test, /test:quick/);
});

test('quickstart: the commands extract examples/quickstart from the tarball and run its npm start', async () => {
  const blocksOfQuickstart = ofKind('quickstart');
  const readme = blocksOfQuickstart.find((block) => block.file === 'README.md');
  assert.ok(readme, 'the README has the quick start commands test/package/quickstart.test.ts runs');
  assert.match(readme.code, /--strip-components=2 package\/examples\/quickstart\n/);
  assert.match(readme.code, /^cd quickstart && npm install && npm start\b/m);
  for (const block of blocksOfQuickstart) assert.equal(block.code, readme.code, `${where(block)} is the README's quick start`);
  const quickstart = JSON.parse(await readFile(join(root, 'examples/quickstart/package.json'), 'utf8'));
  assert.equal(quickstart.scripts.start, 'node server.mjs');
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  assert.ok(pkg.files.some((entry: string) => entry.startsWith('examples/quickstart/')), 'the quick start ships in the package');
});

test('quickstart-duckdb: the DuckDB-file variant is the one the package test runs', async () => {
  const [block, ...more] = ofKind('quickstart-duckdb');
  assert.ok(block);
  assert.deepEqual(more, []);
  assert.equal(block.code.trim(), 'node make-database.mjs && DUCKDB_FILE=analytics.duckdb npm start');
  const packageTest = await readFile(join(root, 'test/package/quickstart.test.ts'), 'utf8');
  assert.match(packageTest, /run\(process\.execPath, \['make-database\.mjs'\]/);
  assert.match(packageTest, /startQuickstart\(\{ DUCKDB_FILE: 'analytics\.duckdb' \}\)/);
  assert.match(await readFile(join(root, 'examples/quickstart/make-database.mjs'), 'utf8'), /path: 'analytics\.duckdb'/);
});

test('typecheck and frame-messages: every TypeScript block compiles against the built package', async () => {
  const typed = ofKind('typecheck');
  assert.ok(typed.length >= 8);
  const dir = join(scratch, 'typecheck');
  await mkdir(dir, { recursive: true });
  const sources = new Map([['ambient.d.ts', AMBIENT]]);
  for (const [index, block] of typed.entries()) {
    assert.equal(block.lang, 'ts', where(block));
    sources.set(`block-${index}.ts`, `// ${where(block)}\n${block.code}\nexport {};\n`);
  }
  const messages = ofKind('frame-messages');
  assert.ok(messages.length >= 1);
  for (const [index, block] of messages.entries()) {
    // Each line is one message: typed as the message of its `type`, excess properties refused.
    const lines = block.code.trim().split('\n').map((line, n) => `const m${n}: Message = ${line};`);
    sources.set(`messages-${index}.ts`, `// ${where(block)}
import type { AppearanceMessage, ClickMessage, ErrorMessage, HeightMessage, PrintMessage, ReadyMessage, TokenMessage } from '../../../src/protocol/frame-messages.js';
type Message = AppearanceMessage | ClickMessage | ErrorMessage | HeightMessage | PrintMessage | ReadyMessage | TokenMessage;
${lines.join('\n')}
export {};
`);
  }
  for (const [name, text] of sources) await writeFile(join(dir, name), text);
  const tsconfig = {
    extends: '../../../tsconfig.base.json',
    compilerOptions: { lib: ['ES2022', 'DOM'], types: ['node'], noEmit: true, declaration: false, noUnusedLocals: false },
    files: [...sources.keys()],
  };
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  await run(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')]).catch((error: { stdout: string }) => {
    assert.fail(`documentation TypeScript does not compile:\n${error.stdout}`);
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
  const definition = parseDashboardDefinition(JSON.parse(block!.code), where(block!));
  const database = await openDemoDatabase();
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
  assert.ok(quoted.length >= 20);
  for (const block of quoted) {
    const path = block.kind.slice(3);
    const source = (await readFile(join(root, path), 'utf8')).split('\n').map((line) => line.trim());
    const lines = block.code.trimEnd().split('\n').map((line) => line.trim());
    const start = source.findIndex((_, i) => lines.every((line, j) => source[i + j] === line));
    assert.notEqual(start, -1, `${where(block)}: the block quoting ${path} no longer matches it:\n${block.code}`);
  }
});

test('paths: every src/ folder or file a diagram names exists', () => {
  const diagrams = ofKind('paths');
  assert.ok(diagrams.length >= 1);
  for (const block of diagrams) {
    const paths = [...block.code.matchAll(/\bsrc\/[\w/.-]*\w/g)].map((match) => match[0]);
    assert.ok(paths.length >= 5, where(block));
    assert.deepEqual(paths.filter((path) => !existsSync(join(root, path))), [], `${where(block)} names paths that do not exist`);
  }
});

test('frame-page: the least page a host must serve posts ready, and refuses an in-place token, as the element expects', () => {
  const [block] = ofKind('frame-page');
  const script = /<script>([\s\S]*?)<\/script>/.exec(block!.code)?.[1];
  assert.ok(script, 'the block holds a script');
  const origin = /const parentOrigins = \['([^']+)'\]/.exec(script)![1]!;
  const posted: Array<{ message: unknown; origin: string }> = [];
  const listeners: Array<(event: unknown) => void> = [];
  // The browser's side of the page, as a frame has it: its parent window, and its own listeners.
  const parent = { postMessage: (message: unknown, target: string) => posted.push({ message, origin: target }) };
  runInNewContext(script, { parent, addEventListener: (type: string, listener: (event: unknown) => void) => type === 'message' && listeners.push(listener) });
  assert.equal(posted.length, 1);
  assert.equal(posted[0]!.origin, origin);
  assert.equal(pageMessage(posted[0]!.message)?.type, 'chartio:ready');
  const token = 'eyJhbGciOiJIUzI1NiJ9.eyJvIjoxfQ.c2ln';
  for (const listener of listeners) {
    listener({ source: {}, origin, data: { type: 'chartio:token', version: 1, token } }); // not from its parent: ignored
    listener({ source: parent, origin: 'https://evil.example', data: { type: 'chartio:token', version: 1, token } }); // another origin: ignored
    listener({ source: parent, origin, data: { type: 'chartio:token', version: 1, token } });
  }
  assert.equal(posted.length, 2);
  const refusal = pageMessage(posted[1]!.message);
  assert.equal(refusal?.type, 'chartio:error');
  assert.equal((refusal as { code: string }).code, 'in_place_unsupported');
  assert.equal((refusal as { token?: string }).token, token);
});

test('endpoint-request and endpoint-answer: the request shown gets the answer shown from the real token handler', async () => {
  const [request] = ofKind('endpoint-request');
  const [answer] = ofKind('endpoint-answer');
  const [head, body] = request!.code.split('\n\n') as [string, string];
  const [requestLine, ...headerLines] = head.split('\n');
  const [method, path] = requestLine!.split(' ') as [string, string];
  // A value left open (`session=…`) is filled in: a header holds Latin-1 only.
  const headers = new Headers(headerLines.map((line) => line.replace(/…/g, 'x').split(': ', 2) as [string, string]));
  const shown = JSON.parse(answer!.code);
  const baseUrl = `${new URL(shown.url).origin}/d/{dashboard}`;
  const signer = createEmbedSigner({ secret: SECRET, organization: 16417, baseUrl });
  const sent = JSON.parse(body);
  const handler = createTokenHandler({ signer, dashboards: [sent.dashboard], filters: Object.keys(sent.filters), lockedEnv: () => ({ ACCT_ID: '1' }) });
  const response = await handler(new Request(new URL(path, headers.get('Origin')!), { method, headers, body }));
  assert.equal(response.status, 200, await response.clone().text());
  const got = await response.json();
  assert.deepEqual(Object.keys(got), Object.keys(shown), 'the answer has the fields shown, in order');
  assert.ok(got.url.startsWith(`${new URL(shown.url).origin}/d/${sent.dashboard}/?embed_token=`));
});

test('the element reference lists every attribute and event the Custom Elements Manifest has', async () => {
  const reference = texts.get('docs/reference/element.md')!;
  const manifest = JSON.parse(await readFile(join(root, 'dist/custom-elements.json'), 'utf8'));
  const element = manifest.modules
    .flatMap((module: { declarations?: unknown[] }) => module.declarations ?? [])
    .find((declaration: { tagName?: string }) => declaration.tagName === 'chartio-embed');
  for (const { name } of element.attributes) assert.ok(reference.includes(`| \`${name}\` |`), `attribute ${name} is in the reference's table`);
  for (const { name } of element.events) assert.ok(reference.includes(`| \`${name}\` |`), `event ${name} is in the reference's table`);
  for (const { name } of element.slots) assert.ok(reference.includes(`\`${name}\``), `slot ${name} is in the reference`);
  for (const { name } of element.cssParts) assert.ok(reference.includes(`\`${name}\``), `part ${name} is in the reference`);
});

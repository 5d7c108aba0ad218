// `npm run test:quick`: the unit tests, for the edit-and-check loop. No browser, no build (dist/),
// no server of another program (PostgreSQL, Redis, haproxy), no other language; DuckDB runs in
// process. Under a minute on two cores; `npm test` stays the whole contract and runs these too.
//
// It takes every *.test.ts in the folders below, so a new test file is quick unless it is named
// in NOT_QUICK, with the reason; a file named there that no longer exists stops the run, so the
// list cannot rot. Extra arguments go to `node --test` (e.g. --test-name-pattern=verify).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const FOLDERS = ['test/protocol', 'test/cli', 'test/server', 'test/host', 'test/docs'];
/** Node tests of the browser code that live with its browser tests. */
const ALSO = readdirSync('test/element').filter((name) => name.endsWith('.node.test.ts')).map((name) => `test/element/${name}`);

const NOT_QUICK = new Map([
  ['test/cli/cli-binary.test.ts', 'runs the built binary (dist/)'],
  ['test/server/crypto-paths.test.ts', 'imports the built entries (dist/)'],
  ['test/server/interop-pyjwt.test.ts', 'runs Python (PyJWT)'],
  ['test/host/host-keys.test.ts', 'reads the built host (dist/)'],
  ['test/docs/code-blocks.test.ts', 'runs the documentation\'s code blocks against dist/ and the built CLI'],
  ['test/docs/api-reference.test.ts', 'runs TypeDoc over the whole source (a minute on two busy cores)'],
  ['test/docs/token-endpoint.test.ts', 'compiles the documentation\'s TypeScript against the built package (dist/)'],
  ['test/element/ssr-import.node.test.ts', 'imports the built bundle (dist/) in a Node process of its own'],
  ['test/host/download-limits.test.ts', 'streams 300 MB of CSV through the host to see its memory stay flat (44 s on two busy cores)'],
  ['test/host/accessibility.test.ts', 'Chromium'],
  ['test/host/browser-page.test.ts', 'Chromium'],
  ['test/host/browser-refresh.test.ts', 'Chromium'],
  ['test/host/chart-kinds-browser.test.ts', 'Chromium'],
  ['test/host/cross-origin-token.test.ts', 'Chromium'],
  ['test/host/downloads.test.ts', 'Chromium'],
  ['test/host/page-appearance.test.ts', 'Chromium'],
  ['test/host/page-charts.test.ts', 'Chromium'],
  ['test/host/page-formats.test.ts', 'Chromium'],
  ['test/host/print-media.test.ts', 'Chromium'],
]);

const gone = [...NOT_QUICK.keys()].filter((file) => !existsSync(file));
if (gone.length > 0) {
  console.error(`test/quick.mjs: NOT_QUICK names files that do not exist: ${gone.join(', ')}. Update the list.`);
  process.exit(2);
}

const files = [
  ...FOLDERS.flatMap((folder) => readdirSync(folder).filter((name) => name.endsWith('.test.ts')).map((name) => `${folder}/${name}`)),
  ...ALSO,
].filter((file) => !NOT_QUICK.has(file));

// Two files at a time: the machine's two cores (Node 20 runs one at a time by default).
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=60000', '--test-reporter=spec', ...process.argv.slice(2), ...files],
  { stdio: 'inherit' },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

/**
 * `chartio-embed snippet`, as a user would take it: the code printed for each language is run
 * with its own runtime and usual JWT library (Debian's python3 + PyJWT, ruby + ruby-jwt, php-cli,
 * Node + jsonwebtoken), with the secret in CHARTIO_EMBED_SECRET only; the <iframe> URL it prints
 * is loaded from the real dashboard host (`createDashboardHost` over the demo DuckDB data) on
 * 127.0.0.1, which must show the dashboard. Values that every language would otherwise read as
 * code (quotes, "#{}", "$", backslashes, control characters) must reach the token as text.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createDashboardHost, loadDashboardFiles, type DashboardHost, type DataSource } from '../../src/host/index.js';
import { toNodeHandler, verifyEmbedToken } from '../../src/server/index.js';
import { DEMO_DASHBOARDS, OVERVIEW, openDemoDatabase } from '../host/helpers/host-fixtures.js';
import { listenLocal } from '../launchers/listen-local.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Inside the package (git-ignored), so the JavaScript snippet's `import 'jsonwebtoken'` resolves. */
const SCRATCH = join(ROOT, '.tmp', 'snippets');
const SECRET = 'snippet-test-secret-snippet-test-secret-0123456789';
const ORGANIZATION = 16417;

/** How each printed snippet is run: Debian's interpreters, where the JWT libraries install. */
const RUNTIMES = {
  python: { file: 'embed.py', command: process.env.EXAMPLES_PYTHON ?? '/usr/bin/python3' },
  ruby: { file: 'embed.rb', command: process.env.EXAMPLES_RUBY ?? '/usr/bin/ruby' },
  javascript: { file: 'embed.mjs', command: process.execPath },
  php: { file: 'embed.php', command: process.env.EXAMPLES_PHP ?? '/usr/bin/php' },
} as const;
type Language = keyof typeof RUNTIMES;

let database: DataSource;
let host: DashboardHost;
let server: Server;
let hostOrigin: string;

before(async () => {
  await mkdir(SCRATCH, { recursive: true });
  database = await openDemoDatabase();
  host = createDashboardHost({ organization: ORGANIZATION, secret: SECRET, dashboards: await loadDashboardFiles(DEMO_DASHBOARDS), database, frameAncestors: [], log: () => {} });
  server = createServer(toNodeHandler(host));
  hostOrigin = (await listenLocal(server)).origin;
});

after(async () => {
  server?.closeAllConnections();
  server?.close();
  await host?.close();
  await database?.close();
  await rm(SCRATCH, { recursive: true, force: true });
});

/** Prints a snippet with the CLI (from source, as `chartio-embed snippet …`). */
async function snippet(language: Language, extra: string[] = []): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'snippet', '--lang', language, '--organization', String(ORGANIZATION), '--dashboard', String(OVERVIEW), '--base-url', `${hostOrigin}/d/{dashboard}`, ...extra],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? '' }, timeout: 30_000 },
  );
  return stdout;
}

/** Runs a printed snippet with only the secret in its environment; returns the iframe's src. */
async function runSnippet(language: Language, code: string): Promise<string> {
  const { file, command } = RUNTIMES[language];
  const path = join(SCRATCH, `${language}-${file}`);
  await writeFile(path, code);
  const { stdout } = await run(command, [path], { cwd: SCRATCH, env: { PATH: process.env.PATH ?? '', CHARTIO_EMBED_SECRET: SECRET, LANG: 'C.UTF-8' }, timeout: 30_000 });
  const src = /^<iframe src="([^"]+)"><\/iframe>$/m.exec(stdout)?.[1];
  assert.ok(src, `the ${language} snippet printed its <iframe> line:\n${stdout}`);
  return src;
}

for (const language of Object.keys(RUNTIMES) as Language[]) {
  describe(`the ${language} snippet`, () => {
    test('prints the document\'s payload, signs with the usual library, and its iframe URL shows the dashboard from the host', async () => {
      const code = await snippet(language);
      assert.match(code, new RegExp(`dashboard ${OVERVIEW} of organization ${ORGANIZATION}`));
      assert.match(code, /CHARTIO_EMBED_SECRET/);
      assert.ok(!code.includes(SECRET), 'no secret in the code');
      assert.match(code, { python: /jwt\.encode\(/, ruby: /JWT\.encode\(/, javascript: /jwt\.sign\(/, php: /hash_hmac\('sha256'/ }[language]);
      const src = await runSnippet(language, code);
      assert.ok(src.startsWith(`${hostOrigin}/d/${OVERVIEW}/?embed_token=`), src);
      const claims = await verifyEmbedToken(new URL(src).searchParams.get('embed_token')!, { secret: SECRET, organization: ORGANIZATION, dashboard: OVERVIEW });
      assert.deepEqual(claims.env, { ACCT_ID: '1', DATE_RANGE: ['2014-02-11', '2015-02-11'], USER_ID: '1' });
      assert.equal(claims.exp - claims.iat, 900);
      const response = await fetch(src);
      const page = await response.text();
      assert.equal(response.status, 200, page.slice(0, 500));
      assert.match(page, /<h1[^>]*>Account overview<\/h1>/);
      assert.doesNotMatch(page, /class="error"/);
    });

    test('writes any value as text: quotes, interpolation, backslashes, control characters', async () => {
      const env = { ACCT_ID: '7', NOTE: `"#{1+1}" $HOME \\ '\u0001\u009b\u202e€ 😀 </iframe>`, PRODUCTS: ['a,b', "c'd"] };
      const code = await snippet(language, ['--env-json', JSON.stringify(env), '--ttl', '600']);
      assert.doesNotMatch(code, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/, 'no raw control character in the printed code');
      const src = await runSnippet(language, code);
      const claims = await verifyEmbedToken(new URL(src).searchParams.get('embed_token')!, { secret: SECRET, organization: ORGANIZATION });
      assert.deepEqual(claims.env, env);
      assert.equal(claims.exp - claims.iat, 600);
    });

    test('without CHARTIO_EMBED_SECRET it stops with a line saying so', async () => {
      const { file, command } = RUNTIMES[language];
      const path = join(SCRATCH, `${language}-missing-${file}`);
      await writeFile(path, await snippet(language));
      const failed = await run(command, [path], { cwd: SCRATCH, env: { PATH: process.env.PATH ?? '' }, timeout: 30_000 }).then(
        () => assert.fail('the snippet ran without a secret'),
        (error: { code: number; stderr: string }) => error,
      );
      assert.notEqual(failed.code, 0);
      assert.match(failed.stderr, /Set CHARTIO_EMBED_SECRET/);
    });
  });
}

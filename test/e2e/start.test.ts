/**
 * `npm start` as a new user runs it: the script the package.json names, in its own process. It
 * must print both URLs, serve a working page and token endpoint at once, and stop cleanly on
 * Ctrl-C (SIGINT), closing both servers.
 * Run: node --import tsx --test test/e2e/start.test.ts
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

test('npm start prints its URLs, serves the demo, and exits 0 on Ctrl-C', async () => {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
  assert.equal(pkg.scripts.start, 'tsx demo/start.ts', 'the test runs what npm start runs');
  // Port 0: free ports, so the test never collides with a demo already running on 8080.
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/start.ts'], {
    env: { ...process.env, PORT: '0', DASHBOARD_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // Listeners, not an async iterator: breaking out of one would close the pipe under the demo.
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Press Ctrl-C to stop.')) resolve();
    });
    child.once('exit', () => reject(new Error(`the demo exited before it was ready:\n${output}`)));
  });
  child.stderr!.on('data', (chunk) => (output += chunk));
  try {
    await ready;
    const app = /app \(with its token endpoint\):\s+(http:\/\/localhost:\d+)/.exec(output)?.[1];
    const host = /dashboard host:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    assert.ok(app && host, `both URLs printed:\n${output}`);

    const page = await fetch(app);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<chartio-embed /);
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    const token = await fetch(`${app}/embed-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app, cookie },
      body: JSON.stringify({ dashboard: 38727, filters: { DATE_RANGE: ['2015-01-01', '2015-12-31'] } }),
    });
    assert.equal(token.status, 200);
    const { url } = await token.json();
    assert.ok(url.startsWith(`${host}/d/38727/?embed_token=`));
    assert.equal((await fetch(url)).status, 200);

    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0, output);
    assert.match(output, /Stopping…/);
    await assert.rejects(fetch(app), 'the app server is closed');
  } finally {
    child.kill('SIGKILL');
  }
});

// Browser tests of the <chartio-embed> element (test/element/**/*.test.ts) and of the dashboard
// page's runtime (test/page/**/*.test.ts, src/page) in Debian's Chromium and (when installed, or
// asked for with BROWSERS) Firefox ESR, against the project's real token endpoint and dashboard
// host mounted as middleware (test/element/support/test-server.ts).
//
// Run: npm run test:browser, or `npx wtr` (this config registers tsx itself, so the TypeScript
// server code loads under plain `wtr` too). BROWSERS=chromium or BROWSERS=firefox narrows the run.
import { register } from 'tsx/esm/api';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { puppeteerLauncher } from '@web/test-runner-puppeteer';
import { CHROMIUM_ARGS, findChromium, findFirefox } from './scripts/browsers.mjs';

// The middleware imports src/server/*.ts: let Node load TypeScript from here on.
register();
const { testServer } = await import('./test/element/support/test-server.ts');

const wanted = (process.env.BROWSERS ?? `chromium${findFirefox() ? ',firefox' : ''}`)
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean);

function executable(name, path, envVar) {
  if (!path) throw new Error(`BROWSERS asks for ${name}, but it was not found: install it or set ${envVar}.`);
  return path;
}

const browsers = wanted.map((name) => {
  if (name === 'chromium') {
    return chromeLauncher({
      launchOptions: { executablePath: executable(name, findChromium(), 'CHROME_PATH'), args: CHROMIUM_ARGS },
    });
  }
  if (name === 'firefox') {
    return puppeteerLauncher({
      launchOptions: { browser: 'firefox', executablePath: executable(name, findFirefox(), 'FIREFOX_PATH'), headless: true },
    });
  }
  throw new Error(`BROWSERS: unknown browser "${name}" (use chromium, firefox)`);
});

export default {
  files: ['test/element/**/*.test.ts', '!test/element/**/*.node.test.ts', 'test/page/**/*.test.ts'],
  nodeResolve: true,
  // es2022, not 'auto': keeps #private fields and class fields as the browsers run them.
  plugins: [esbuildPlugin({ ts: true, target: 'es2022' })],
  middleware: [testServer()],
  browsers,
  // The element's own timeouts run on the tests' fake clock, so no test waits for one: these
  // bounds only catch a test that is stuck. They are wall-clock bounds on real page loads and
  // requests, though, in two browsers at once on a machine whose two cores other runs share: at a
  // load average of 20 to 40, tests that take 0.2 s alone took up to 2.5 s, the heaviest (twenty
  // changes in place, 52 token requests) went past 10 s, and Firefox took over 30 s (wtr's
  // default) to open its first page. Sized so that only a stuck test reaches them.
  testFramework: { config: { timeout: 30_000 } },
  testsFinishTimeout: 300_000,
  browserStartTimeout: 120_000,
};

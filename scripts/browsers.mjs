/**
 * Finds the browsers the tests drive: Chromium (element tests, end-to-end tests, benchmarks) and
 * Firefox (element tests). Used by web-test-runner.config.mjs, the e2e tests and the bench, and
 * run directly by `npm test` first, so a missing browser fails at once with how to install it
 * instead of minutes later inside a test runner.
 * @module
 */
import { existsSync } from 'node:fs';

const CHROMIUM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];
const FIREFOX_PATHS = [
  '/usr/bin/firefox-esr',
  '/usr/bin/firefox',
  '/snap/bin/firefox',
  '/Applications/Firefox.app/Contents/MacOS/firefox',
];

/**
 * The Chromium executable: `CHROME_PATH`, else the first usual install path that exists.
 * @example
 * const executablePath = findChromium(); // '/usr/bin/chromium' or undefined
 */
export function findChromium() {
  return pick(process.env.CHROME_PATH, CHROMIUM_PATHS);
}

/**
 * The Firefox executable: `FIREFOX_PATH`, else the first usual install path that exists.
 * @example
 * const executablePath = findFirefox(); // '/usr/bin/firefox-esr' or undefined
 */
export function findFirefox() {
  return pick(process.env.FIREFOX_PATH, FIREFOX_PATHS);
}

/**
 * Flags for headless Chromium on a CI machine: root needs --no-sandbox, and a closed network
 * needs the background-networking flags or Chromium keeps dialing out.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless=new',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

function pick(fromEnv, paths) {
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return paths.find((path) => existsSync(path));
}

// Run directly (`node scripts/browsers.mjs`): fail at once when a browser is missing.
if (import.meta.url === `file://${process.argv[1]}`) {
  const missing = [];
  if (!findChromium()) {
    missing.push(
      process.env.CHROME_PATH
        ? `CHROME_PATH=${process.env.CHROME_PATH} does not exist.`
        : 'Chromium was not found (set CHROME_PATH, or install it: `sudo apt-get install -y chromium` on Debian/Ubuntu, `brew install --cask chromium` on macOS).',
    );
  }
  if (!findFirefox()) {
    missing.push(
      process.env.FIREFOX_PATH
        ? `FIREFOX_PATH=${process.env.FIREFOX_PATH} does not exist.`
        : 'Firefox was not found (set FIREFOX_PATH, or install it: `sudo apt-get install -y firefox-esr` on Debian, `brew install --cask firefox` on macOS).',
    );
  }
  if (missing.length > 0) {
    console.error(`npm test needs real browsers:\n- ${missing.join('\n- ')}`);
    process.exit(1);
  }
}

/**
 * Runs the examples in examples/ as real child processes: Debian's python3 (where python3-jwt
 * installs), ruby (ruby-jwt) and php (php-cli). A start resolves once the child says it listens
 * (Python and Ruby print "listening on …"; PHP's built-in server logs "Development Server (…)
 * started"), and fails, never skips, when the interpreter or its JWT library is missing: CI
 * installs them.
 * @module
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export type Language = 'python' | 'ruby' | 'php';
export const LANGUAGES: readonly Language[] = ['python', 'ruby', 'php'];

/** Debian's interpreters by path (a pyenv or rbenv one on PATH may lack the JWT library). */
const INTERPRETERS: Record<Language, string> = {
  python: process.env.EXAMPLES_PYTHON ?? '/usr/bin/python3',
  ruby: process.env.EXAMPLES_RUBY ?? '/usr/bin/ruby',
  php: process.env.EXAMPLES_PHP ?? '/usr/bin/php',
};
const FILES: Record<Language, string> = {
  python: fileURLToPath(new URL('../../../examples/python/app.py', import.meta.url)),
  ruby: fileURLToPath(new URL('../../../examples/ruby/app.rb', import.meta.url)),
  php: fileURLToPath(new URL('../../../examples/php/app.php', import.meta.url)),
};
const INSTALL: Record<Language, string> = {
  python: 'apt-get install -y python3 python3-jwt python3-cryptography',
  ruby: 'apt-get install -y ruby ruby-jwt',
  php: 'apt-get install -y php-cli',
};

/**
 * Where and how each example says it listens: Python and Ruby print their own line first thing
 * on stdout; PHP's built-in server logs its own on stderr, possibly after a warning.
 */
const READY: Record<Language, { stream: 'stdout' | 'stderr'; pattern: RegExp; firstLineOnly: boolean }> = {
  python: { stream: 'stdout', pattern: /^listening on http:\/\/127\.0\.0\.1:(\d+)$/, firstLineOnly: true },
  ruby: { stream: 'stdout', pattern: /^listening on http:\/\/127\.0\.0\.1:(\d+)$/, firstLineOnly: true },
  php: { stream: 'stderr', pattern: /Development Server \(http:\/\/127\.0\.0\.1:(\d+)\) started$/, firstLineOnly: false },
};

/** What any example writes once it listens (its own line, or PHP's built-in server's). */
export const STARTED = /listening on http|Development Server \(.*\) started/;

/** How long a child may take to print its first line before the start fails (a bound, not a wait). */
const START_TIMEOUT_MS = 15_000;

export interface RunningExample {
  readonly language: Language;
  readonly port: number;
  /** `http://127.0.0.1:{port}` */
  readonly origin: string;
  /** What the child wrote to stderr so far (its log), for failure messages. */
  stderr(): string;
  stop(): Promise<void>;
}

/** The child's environment: only what is given, plus PATH and a UTF-8 locale. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', ...env };
}

/**
 * Starts an example on a free port of 127.0.0.1 and resolves when it listens.
 *
 * @example
 * const example = await startExample('python', { CHARTIO_EMBED_SECRET: secret });
 * await fetch(`${example.origin}/`); … await example.stop();
 */
export function startExample(language: Language, env: Record<string, string>): Promise<RunningExample> {
  const child = spawn(INTERPRETERS[language], [FILES[language], '0'], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  // A child left behind by a crashed test run must not outlive it.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let log = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    log = (log + text).slice(-20_000);
  });
  const ready = READY[language];
  const lines = createInterface({ input: child[ready.stream] });

  return new Promise<RunningExample>((resolve, reject) => {
    const timer = setTimeout(() => fail(`printed no "listening" line within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    function fail(why: string): void {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`the ${language} example ${why}.\n${log}\n(needs: ${INSTALL[language]})`));
    }
    const onError = (error: Error): void => fail(`could not start ${INTERPRETERS[language]}: ${error.message}`);
    // 'close', not 'exit': by then stderr has been read to its end, so the message is complete.
    const onClose = (code: number | null): void => fail(`exited with ${code} before listening`);
    child.once('error', onError);
    child.once('close', onClose);
    const onLine = (line: string): void => {
      const port = ready.pattern.exec(line)?.[1];
      if (port === undefined) {
        if (ready.firstLineOnly) fail(`printed ${JSON.stringify(line)} instead of its "listening" line`);
        return;
      }
      lines.off('line', onLine);
      clearTimeout(timer);
      child.off('error', onError);
      child.off('close', onClose);
      resolve({
        language,
        port: Number(port),
        origin: `http://127.0.0.1:${port}`,
        stderr: () => log,
        async stop() {
          process.off('exit', killOnExit);
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await closed;
        },
      });
    };
    lines.on('line', onLine);
  });
}

/**
 * Runs an example that is expected to refuse to start, and resolves with how it exited.
 *
 * @example
 * const { code, stderr } = await runToExit('ruby', { CHARTIO_EMBED_SECRET: 'short' });
 */
export function runToExit(language: Language, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(INTERPRETERS[language], [FILES[language], '0'], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject(new Error(`could not start ${INTERPRETERS[language]}: ${error.message} (needs: ${INSTALL[language]})`)));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    // A server that did start would never exit by itself: kill it, so the test fails, not hangs.
    const killIfStarted = (): void => {
      if (STARTED.test(stdout + stderr)) child.kill('SIGKILL');
    };
    child.stdout.on('data', killIfStarted);
    child.stderr.on('data', killIfStarted);
  });
}

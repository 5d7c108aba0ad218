/**
 * Runs the examples in examples/ as real child processes: Debian's python3 (where python3-jwt
 * installs) and ruby (ruby-jwt). A start resolves once the child prints its "listening" line,
 * and fails, never skips, when the interpreter or its JWT library is missing: CI installs them.
 * @module
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export type Language = 'python' | 'ruby';
export const LANGUAGES: readonly Language[] = ['python', 'ruby'];

/** Debian's interpreters by path (a pyenv or rbenv one on PATH may lack the JWT library). */
const INTERPRETERS: Record<Language, string> = {
  python: process.env.EXAMPLES_PYTHON ?? '/usr/bin/python3',
  ruby: process.env.EXAMPLES_RUBY ?? '/usr/bin/ruby',
};
const FILES: Record<Language, string> = {
  python: fileURLToPath(new URL('../../../examples/python/app.py', import.meta.url)),
  ruby: fileURLToPath(new URL('../../../examples/ruby/app.rb', import.meta.url)),
};
const INSTALL: Record<Language, string> = {
  python: 'apt-get install -y python3 python3-jwt',
  ruby: 'apt-get install -y ruby ruby-jwt',
};

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
  const lines = createInterface({ input: child.stdout });

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
    lines.once('line', (line) => {
      const port = /^listening on http:\/\/127\.0\.0\.1:(\d+)$/.exec(line)?.[1];
      if (port === undefined) return fail(`printed ${JSON.stringify(line)} instead of its "listening" line`);
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
    });
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
    child.stdout.on('data', () => {
      if (/listening/.test(stdout)) child.kill('SIGKILL');
    });
  });
}

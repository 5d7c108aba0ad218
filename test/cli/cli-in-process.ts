/**
 * The CLI run in process, as `main.ts` runs it (`runCli(args, io)`), for the CLI's test files:
 * its exit code and what it wrote, and the check every usage or input error must pass.
 * @module
 */
import assert from 'node:assert/strict';
import { runCli } from '../../src/cli/run.js';

/** What one run of the CLI ended with. */
export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in process; only the variables given (plus PATH) reach it, as with a child's env.
 *
 * @example
 * const { code, stdout } = await cli(['sign', '--dashboard', '1'], { CHARTIO_EMBED_SECRET: secret });
 */
export async function cli(args: readonly string[], env: Record<string, string>): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    env: { PATH: process.env.PATH ?? '', ...env },
    out: (text) => void (stdout += text),
    err: (text) => void (stderr += text),
  });
  return { code, stdout, stderr };
}

/**
 * A usage or input error: exit 2 (or `exitCode`), exactly one line on stderr matching `pattern`,
 * nothing on stdout, and no stack trace nor anything else `forbidden` matches.
 *
 * @example
 * assertOneLineError(await cli(['sign'], {}), /needs --dashboard/);
 */
export function assertOneLineError(outcome: Outcome, pattern: RegExp, exitCode = 2, forbidden = /\n\s+at |node:internal|\.ts:\d+/): void {
  assert.equal(outcome.code, exitCode, `exit code (stderr: ${outcome.stderr})`);
  assert.equal(outcome.stdout, '');
  assert.equal(outcome.stderr.split('\n').filter(Boolean).length, 1, `one line, got:\n${outcome.stderr}`);
  assert.doesNotMatch(outcome.stderr, forbidden, 'no stack trace');
  assert.match(outcome.stderr, pattern);
}

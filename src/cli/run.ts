/**
 * The CLI's dispatch: each command in its own module (`*-command.ts`), and the one place errors
 * are printed: one line, control characters escaped, never a stack.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { EmbedError } from '../server/index.js';
import { decodeCommand } from './decode-command.js';
import type { CliIo } from './io.js';
import { printable, quoted } from './printable.js';
import { redactCredentials } from '../host/config/redact-credentials.js';
import { passesSecretInArgv, SECRET_ENV_VAR } from './read-secret.js';
import { keygenCommand } from './keygen-command.js';
import { signCommand } from './sign-command.js';
import { runHostCommand } from './host-command.js';
import { revokeCommand } from './revoke-command.js';
import { snippetCommand } from './snippet-command.js';
import { checkCommand } from './check-command.js';
import { devCommand } from './dev-command.js';
import { EXIT, MAIN_HELP, UsageError } from './usage.js';
import { verifyCommand } from './verify-command.js';

export type { CliIo };

/**
 * Runs `chartio-embed <command> …` and resolves to the exit code. Never throws and never prints
 * a stack: a usage mistake is one line and exit 2, a refused token `error <code>: …` and exit 1.
 *
 * @example
 * process.exitCode = await runCli(['sign', '--organization', '16417', '--dashboard', '38727'], {
 *   env: process.env,
 *   out: (text) => process.stdout.write(text),
 *   err: (text) => process.stderr.write(text),
 * });
 */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  try {
    if (passesSecretInArgv(args)) {
      throw new UsageError(`--secret is refused: a secret on the command line is visible to other users and kept in shell history; set ${SECRET_ENV_VAR} or pass --secret-file PATH`);
    }
    const [command, ...rest] = args;
    switch (command) {
      case 'sign':
        return await signCommand(rest, io);
      case 'verify':
        return await verifyCommand(rest, io);
      case 'decode':
        return await decodeCommand(rest, io);
      case 'keygen':
        return await keygenCommand(rest, io);
      case 'snippet':
        return await snippetCommand(rest, io);
      case 'host':
        return await runHostCommand(rest, io);
      case 'revoke':
        return await revokeCommand(rest, io);
      case 'check':
        return await checkCommand(rest, io);
      case 'dev':
        return await devCommand(rest, io);
      case undefined:
        io.err(MAIN_HELP);
        return EXIT.usage;
      case 'help':
      case '--help':
      case '-h':
        io.out(MAIN_HELP);
        return EXIT.ok;
      case '--version':
        io.out(`chartio-embed ${await packageVersion()}\n`);
        return EXIT.ok;
      default:
        throw new UsageError(`unknown command ${quoted(command)}; the commands are sign, verify, decode, keygen, snippet, host, revoke, check and dev`);
    }
  } catch (error) {
    return report(error, io);
  }
}

/** The package's version, from its package.json (two folders up from src/cli and dist/cli alike). */
async function packageVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * One line on stderr and an exit code; the only place errors are printed. Any URL's password in
 * the line is redacted, whatever produced it (a driver's message may quote its connection URL).
 */
function report(error: unknown, io: CliIo): number {
  const line = (text: string) => printable(redactCredentials(text));
  if (error instanceof UsageError) {
    io.err(`chartio-embed: ${line(error.message)} (see "chartio-embed --help")\n`);
    return EXIT.usage;
  }
  if (error instanceof EmbedError) {
    io.err(`error ${error.code}: ${line(error.message)}\n`);
    // A refused token is the verifier's answer; anything else means the input was wrong.
    return error.code.startsWith('token_') ? EXIT.refused : EXIT.usage;
  }
  io.err(`error internal: ${line(error instanceof Error ? error.message : String(error))}\n`);
  return EXIT.refused;
}

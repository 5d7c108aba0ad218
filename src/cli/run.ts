/**
 * The CLI's commands, kept thin: parse the arguments, call the library, print the answer.
 * @module
 */
import { parseArgs } from 'node:util';
import { EmbedError } from '../server/errors.js';
import { createEmbedSigner } from '../server/signer.js';
import { verifyEmbedToken } from '../server/verify.js';
import { envFromFlags } from './env-flags.js';
import { runHostCommand } from './host-command.js';
import { passesSecretInArgv, readSecret, SECRET_ENV_VAR } from './read-secret.js';
import { EXIT, MAIN_HELP, SIGN_HELP, UsageError, VERIFY_HELP } from './usage.js';

/** Where the CLI reads its environment and writes its output; tests may pass their own. */
export interface CliIo {
  env: Readonly<Record<string, string | undefined>>;
  out(text: string): void;
  err(text: string): void;
}

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
        return await sign(rest, io);
      case 'verify':
        return await verify(rest, io);
      case 'host':
        return await runHostCommand(rest, io);
      case undefined:
        io.err(MAIN_HELP);
        return EXIT.usage;
      case 'help':
      case '--help':
      case '-h':
        io.out(MAIN_HELP);
        return EXIT.ok;
      default:
        throw new UsageError(`unknown command "${command.slice(0, 40)}"; the commands are sign and verify`);
    }
  } catch (error) {
    return report(error, io);
  }
}

async function sign(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    organization: { type: 'string' },
    dashboard: { type: 'string' },
    env: { type: 'string', multiple: true },
    'env-json': { type: 'string' },
    ttl: { type: 'string' },
    'base-url': { type: 'string' },
    json: { type: 'boolean' },
    'secret-file': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, false);
  if (values.help) {
    io.out(SIGN_HELP);
    return EXIT.ok;
  }
  const organization = wholeNumber(values.organization, '--organization', true);
  const dashboard = wholeNumber(values.dashboard, '--dashboard', true);
  const ttl = wholeNumber(values.ttl, '--ttl', false);
  const env = envFromFlags((values.env as string[] | undefined) ?? [], values['env-json'] as string | undefined);
  const secret = await readSecret(io.env, values['secret-file'] as string | undefined);
  const signer = createEmbedSigner({ secret, organization, ttl, baseUrl: values['base-url'] as string | undefined });
  const result = await signer.sign({ dashboard, env });
  io.out(`${values.json ? JSON.stringify(result) : (result.url ?? result.token)}\n`);
  return EXIT.ok;
}

async function verify(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    organization: { type: 'string' },
    dashboard: { type: 'string' },
    'secret-file': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, true);
  if (values.help) {
    io.out(VERIFY_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('verify takes exactly one TOKEN');
  const organization = wholeNumber(values.organization, '--organization', true);
  const dashboard = wholeNumber(values.dashboard, '--dashboard', false);
  const secret = await readSecret(io.env, values['secret-file'] as string | undefined);
  const claims = await verifyEmbedToken(positionals[0] as string, { secret, organization, dashboard });
  io.out(`${JSON.stringify(claims, null, 2)}\n`);
  return EXIT.ok;
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

/** `parseArgs` in strict mode, its errors turned into usage errors. */
function parse(args: readonly string[], options: OptionSpec, allowPositionals: boolean) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function wholeNumber(text: unknown, flag: string, required: true): number;
function wholeNumber(text: unknown, flag: string, required: false): number | undefined;
function wholeNumber(text: unknown, flag: string, required: boolean): number | undefined {
  if (text === undefined) {
    if (required) throw new UsageError(`${flag} is required`);
    return undefined;
  }
  if (typeof text !== 'string' || !/^[0-9]{1,16}$/.test(text)) {
    throw new UsageError(`${flag} takes a whole number, got "${String(text).slice(0, 40)}"`);
  }
  return Number(text);
}

/** One line on stderr and an exit code; the only place errors are printed. */
function report(error: unknown, io: CliIo): number {
  if (error instanceof UsageError) {
    io.err(`chartio-embed: ${error.message} (see "chartio-embed --help")\n`);
    return EXIT.usage;
  }
  if (error instanceof EmbedError) {
    io.err(`error ${error.code}: ${error.message}\n`);
    // A refused token is the verifier's answer; anything else means the input was wrong.
    return error.code.startsWith('token_') ? EXIT.refused : EXIT.usage;
  }
  io.err(`error internal: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT.refused;
}

/**
 * Where the CLI gets the Embed Secret: a file or the environment, never the command line.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from './usage.js';

/** The environment variable the CLI reads the Embed Secret from. */
export const SECRET_ENV_VAR = 'CHARTIO_EMBED_SECRET';

/**
 * Tells whether the arguments try to pass a secret on the command line (`--secret` or
 * `--secret=…`, before any `--`), so the CLI can refuse it without echoing the value.
 *
 * @example
 * passesSecretInArgv(['sign', '--secret', 's3cr3t']); // true
 * passesSecretInArgv(['sign', '--secret-file', 'key.txt']); // false
 */
export function passesSecretInArgv(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--secret' || arg.startsWith('--secret=')) return true;
  }
  return false;
}

/**
 * The secret from `--secret-file PATH` (its bytes, less one trailing newline) or else from
 * `CHARTIO_EMBED_SECRET`; a usage error when neither gives one. Length is the library's check.
 *
 * @example
 * const secret = await readSecret(process.env, values['secret-file']);
 */
export async function readSecret(env: Readonly<Record<string, string | undefined>>, secretFile: string | undefined): Promise<string | Uint8Array> {
  if (secretFile !== undefined) {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(secretFile);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new UsageError(`cannot read --secret-file "${secretFile}" (${code})`);
    }
    // Files written with `echo` end in a newline that is no part of the secret.
    let end = bytes.length;
    if (bytes[end - 1] === 0x0a) end -= 1;
    if (bytes[end - 1] === 0x0d) end -= 1;
    if (end === 0) throw new UsageError(`--secret-file "${secretFile}" is empty`);
    return bytes.subarray(0, end);
  }
  const fromEnv = env[SECRET_ENV_VAR];
  if (fromEnv) return fromEnv;
  throw new UsageError(`no Embed Secret: set ${SECRET_ENV_VAR} or pass --secret-file PATH`);
}

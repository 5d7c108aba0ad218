/**
 * Where the CLI gets the Embed Secret: a file or the environment, never the command line. The
 * file is read only up to a bound, so a wrong path (`/dev/zero`, a log file) fails at once with a
 * message instead of filling memory.
 * @module
 */
import { open } from 'node:fs/promises';
import { quoted } from './printable.js';
import { UsageError } from './usage.js';

/** The environment variable the CLI reads the Embed Secret from. */
export const SECRET_ENV_VAR = 'CHARTIO_EMBED_SECRET';

/** The largest secret file read, in bytes: a secret is one short line (32 bytes or more). */
export const MAX_SECRET_FILE_BYTES = 4096;

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
 * The secret from `--secret-file PATH` (its bytes, less one trailing newline, at most
 * {@link MAX_SECRET_FILE_BYTES}) or else from `CHARTIO_EMBED_SECRET`; a usage error when neither
 * gives one. Length is the library's check.
 *
 * @example
 * const secret = await readSecret(process.env, values['secret-file']);
 */
export async function readSecret(env: Readonly<Record<string, string | undefined>>, secretFile: string | undefined): Promise<string | Uint8Array> {
  if (secretFile !== undefined) return readSecretFile(secretFile, `--secret-file ${quoted(secretFile)}`);
  const fromEnv = env[SECRET_ENV_VAR];
  if (fromEnv) return fromEnv;
  throw new UsageError(`no Embed Secret: set ${SECRET_ENV_VAR} or pass --secret-file PATH`);
}

/**
 * A secret file's bytes, less one trailing newline, at most {@link MAX_SECRET_FILE_BYTES}; a
 * usage error naming `label` (the option or configuration field) when it cannot be used.
 *
 * @example
 * const secret = await readSecretFile('/run/secrets/embed', 'host.json: keys[1].secretFile');
 */
export async function readSecretFile(path: string, label: string): Promise<Uint8Array> {
  const bytes = await readBounded(path, label);
  // Files written with `echo` end in a newline that is no part of the secret.
  let end = bytes.length;
  if (bytes[end - 1] === 0x0a) end -= 1;
  if (bytes[end - 1] === 0x0d) end -= 1;
  if (end === 0) throw new UsageError(`${label} is empty`);
  return bytes.subarray(0, end);
}

/** At most MAX_SECRET_FILE_BYTES of the file, or a usage error saying why not. */
async function readBounded(path: string, label: string): Promise<Uint8Array> {
  const buffer = new Uint8Array(MAX_SECRET_FILE_BYTES + 1);
  let length = 0;
  try {
    const file = await open(path, 'r');
    try {
      for (;;) {
        const { bytesRead } = await file.read(buffer, length, buffer.length - length, null);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length > MAX_SECRET_FILE_BYTES) {
          throw new UsageError(`${label} holds more than ${MAX_SECRET_FILE_BYTES} bytes; an Embed Secret is one short line (32 bytes or more): check the path`);
        }
      }
    } finally {
      await file.close();
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${label} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  return buffer.subarray(0, length);
}

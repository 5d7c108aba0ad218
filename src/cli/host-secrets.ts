/**
 * Where `chartio-embed host` gets its keys: the one Embed Secret (`--secret-file`, the
 * configuration's `secretFile`, or `CHARTIO_EMBED_SECRET`), or during a rotation the
 * configuration's `keys`, each secret from its own file or environment variable (public keys may
 * be in the file, or in a `publicKeyFile`), or the `jwksUrl` alone. Never from the configuration
 * itself or the command line. A key too short to use is refused here, naming the
 * field (never the secret).
 * @module
 */
import { MIN_SECRET_BYTES } from '../protocol/index.js';
import type { HostConfig } from '../host/config/host-config.js';
import type { EmbedKey } from '../host/index.js';
import { readSecret, readSecretFile, SECRET_ENV_VAR } from './read-secret.js';
import { UsageError } from './usage.js';

/**
 * The host's `{ secret }` or `{ keys }`. `file` is the configuration's path, for messages.
 *
 * @example
 * const secrets = await hostSecrets(config, 'host.json', process.env, values['secret-file']);
 * await startHostServer(config, secrets);
 */
export async function hostSecrets(
  config: HostConfig,
  file: string,
  env: Readonly<Record<string, string | undefined>>,
  secretFileArg: string | undefined,
): Promise<{ secret?: string | Uint8Array } | { keys: EmbedKey[] }> {
  if (config.keys === undefined && config.jwksUrl !== undefined) {
    // Public keys from the JWKS; an Embed Secret still set is accepted beside them (a move from
    // HS256 to key pairs): unset it once every signer has moved.
    const secretFile = secretFileArg ?? config.secretFile;
    return secretFile === undefined && !env[SECRET_ENV_VAR] ? {} : { secret: await readSecret(env, secretFile) };
  }
  if (config.keys === undefined) {
    const secretFile = secretFileArg ?? config.secretFile;
    if (secretFile === undefined && !env[SECRET_ENV_VAR]) {
      throw new UsageError(`no Embed Secret: set ${SECRET_ENV_VAR}, pass --secret-file PATH, or give secretFile in ${file} (or keys, during a key rotation)`);
    }
    return { secret: await readSecret(env, secretFile) };
  }
  if (secretFileArg !== undefined) {
    throw new UsageError(`--secret-file is not used when ${file} lists keys: give each key its own secretFile or secretEnv there`);
  }
  const keys: EmbedKey[] = [];
  for (const [index, key] of config.keys.entries()) {
    if ('publicKey' in key) {
      keys.push({ kid: key.kid, publicKey: key.publicKey });
      continue;
    }
    if ('publicKeyFile' in key) {
      const text = new TextDecoder().decode(await readSecretFile(key.publicKeyFile, `${file}: keys[${index}].publicKeyFile`));
      keys.push({ kid: key.kid, publicKey: text });
      continue;
    }
    const field = 'secretFile' in key ? `${file}: keys[${index}].secretFile` : `${file}: keys[${index}].secretEnv (${key.secretEnv})`;
    const secret = 'secretFile' in key ? await readSecretFile(key.secretFile, field) : new TextEncoder().encode(env[key.secretEnv] ?? '');
    if (secret.length < MIN_SECRET_BYTES) {
      throw new UsageError(`${field} holds ${secret.length} bytes; an Embed Secret needs at least ${MIN_SECRET_BYTES} (RFC 7518 §3.2)`);
    }
    keys.push({ ...(key.kid === undefined ? {} : { kid: key.kid }), secret });
  }
  return { keys };
}

/**
 * `chartio-embed sign`: signs one token with the library's signer and prints it, or the iframe URL
 * with `--base-url`, or `{token, expiresAt, url}` with `--json`. HS256 with the Embed Secret, or
 * ES256 / EdDSA with `--private-key-file` (and `--kid`).
 * @module
 */
import { createEmbedSigner } from '../server/index.js';
import { TOKEN_OPTIONS, parse, wholeNumber } from './args.js';
import { envFromFlags } from './env-flags.js';
import type { CliIo } from './io.js';
import { quoted } from './printable.js';
import { readSecret, readSecretFile } from './read-secret.js';
import { EXIT, SIGN_HELP, UsageError } from './usage.js';

/**
 * Runs `sign` and resolves to the exit code.
 *
 * @example
 * await signCommand(['--organization', '16417', '--dashboard', '38727', '--env', 'ACCT_ID=1'], io);
 */
export async function signCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    ...TOKEN_OPTIONS,
    kid: { type: 'string' },
    json: { type: 'boolean' },
    'secret-file': { type: 'string' },
    'private-key-file': { type: 'string' },
  }, false);
  if (values.help) {
    io.out(SIGN_HELP);
    return EXIT.ok;
  }
  const organization = wholeNumber(values.organization, '--organization', true);
  const dashboard = wholeNumber(values.dashboard, '--dashboard', true);
  const ttl = wholeNumber(values.ttl, '--ttl', false);
  const env = envFromFlags((values.env as string[] | undefined) ?? [], values['env-json'] as string | undefined);
  const kid = values.kid as string | undefined;
  const keyFile = values['private-key-file'] as string | undefined;
  if (keyFile !== undefined && values['secret-file'] !== undefined) throw new UsageError('give --secret-file (HS256) or --private-key-file (ES256, EdDSA), not both');
  const key = keyFile === undefined
    ? { secret: await readSecret(io.env, values['secret-file'] as string | undefined) }
    : { privateKey: new TextDecoder().decode(await readSecretFile(keyFile, `--private-key-file ${quoted(keyFile)}`)) };
  const signer = createEmbedSigner({ ...key, organization, ttl, baseUrl: values['base-url'] as string | undefined, ...(kid === undefined ? {} : { kid }) });
  const result = await signer.sign({ dashboard, env });
  io.out(`${values.json ? JSON.stringify(result) : (result.url ?? result.token)}\n`);
  return EXIT.ok;
}

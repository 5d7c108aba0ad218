/**
 * `chartio-embed verify TOKEN|URL`: verifies a token (or the iframe URL `sign` printed) with the
 * library's verifier and prints its claims, or the refusal's code and message (exit 1).
 * @module
 */
import { createEmbedVerifier, type EmbedVerifierOptions } from '../server/index.js';
import { parse, wholeNumber } from './args.js';
import type { CliIo } from './io.js';
import { printable, quoted } from './printable.js';
import { readSecret, readSecretFile } from './read-secret.js';
import { tokenArgument } from './token-argument.js';
import { EXIT, UsageError, VERIFY_HELP } from './usage.js';

/**
 * Runs `verify` and resolves to the exit code.
 *
 * @example
 * await verifyCommand(['https://dash.example.com/d/38727/?embed_token=eyJ…', '--organization', '16417'], io);
 */
export async function verifyCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    organization: { type: 'string' },
    dashboard: { type: 'string' },
    kid: { type: 'string' },
    'secret-file': { type: 'string' },
    'public-key-file': { type: 'string' },
    'jwks-url': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, true);
  if (values.help) {
    io.out(VERIFY_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('verify takes exactly one TOKEN (or the iframe URL sign printed)');
  const token = tokenArgument(positionals[0] as string);
  const organization = wholeNumber(values.organization, '--organization', true);
  const dashboard = wholeNumber(values.dashboard, '--dashboard', false);
  const kid = values.kid as string | undefined;
  const keyFile = values['public-key-file'] as string | undefined;
  const jwksUrl = values['jwks-url'] as string | undefined;
  let keys: EmbedVerifierOptions;
  if (keyFile !== undefined || jwksUrl !== undefined) {
    if (values['secret-file'] !== undefined) throw new UsageError('give --secret-file (HS256) or --public-key-file / --jwks-url (ES256, EdDSA), not both');
    if (keyFile !== undefined && kid === undefined) throw new UsageError('--public-key-file needs --kid: the key id its tokens name');
    const publicKey = keyFile === undefined ? undefined : new TextDecoder().decode(await readSecretFile(keyFile, `--public-key-file ${quoted(keyFile)}`));
    keys = { ...(publicKey === undefined ? {} : { keys: [{ kid: kid!, publicKey }] }), ...(jwksUrl === undefined ? {} : { jwksUrl }), organization };
  } else {
    const secret = await readSecret(io.env, values['secret-file'] as string | undefined);
    keys = { ...(kid === undefined ? { secret } : { keys: [{ kid, secret }] }), organization };
  }
  let verifier;
  try {
    verifier = createEmbedVerifier(keys);
  } catch (error) {
    if (error instanceof TypeError) throw new UsageError(error.message); // a bad --jwks-url
    throw error;
  }
  const claims = await verifier.verify(token, dashboard === undefined ? {} : { dashboard });
  io.out(`${printable(JSON.stringify(claims, null, 2))}\n`);
  return EXIT.ok;
}

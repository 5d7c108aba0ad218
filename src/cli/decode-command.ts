/**
 * `chartio-embed decode TOKEN|URL`: what a token says, without the secret: its header, its claims,
 * and when it was issued and expires, in words. Nothing is verified, and the output says so.
 * @module
 */
import { EmbedError } from '../server/index.js';
import { parse } from './args.js';
import type { CliIo } from './io.js';
import { printable } from './printable.js';
import { tokenArgument } from './token-argument.js';
import { DECODE_HELP, EXIT, UsageError } from './usage.js';

/**
 * Runs `decode` and resolves to the exit code.
 *
 * @example
 * await decodeCommand(['eyJhbGciOi…'], io, Date.now); // prints header, claims, expiry in words
 */
export async function decodeCommand(args: readonly string[], io: CliIo, now: () => number = Date.now): Promise<number> {
  const { values, positionals } = parse(args, { help: { type: 'boolean', short: 'h' } }, true);
  if (values.help) {
    io.out(DECODE_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('decode takes exactly one TOKEN (or the iframe URL sign printed)');
  const token = tokenArgument(positionals[0] as string);
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part, i) => /^[A-Za-z0-9_-]*$/.test(part) && (part !== '' || i === 2))) {
    throw new EmbedError('token_malformed', 'the token is not a compact JWT (three base64url parts joined by dots)');
  }
  const header = jsonPart(parts[0] as string, 'header');
  const claims = jsonPart(parts[1] as string, 'payload');
  const lines = [`Header:  ${JSON.stringify(header)}`, `Claims:  ${JSON.stringify(claims, null, 2).replaceAll('\n', '\n         ')}`];
  const seconds = Math.floor(now() / 1000);
  if (typeof claims.iat === 'number') lines.push(`Issued:  ${isoTime(claims.iat)}, ${relative(claims.iat - seconds)}`);
  if (typeof claims.exp === 'number') {
    lines.push(`Expires: ${isoTime(claims.exp)}, ${claims.exp > seconds ? relative(claims.exp - seconds) : `expired ${relative(claims.exp - seconds)}`}`);
  } else {
    lines.push('Expires: never (no exp claim: the host refuses such a token)');
  }
  lines.push('Not verified: decode reads a token without the secret; "chartio-embed verify" checks its signature and claims.');
  io.out(`${printable(lines.join('\n'))}\n`);
  return EXIT.ok;
}

/** A base64url part as a JSON object, or `token_malformed`. */
function jsonPart(part: string, name: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new EmbedError('token_malformed', `the token's ${name} is not a base64url JSON object`);
  }
  return value as Record<string, unknown>;
}

function isoTime(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString();
}

/**
 * A span of seconds in words, relative to now: `in 14 minutes 30 seconds`, `2 hours ago`.
 *
 * @example
 * relative(-7_260); // '2 hours 1 minute ago'
 */
export function relative(deltaSeconds: number): string {
  const span = Math.abs(deltaSeconds);
  if (span < 1) return 'now';
  const units: Array<[number, string]> = [[86_400, 'day'], [3_600, 'hour'], [60, 'minute'], [1, 'second']];
  const words: string[] = [];
  let rest = span;
  for (const [size, unit] of units) {
    const count = Math.floor(rest / size);
    if (count > 0 && words.length < 2) words.push(`${count} ${unit}${count === 1 ? '' : 's'}`);
    else if (words.length > 0) break; // two units at most, and no gap: "1 day 3 hours", not "1 day 4 seconds"
    rest -= count * size;
  }
  return deltaSeconds > 0 ? `in ${words.join(' ')}` : `${words.join(' ')} ago`;
}

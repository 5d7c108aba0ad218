/**
 * Parsing a command's arguments: `node:util`'s `parseArgs` in strict mode, with its errors and the
 * CLI's own checks as usage errors (exit 2).
 * @module
 */
import { parseArgs } from 'node:util';
import { quoted } from './printable.js';
import { UsageError } from './usage.js';

/** The options a command takes, as `parseArgs` wants them. */
export type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

/** The options `sign` and `snippet` share: what a token is for and what it carries. */
export const TOKEN_OPTIONS = {
  organization: { type: 'string' },
  dashboard: { type: 'string' },
  env: { type: 'string', multiple: true },
  'env-json': { type: 'string' },
  ttl: { type: 'string' },
  'base-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

/** What {@link parse} gives for `options`: `values` typed by them (a string option is a string). */
export type Parsed<T extends OptionSpec> = ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: boolean; strict: true }>>;

/**
 * `parseArgs` in strict mode, its errors turned into usage errors.
 *
 * @example
 * const { values, positionals } = parse(args, { json: { type: 'boolean' } }, true);
 */
export function parse<const T extends OptionSpec>(args: readonly string[], options: T, allowPositionals: boolean): Parsed<T> {
  try {
    return parseArgs({ args: [...args], options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * A whole number from a flag's text, or a usage error naming the flag.
 *
 * @example
 * wholeNumber(values.organization, '--organization', true); // 16417
 */
export function wholeNumber(text: unknown, flag: string, required: true): number;
export function wholeNumber(text: unknown, flag: string, required: false): number | undefined;
export function wholeNumber(text: unknown, flag: string, required: boolean): number | undefined {
  if (text === undefined) {
    if (required) throw new UsageError(`${flag} is required`);
    return undefined;
  }
  if (typeof text !== 'string' || !/^[0-9]{1,16}$/.test(text)) {
    throw new UsageError(`${flag} takes a whole number, got ${quoted(String(text))}`);
  }
  return Number(text);
}

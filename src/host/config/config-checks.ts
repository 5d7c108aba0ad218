/**
 * The small checks the host's configuration file is read with: each takes the field's path for
 * messages and the file's `fail`, which throws a `HostConfigError` naming the file and the field.
 * @module
 */

import { redactCredentials } from './redact-credentials.js';

/** An object read from the file. */
export type Json = Record<string, unknown>;

/** Throws a `HostConfigError`: `{file}: {field} {problem}`. */
export type Fail = (field: string, problem: string) => never;

export function record(value: unknown, field: string, fail: Fail): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(field, `must be an object, got ${show(value)}`);
  return value as Json;
}

export function known(item: Json, allowed: readonly string[], field: string, fail: Fail): void {
  for (const key of Object.keys(item)) {
    if (key === 'secret' && field === '') continue;
    if (!allowed.includes(key)) fail(field ? `${field}.${key}` : key, `is not a known field (known: ${allowed.join(', ')})`);
  }
}

export function text(value: unknown, field: string, fail: Fail, what: string): string {
  if (typeof value !== 'string' || value === '') fail(field, `must be ${what}, got ${show(value)}`);
  return value as string;
}

export function texts(value: unknown, field: string, fail: Fail): string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) fail(field, `must be a list of strings, got ${show(value)}`);
  return value as string[];
}

export function integer(value: unknown, field: string, fail: Fail, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
    fail(field, `must be an integer from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}, got ${show(value)}`);
  }
  return value as number;
}

export function boolean(value: unknown, field: string, fail: Fail): boolean {
  if (typeof value !== 'boolean') fail(field, `must be true or false, got ${show(value)}`);
  return value as boolean;
}

export function optional<T>(item: Json, key: string, read: (value: unknown) => T): Record<string, T> {
  return item[key] === undefined ? {} : { [key]: read(item[key]) };
}

/** A value quoted in a message: short, and without a URL's password. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = redactCredentials(JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** What an environment variable's name looks like (POSIX: letters, digits, `_`, not a digit first). */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/**
 * A field that names an environment variable (`secretEnv`, `urlEnv`): a name, never the value
 * pasted in its place, which is refused without being repeated (it may be the secret itself).
 */
export function envName(value: unknown, field: string, fail: Fail): string {
  if (typeof value !== 'string' || !ENV_NAME.test(value)) {
    fail(field, 'must be the name of an environment variable (letters, digits and "_", like "EMBED_SECRET"), not its value; what it holds is not repeated here, in case it is a secret');
  }
  return value as string;
}

/**
 * `names X, which is not set`: the name shown only when shorter than the shortest Embed Secret
 * (32 bytes), so that a secret pasted where its variable's name belongs is never printed.
 */
export function notSet(name: string): string {
  return name.length < 32 ? `names ${name}, which is not set` : 'names a variable that is not set (its name is long enough to be a secret, so it is not repeated here)';
}

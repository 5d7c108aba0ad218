/**
 * What every message about the host's configuration file is made with: the `fail` that throws a
 * `HostConfigError` naming the file and the field, a value quoted short and without a password,
 * and an unset variable's name shown only when it cannot be a secret.
 * @module
 */

import { redactCredentials } from './redact-credentials.js';

/** Throws a `HostConfigError`: `{file}: {field} {problem}`. */
export type Fail = (field: string, problem: string) => never;

/** A value quoted in a message: short, and without a URL's password. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = redactCredentials(JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/**
 * `names X, which is not set`: the name shown only when shorter than the shortest Embed Secret
 * (32 bytes), so that a secret pasted where its variable's name belongs is never printed.
 */
export function notSet(name: string): string {
  return name.length < 32 ? `names ${name}, which is not set` : 'names a variable that is not set (its name is long enough to be a secret, so it is not repeated here)';
}

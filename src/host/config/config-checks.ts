/**
 * The small checks the host's configuration file is read with: each takes the field's path for
 * messages and the file's `fail`, which throws a `HostConfigError` naming the file and the field.
 * @module
 */

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

export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

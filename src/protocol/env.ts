/**
 * The `env` claim: Hidden Variable names mapped to a string or a list of strings.
 * Pure functions shared by the signer, the token endpoint, the verifier and the element.
 * @module
 */
import {
  HIDDEN_VARIABLE_NAME,
  MAX_ENV_JSON_BYTES,
  MAX_ENV_KEYS,
  MAX_ENV_LIST_ITEMS,
  MAX_ENV_NAME_LENGTH,
  MAX_ENV_VALUE_LENGTH,
} from './limits.js';

/** One Hidden Variable value: `"1"` or `["2014-02-11", "2015-02-11"]`. */
export type EnvValue = string | readonly string[];

/** The `env` claim of a token. */
export type Env = Readonly<Record<string, EnvValue>>;

/**
 * Hidden Variables as server code may give them: finite numbers too (`{ ACCT_ID: 42 }`), which
 * become their decimal text in the token (`"42"`), as {@link normalizeEnv} turns them.
 *
 * @example
 * const locked: EnvInput = { ACCT_ID: user.accountId, REGIONS: [1, 'emea'] };
 */
export type EnvInput = Readonly<Record<string, string | number | readonly (string | number)[]>>;

/** Why an env map was refused, naming the variable at fault when there is one. */
export interface EnvProblem {
  /** The Hidden Variable at fault, or `undefined` when the map itself is wrong. */
  variable: string | undefined;
  message: string;
}

/**
 * The outcome of {@link normalizeEnv}: the clean map with its canonical JSON (what a token's
 * payload carries), or the first problem found.
 */
export type EnvResult = { ok: true; env: Env; json: string } | { ok: false; problem: EnvProblem };

/**
 * Tells whether `name` is a valid Hidden Variable name (upper snake case, bounded length).
 *
 * @example
 * isHiddenVariableName('ACCT_ID'); // true
 * isHiddenVariableName('acct_id'); // false
 */
export function isHiddenVariableName(name: string): boolean {
  return name.length <= MAX_ENV_NAME_LENGTH && HIDDEN_VARIABLE_NAME.test(name);
}

/**
 * Checks and normalizes an env map: finite numbers become strings (the seed's `str(v)`), keys
 * come out in canonical (sorted) order, and anything else (null, objects, nested arrays, NaN,
 * text that is not well-formed Unicode, over-long values, too many keys, more than
 * {@link MAX_ENV_JSON_BYTES} in all) is refused with a message naming the variable.
 * Never throws; reads only own enumerable keys, so `__proto__` in parsed JSON is an ordinary
 * (and invalid) name, never a prototype.
 *
 * @example
 * normalizeEnv({ USER_ID: 1, DATE_RANGE: ['2014-02-11', '2015-02-11'] });
 * // { ok: true, env: { DATE_RANGE: ['2014-02-11', '2015-02-11'], USER_ID: '1' },
 * //   json: '{"DATE_RANGE":["2014-02-11","2015-02-11"],"USER_ID":"1"}' }
 */
export function normalizeEnv(input: unknown): EnvResult {
  if (input === undefined) return { ok: true, env: {}, json: '{}' };
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return fail(undefined, 'env must be an object mapping Hidden Variable names to values');
  }
  const names = Object.keys(input);
  if (names.length > MAX_ENV_KEYS) return tooManyVariables(names.length);
  sortNames(names);
  const env: Record<string, EnvValue> = {};
  for (const name of names) {
    if (!isHiddenVariableName(name)) {
      return fail(name, `"${printable(name)}" is not a Hidden Variable name (upper snake case, like ACCT_ID, at most ${MAX_ENV_NAME_LENGTH} characters)`);
    }
    const value = normalizeValue((input as Record<string, unknown>)[name]);
    if (typeof value === 'object' && value !== null && 'problem' in value) return fail(name, `${name}: ${value.problem}`);
    defineValue(env, name, value as EnvValue);
  }
  // Keys were added in sorted order, so this is the canonical JSON.
  return withinSize(env);
}

/**
 * Joins two env maps that {@link normalizeEnv} has already accepted (a token endpoint's filters
 * from the browser and its locked values from the session; `second` wins a name both hold) and
 * checks what only the whole can break: the number of variables and the size. Values are not
 * checked again, so an env is normalized once on its way into a token.
 *
 * @example
 * combineEnv({ USER_ID: '3' }, { ACCT_ID: '7' });
 * // { ok: true, env: { ACCT_ID: '7', USER_ID: '3' }, json: '{"ACCT_ID":"7","USER_ID":"3"}' }
 */
export function combineEnv(first: Env, second: Env): EnvResult {
  const names = Object.keys(first);
  for (const name of Object.keys(second)) if (!Object.hasOwn(first, name)) names.push(name);
  if (names.length > MAX_ENV_KEYS) return tooManyVariables(names.length);
  sortNames(names);
  const env: Record<string, EnvValue> = {};
  for (const name of names) defineValue(env, name, (Object.hasOwn(second, name) ? second[name] : first[name]) as EnvValue);
  return withinSize(env);
}

/**
 * A stable text key for an env map: the same variables and values give the same key whatever
 * the order their keys were written in. Used for token reuse on both sides.
 *
 * @example
 * canonicalEnvKey({ B: '2', A: ['x'] }) === canonicalEnvKey({ A: ['x'], B: '2' }); // true
 */
export function canonicalEnvKey(env: Env): string {
  const sorted: Record<string, EnvValue> = {};
  for (const name of Object.keys(env).sort()) defineValue(sorted, name, env[name] as EnvValue);
  return JSON.stringify(sorted);
}

/**
 * Sorts at most {@link MAX_ENV_KEYS} names in place, in the order `Array#sort` gives strings
 * (UTF-16 code units). An insertion sort: on a token endpoint's path `Array#sort` allocated
 * about half a kilobyte per call for a handful of names, and names often come already sorted
 * (every env `normalizeEnv` made), which this passes over once.
 */
function sortNames(names: string[]): void {
  for (let i = 1; i < names.length; i++) {
    const name = names[i] as string;
    let j = i - 1;
    while (j >= 0 && (names[j] as string) > name) {
      names[j + 1] = names[j] as string;
      j--;
    }
    names[j + 1] = name;
  }
}

function normalizeValue(value: unknown): EnvValue | { problem: string } {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { problem: 'numbers must be finite' };
    return String(value);
  }
  if (typeof value === 'string') return checkString(value) ?? value;
  if (Array.isArray(value)) {
    if (value.length > MAX_ENV_LIST_ITEMS) {
      return { problem: `a list may hold at most ${MAX_ENV_LIST_ITEMS} values, got ${value.length}` };
    }
    const items: string[] = [];
    for (const item of value) {
      if (typeof item === 'number' && Number.isFinite(item)) items.push(String(item));
      else if (typeof item === 'string') {
        const problem = checkString(item);
        if (problem) return problem;
        items.push(item);
      } else return { problem: 'list items must be strings or finite numbers' };
    }
    return items;
  }
  const kind = value === null ? 'null' : typeof value;
  return { problem: `values must be a string or a list of strings, got ${kind}` };
}

function checkString(value: string): { problem: string } | undefined {
  if (value.length > MAX_ENV_VALUE_LENGTH) return { problem: `values may be at most ${MAX_ENV_VALUE_LENGTH} characters, got ${value.length}` };
  // A lone surrogate is not text: UTF-8 cannot carry it, and implementations disagree on it.
  if (LONE_SURROGATE.test(value)) return { problem: 'values must be well-formed Unicode text (a lone surrogate was found)' };
  return undefined;
}

/** With the `u` flag a well-formed pair is one code point, so only a lone surrogate matches. */
const LONE_SURROGATE = /\p{Cs}/u;

/** UTF-8 length of `text` without encoding it (surrogate pairs are 4 bytes: 2 + 2 here). */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) bytes += code >= 0x800 && (code < 0xd800 || code > 0xdfff) ? 2 : 1;
  }
  return bytes;
}

/** Assigns without ever invoking the `__proto__` setter. */
function defineValue(target: Record<string, EnvValue>, name: string, value: EnvValue): void {
  // Plain assignment for every other name: defineProperty would leave the object in V8's slow
  // dictionary mode, on the path of every token signed.
  if (name === '__proto__') Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}

/** The canonical JSON of an env whose keys are already sorted, refused past the size bound. */
function withinSize(env: Env): EnvResult {
  const json = JSON.stringify(env);
  const bytes = utf8Length(json);
  if (bytes > MAX_ENV_JSON_BYTES) {
    return fail(undefined, `env is ${bytes} bytes as JSON; at most ${MAX_ENV_JSON_BYTES} fit in a token that travels in a URL (pass ids and ranges, not data)`);
  }
  return { ok: true, env, json };
}

function tooManyVariables(count: number): EnvResult {
  return fail(undefined, `env has ${count} variables; at most ${MAX_ENV_KEYS} are allowed`);
}

function fail(variable: string | undefined, message: string): EnvResult {
  return { ok: false, problem: { variable, message } };
}

/** Names from a request body go into messages: keep them short and printable. */
function printable(name: string): string {
  const clipped = name.length > 40 ? `${name.slice(0, 40)}…` : name;
  return clipped.replace(/[^\x20-\x7e]/g, '?');
}

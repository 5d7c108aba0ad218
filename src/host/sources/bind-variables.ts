/**
 * Turns a token's `env` into one chart's query parameters, by the kinds its dashboard declares.
 * Values are only ever bound, never spliced into SQL. A chart whose required variable is missing
 * or malformed gets a message for the viewer instead of a query.
 * @module
 */
import type { Env, EnvValue } from '../../protocol/index.js';
import type { BoundValue, ChartDefinition, QueryParams, VariableDefinition } from '../types.js';

/** The parameters to run the chart with, or why it cannot run (a sentence for the viewer). */
export type BindResult = { ok: true; params: QueryParams } | { ok: false; message: string };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A whole number as the env carries it: digits, maybe a leading minus; no sign, space, point or exponent. */
const WHOLE_NUMBER = /^-?[0-9]+$/;
/** The range both databases' 64-bit integers (DuckDB's BIGINT, PostgreSQL's bigint) hold. */
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INT64_RANGE = `from ${INT64_MIN} to ${INT64_MAX}`;

/**
 * Binds the Hidden Variables `chart` uses from `env`:
 * - `text` → `$NAME` (a string; a list is refused);
 * - `integer` → `$NAME` (a 64-bit integer, from a string of digits like `"42"`);
 * - `list` → `$NAME` (a list of strings; a single string becomes a one-item list);
 * - `integer_list` → `$NAME` (a list of 64-bit integers; a single string becomes a one-item list);
 * - `date_range` → `$NAME_START` and `$NAME_END` (ISO dates, start not after end).
 * A missing optional variable binds SQL NULL (write `$NAME IS NULL OR …` to ignore it); a missing
 * required one gives `{ ok: false }` with a message naming it. So does a value that does not fit
 * its kind, optional or not: it never becomes NULL, which would drop the filter it was meant to be.
 *
 * @example
 * bindChartVariables(chart, dashboard.variables, { ACCT_ID: '7' });
 * // { ok: true, params: { ACCT_ID: { type: 'text', value: '7' } } }
 */
export function bindChartVariables(chart: ChartDefinition, variables: readonly VariableDefinition[], env: Env): BindResult {
  const params: Record<string, BoundValue> = {};
  for (const name of chart.variables) {
    const variable = variables.find((candidate) => candidate.name === name);
    if (!variable) return { ok: false, message: `This chart uses ${name}, which its dashboard does not declare.` };
    const value = Object.hasOwn(env, name) ? env[name] : undefined;
    if (value === undefined && variable.required) {
      // Names the token sets that the dashboard does not declare: most often the same variable
      // misspelt by the signer (TENANTID for TENANT_ID). Names only, never values.
      const strays = Object.keys(env).filter((key) => !variables.some((candidate) => candidate.name === key));
      const hint = strays.length === 0 ? '' : ` It sets ${strays.slice(0, 5).join(', ')}${strays.length > 5 ? ', …' : ''}, which the dashboard does not declare.`;
      return { ok: false, message: `This chart needs the Hidden Variable ${name}, which the embed token does not set.${hint}` };
    }
    const problem = bindVariable(variable, value, params);
    if (problem) return { ok: false, message: problem };
  }
  return { ok: true, params };
}

/** Adds the variable's parameters to `params`; returns a message when the value does not fit. */
function bindVariable(variable: VariableDefinition, value: EnvValue | undefined, params: Record<string, BoundValue>): string | undefined {
  const { name } = variable;
  switch (variable.kind) {
    case 'text':
      if (Array.isArray(value)) return `The Hidden Variable ${name} must be a single value, not a list.`;
      params[name] = { type: 'text', value: (value as string | undefined) ?? null };
      return undefined;
    case 'integer': {
      if (value === undefined) {
        params[name] = { type: 'integer', value: null };
        return undefined;
      }
      const whole = parseInt64(value);
      if (whole === undefined) return `The Hidden Variable ${name} must be a whole number ${INT64_RANGE}, like "42".`;
      params[name] = { type: 'integer', value: whole };
      return undefined;
    }
    case 'list':
      params[name] = { type: 'list', value: value === undefined ? null : typeof value === 'string' ? [value] : [...value] };
      return undefined;
    case 'integer_list': {
      if (value === undefined) {
        params[name] = { type: 'integer_list', value: null };
        return undefined;
      }
      const items = (typeof value === 'string' ? [value] : value).map(parseInt64);
      if (items.some((item) => item === undefined)) return `The Hidden Variable ${name} must be a list of whole numbers ${INT64_RANGE}, like ["42", "43"].`;
      params[name] = { type: 'integer_list', value: items as bigint[] };
      return undefined;
    }
    case 'date_range': {
      if (value === undefined) {
        params[`${name}_START`] = { type: 'date', value: null };
        params[`${name}_END`] = { type: 'date', value: null };
        return undefined;
      }
      const [start, end] = Array.isArray(value) ? value : [];
      if (!Array.isArray(value) || value.length !== 2 || !isIsoDate(start) || !isIsoDate(end)) {
        return `The Hidden Variable ${name} must be two dates, like ["2014-02-11", "2015-02-11"].`;
      }
      if (start! > end!) return `The Hidden Variable ${name} starts after it ends.`;
      params[`${name}_START`] = { type: 'date', value: start! };
      params[`${name}_END`] = { type: 'date', value: end! };
      return undefined;
    }
  }
}

/**
 * Reads a whole number in the 64-bit range from the env's text: digits with an optional leading
 * minus (`"12"`, `"-3"`, `"007"`); anything else (`"12a"`, `"1.5"`, `"1e3"`, `" 12"`, `""`, a
 * number beyond ±2^63) is `undefined`. Exact for every 64-bit value, which a `Number` is not.
 *
 * @example
 * parseInt64('9007199254740993'); // 9007199254740993n
 * parseInt64('1.5'); // undefined
 */
export function parseInt64(value: unknown): bigint | undefined {
  if (typeof value !== 'string' || !WHOLE_NUMBER.test(value)) return undefined;
  const whole = BigInt(value);
  return whole >= INT64_MIN && whole <= INT64_MAX ? whole : undefined;
}

/**
 * Tells whether `value` is a real calendar date written `YYYY-MM-DD` (no 2014-02-30).
 *
 * @example
 * isIsoDate('2016-02-29'); // true
 * isIsoDate('2015-02-29'); // false
 */
export function isIsoDate(value: unknown): value is string {
  const match = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

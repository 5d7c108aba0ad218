/**
 * Builds the `env` map from the CLI's `--env NAME=VALUE` flags and `--env-json`. It only
 * splits text; the library checks names and values.
 * @module
 */
import { UsageError } from './usage.js';

/**
 * Turns `--env` flags (a value with commas becomes a list) and an optional `--env-json` object
 * into one env map; a name given twice is a usage error rather than a silent override.
 *
 * @example
 * envFromFlags(['ACCT_ID=1', 'DATE_RANGE=2014-02-11,2015-02-11'], undefined);
 * // { ACCT_ID: '1', DATE_RANGE: ['2014-02-11', '2015-02-11'] }
 */
export function envFromFlags(flags: readonly string[], json: string | undefined): Record<string, unknown> {
  const env = new Map<string, unknown>();
  if (json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      throw new UsageError(`--env-json is not valid JSON (${(error as Error).message})`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new UsageError('--env-json must be a JSON object, like {"ACCT_ID":"1"}');
    }
    for (const [name, value] of Object.entries(parsed)) env.set(name, value);
  }
  for (const flag of flags) {
    const equals = flag.indexOf('=');
    if (equals < 1) throw new UsageError(`--env takes NAME=VALUE, like --env ACCT_ID=1; got "${flag}"`);
    const name = flag.slice(0, equals);
    const value = flag.slice(equals + 1);
    if (env.has(name)) throw new UsageError(`${name} is given twice (in --env or --env-json); give each Hidden Variable once`);
    env.set(name, value.includes(',') ? value.split(',') : value);
  }
  // Object.fromEntries defines own properties, so a "__proto__" name stays an (invalid) name.
  return Object.fromEntries(env);
}

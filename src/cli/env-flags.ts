/**
 * Builds the `env` map from the CLI's `--env NAME=VALUE` flags and `--env-json`. It only splits
 * text; the library checks names and values.
 *
 * In `--env`, a comma makes a list (`DATE_RANGE=2014-02-11,2015-02-11`) and `\,` is a comma in a
 * value (`NAME=Smith\, John`; `\\` is a backslash). A list item with a space at either end, or an
 * empty one, is refused rather than guessed: `NAME=Smith, John` is far more likely one value with a
 * comma than the list ["Smith", " John"].
 * @module
 */
import { quoted } from './printable.js';
import { UsageError } from './usage.js';

/**
 * Turns `--env` flags and an optional `--env-json` object into one env map; a name given twice is
 * a usage error rather than a silent override.
 *
 * @example
 * envFromFlags(['ACCT_ID=1', 'DATE_RANGE=2014-02-11,2015-02-11', 'NAME=Smith\\, John'], undefined);
 * // { ACCT_ID: '1', DATE_RANGE: ['2014-02-11', '2015-02-11'], NAME: 'Smith, John' }
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
    if (equals < 1) throw new UsageError(`--env takes NAME=VALUE, like --env ACCT_ID=1; got ${quoted(flag)}`);
    const name = flag.slice(0, equals);
    if (env.has(name)) throw new UsageError(`${quoted(name)} is given twice (in --env or --env-json); give each Hidden Variable once`);
    env.set(name, envValue(name, flag.slice(equals + 1)));
  }
  // Object.fromEntries defines own properties, so a "__proto__" name stays an (invalid) name.
  return Object.fromEntries(env);
}

/** One `--env` value: a string, or a list where unescaped commas are. */
function envValue(name: string, text: string): string | string[] {
  const items = [''];
  for (let i = 0; i < text.length; i++) {
    const character = text[i] as string;
    if (character === '\\' && (text[i + 1] === ',' || text[i + 1] === '\\')) {
      items[items.length - 1] += text[++i] as string;
    } else if (character === ',') {
      items.push('');
    } else {
      items[items.length - 1] += character;
    }
  }
  if (items.length === 1) return items[0] as string;
  const odd = items.find((item) => item === '' || item.trim() !== item);
  if (odd !== undefined) {
    throw new UsageError(
      `--env ${quoted(`${name}=${text}`)}: a comma makes a list, and the item ${quoted(odd)} is ${odd === '' ? 'empty' : 'padded with spaces'}. ` +
        `For one value with a comma write ${quoted(`${name}=${text.replaceAll(',', '\\,')}`)} (or use --env-json); for a list, write its items without spaces: ${name}=a,b`,
    );
  }
  return items;
}

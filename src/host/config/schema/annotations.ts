/**
 * The few words the schema carries beyond JSON Schema, so that one definition gives both the
 * published `host.schema.json` and messages as helpful as hand-written ones. JSON Schema allows
 * extra keywords; editors ignore these, `validate-schema.ts` reads them.
 * @module
 */

/** Extra keywords a field's schema may carry (all optional). */
export interface FieldWords {
  /** What the field is, for the docs' table and editors (JSON Schema's own `description`). */
  readonly description?: string;
  /** The rest of `{field} must …, got {value}` when the value is wrong: `'be a path'`. */
  readonly must?: string;
  /** The whole problem, never quoting the value (it may be a secret pasted in the wrong place). */
  readonly problem?: string;
  /** The problem when a required field is absent (default: `must …, got nothing`). */
  readonly whenMissing?: string;
  /** The problem when an object or list has fewer entries than its minimum. */
  readonly whenEmpty?: string;
  /** The problem for a key of a map that does not match its pattern. */
  readonly keyProblem?: string;
}

/**
 * The keywords as TypeBox options: `Type.Integer(words({ minimum: 1 }, { description: '…' }))`.
 *
 * @example
 * Type.String(words({ minLength: 1 }, { description: 'The folder of dashboard files.', must: 'be the folder of dashboard JSON files' }));
 */
export function words<T extends object>(options: T, extra: FieldWords): T & FieldWords {
  return { ...options, ...extra };
}

/** What an environment variable's name looks like (POSIX: letters, digits, `_`, not a digit first). */
export const ENV_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]{0,127}$';

/** The problem for an environment variable's name that is not one: never repeated, it may be the value. */
export const ENV_NAME_PROBLEM =
  'must be the name of an environment variable (letters, digits and "_", like "EMBED_SECRET"), not its value; what it holds is not repeated here, in case it is a secret';

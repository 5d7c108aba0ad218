/**
 * The first problem TypeBox finds in a value, as the host reports problems: the field's path in
 * the form a person reads (`charts[2].type`, not `/charts/2/type`) and a sentence that says what
 * the field must be. The sentence is the schema's own `errorMessage` (a keyword the dashboard
 * schema sets on every field, as ajv-errors reads it) followed by the value found; an unknown
 * field lists the known ones.
 * @module
 */
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import { show } from './format-definition.js';

/** One problem: the field at fault (`''` for the value itself) and what is wrong with it. */
export interface SchemaProblem {
  readonly field: string;
  readonly problem: string;
}

/** Options of {@link firstSchemaProblem}. */
export interface SchemaProblemOptions {
  /** Prefix of every field (`charts[2]`), for a value checked inside a larger file. */
  readonly at?: string;
  /** Fields whose problems another reader reports (a chart's `formats`): their errors are skipped. */
  readonly skip?: readonly string[];
  /** Says more about an unknown field of the value itself than "is not a known field" (a field of another chart type). */
  readonly unknownField?: (name: string, known: readonly string[]) => string | undefined;
}

/**
 * The first problem of `value` against `schema`, or `undefined` when it conforms.
 *
 * @example
 * firstSchemaProblem(Type.Object({ id: Type.Integer({ minimum: 1, errorMessage: 'must be a positive integer' }) }), { id: 0 });
 * // { field: 'id', problem: 'must be a positive integer, got 0' }
 */
export function firstSchemaProblem(schema: TSchema, value: unknown, options: SchemaProblemOptions = {}): SchemaProblem | undefined {
  for (const error of Value.Errors(schema, value)) {
    if (options.skip?.some((name) => isUnder(error.path, name))) continue;
    const inner = innermost(error);
    return describe(inner, readablePath(inner.path, options.at ?? ''), options);
  }
  return undefined;
}

/** A union that failed: the variant of the value's own kind (an object for an object), when only one is, says more than the union. */
function innermost(error: ValueError): ValueError {
  if (error.type !== ValueErrorType.Union) return error;
  const kind = kindOf(error.value);
  const variants = (error.schema.anyOf as TSchema[]).map((variant, index) => ({ variant, index })).filter(({ variant }) => variant.type === kind);
  if (variants.length !== 1) return error;
  const first = error.errors[variants[0]!.index]?.First();
  return first ? innermost(first) : error;
}

function describe(error: ValueError, path: string, options: SchemaProblemOptions): SchemaProblem {
  if (error.type === ValueErrorType.ObjectAdditionalProperties) {
    const known = Object.keys((error.schema.properties as object | undefined) ?? {});
    const name = path.slice(path.lastIndexOf('.') + 1);
    // Only a field of the value itself may belong to another kind of value (another chart type).
    const topLevel = error.path.lastIndexOf('/') === 0;
    return { field: path, problem: (topLevel ? options.unknownField?.(name, known) : undefined) ?? `is not a known field (known: ${known.join(', ')})` };
  }
  const wanted = typeof error.schema.errorMessage === 'string' ? error.schema.errorMessage : error.message.replace(/^Expected/, 'must be');
  const problem = error.type === ValueErrorType.ObjectRequiredProperty ? `${wanted}, got nothing` : `${wanted}, got ${show(error.value)}`;
  return { field: path, problem };
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (Number.isInteger(value)) return 'integer';
  return typeof value;
}

/** `/charts/2/formats/a~1b` → `charts[2].formats.a/b`, after `at`. */
function readablePath(pointer: string, at: string): string {
  let path = at;
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    path = /^\d+$/.test(key) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
  }
  return path;
}

function isUnder(pointer: string, name: string): boolean {
  return pointer === `/${name}` || pointer.startsWith(`/${name}/`);
}

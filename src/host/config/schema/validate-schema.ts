/**
 * Checks a value against a schema of `host-file.ts`, reporting the first problem as host.json's
 * messages always have: the field's path (`dataSources.warehouse.connections`) and what it must
 * be, in the schema's own words (`annotations.ts`), the value quoted short and without a URL's
 * password, or not at all where it may be a secret. It reads the subset of JSON Schema the
 * definitions use (objects, maps, lists, strings, integers, booleans, constants, and unions of
 * constants or of objects told apart by `type`); TypeBox's `Value.Check` agrees with it on every
 * file it accepts (test/host/host-schema.test.ts).
 * @module
 */
import type { TSchema } from '@sinclair/typebox';
import type { FieldWords } from './annotations.js';
import { show, type Fail } from '../config-checks.js';

type Schema = TSchema & FieldWords & Record<string, any>;

/**
 * Throws through `fail` at the first part of `value` that `schema` does not allow; returns
 * `value` typed when all of it fits.
 *
 * @example
 * const file = validateSchema(HostFileSchema, JSON.parse(text), (field, problem) => { throw new Error(`host.json: ${field} ${problem}`); });
 */
export function validateSchema<T>(schema: TSchema, value: unknown, fail: Fail): T {
  check(schema as Schema, value, '', fail);
  return value as T;
}

function check(schema: Schema, value: unknown, field: string, fail: Fail): void {
  const wrong = (): never => fail(field, schema.problem ?? `must ${schema.must ?? `be ${expected(schema)}`}, got ${show(value)}`);
  if (schema.anyOf) return union(schema, value, field, fail, wrong);
  if ('const' in schema) {
    if (value !== schema.const) wrong();
    return;
  }
  switch (schema.type) {
    case 'object':
      return object(schema, value, field, fail, wrong);
    case 'array': {
      if (!Array.isArray(value) || value.length < (schema.minItems ?? 0)) wrong();
      (value as unknown[]).forEach((item, index) => check(schema.items, item, `${field}[${index}]`, fail));
      return;
    }
    case 'string':
      if (typeof value !== 'string' || value.length < (schema.minLength ?? 0) || (schema.pattern && !new RegExp(schema.pattern).test(value))) wrong();
      return;
    case 'integer':
    case 'number':
      if ((schema.type === 'integer' ? !Number.isSafeInteger(value) : typeof value !== 'number' || !Number.isFinite(value)) || (value as number) < (schema.minimum ?? -Infinity) || (value as number) > (schema.maximum ?? Infinity)) wrong();
      return;
    case 'boolean':
      if (typeof value !== 'boolean') wrong();
      return;
    default:
      return; // no constraint (a `$schema` string is checked as one)
  }
}

/** Thrown by a member's check in a union of scalars: that member does not take the value. */
const REFUSED = Symbol('refused');

/** A union of constants (an enum), of scalars (`maxAge`: seconds or "exp"), or of objects told apart by their `type` constant. */
function union(schema: Schema, value: unknown, field: string, fail: Fail, wrong: () => never): void {
  const members = schema.anyOf as Schema[];
  if (members.every((member) => 'const' in member)) {
    if (!members.some((member) => member.const === value)) wrong();
    return;
  }
  if (!members.every((member) => member.type === 'object')) {
    // Of scalars (a number or "exp"): one member that takes the value is enough; else the union's words.
    const takes = (member: Schema): boolean => {
      try {
        check(member, value, field, () => {
          throw REFUSED;
        });
        return true;
      } catch (error) {
        if (error === REFUSED) return false;
        throw error;
      }
    };
    if (!members.some(takes)) wrong();
    return;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(field, `must be an object, got ${show(value)}`);
  const kind = (value as Record<string, unknown>).type;
  const member = members.find((item) => item.properties?.type?.const === kind);
  if (!member) {
    const kinds = members.map((item) => JSON.stringify(item.properties.type.const));
    fail(field ? `${field}.type` : 'type', `must be ${kinds.slice(0, -1).join(', ')} or ${kinds.at(-1)}, got ${show(kind)}`);
  }
  check(member!, value, field, fail);
}

/** An object with named properties, or a map (`patternProperties`) of names to one schema. */
function object(schema: Schema, value: unknown, field: string, fail: Fail, wrong: () => never): void {
  const at = (key: string) => (field ? `${field}.${key}` : key);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(field, `must be an object, got ${show(value)}`);
  const item = value as Record<string, unknown>;
  if (schema.patternProperties) {
    const [pattern, inner] = Object.entries(schema.patternProperties as Record<string, Schema>)[0]!;
    if (Object.keys(item).length < (schema.minProperties ?? 0)) fail(field, schema.whenEmpty ?? `must have at least ${schema.minProperties} entries`);
    for (const [key, entry] of Object.entries(item)) {
      if (!new RegExp(pattern).test(key)) fail(at(key), schema.keyProblem ?? `is not an allowed name (${pattern})`);
      check(inner, entry, at(key), fail);
    }
    return;
  }
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  if (schema.additionalProperties === false) {
    const known = Object.keys(properties).filter((key) => key !== '$schema');
    for (const key of Object.keys(item)) {
      if (!Object.hasOwn(properties, key)) fail(at(key), `is not a known field (known: ${known.join(', ')})`);
    }
  }
  const required = new Set<string>(schema.required ?? []);
  for (const [key, inner] of Object.entries(properties)) {
    if (item[key] === undefined) {
      if (required.has(key)) fail(at(key), inner.whenMissing ?? inner.problem ?? `must ${inner.must ?? `be ${expected(inner)}`}, got nothing`);
      continue;
    }
    check(inner, item[key], at(key), fail);
  }
  void wrong;
}

/** What a value of `schema` is, in words, when its schema does not say. */
export function expected(schema: Schema): string {
  if (schema.anyOf) return (schema.anyOf as Schema[]).map((member) => ('const' in member ? JSON.stringify(member.const) : expected(member))).join(' or ');
  if ('const' in schema) return JSON.stringify(schema.const);
  switch (schema.type) {
    case 'integer': {
      const min = schema.minimum ?? 0;
      return schema.maximum === undefined || schema.maximum >= Number.MAX_SAFE_INTEGER ? `an integer from ${min} up` : `an integer from ${min} to ${schema.maximum}`;
    }
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'string':
      return schema.minLength ? 'a non-empty string' : 'a string';
    case 'array':
      return schema.items?.type === 'string' ? 'a list of strings' : 'a list';
    default:
      return 'an object';
  }
}

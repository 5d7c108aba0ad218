/**
 * The field table of docs/host-operations.md, written from the schema (`host-file.ts`): a
 * test compares the page with it, so the docs name every field, with its type, default and
 * meaning, and no field that is gone.
 * @module
 */
import type { TSchema } from '@sinclair/typebox';
import { expected } from './validate-schema.js';
import { HostFileSchema } from './host-file.js';

type Schema = TSchema & Record<string, any>;

/**
 * The table, Markdown: one row per field, nested ones by their path (`redis.urlEnv`), a data
 * source's by its kind (`dataSources.NAME.url` (postgres)).
 *
 * @example
 * hostFieldTable().split('\n')[2]; // '| `organization` | an integer from 1 up | required | The organization id tokens must carry. |'
 */
export function hostFieldTable(): string {
  const rows = ['| field | value | default | what |', '|---|---|---|---|'];
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const add = (path: string, schema: Schema, required: boolean) => {
    const value = schema.anyOf && !schema.anyOf.every((member: Schema) => 'const' in member) ? 'an object' : typeof schema.must === 'string' ? schema.must.replace(/^be /, '') : expected(schema);
    const fallback = 'default' in schema ? `\`${JSON.stringify(schema.default)}\`` : required ? 'required' : '';
    rows.push(`| \`${path}\` | ${cell(value)} | ${fallback} | ${cell(schema.description ?? '')} |`);
  };
  const walk = (prefix: string, schema: Schema) => {
    const required = new Set<string>(schema.required ?? []);
    for (const [key, inner] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (path === 'dataSources') {
        add(path, inner, true);
        const [, member] = Object.entries(inner.patternProperties as Record<string, Schema>)[0]!;
        for (const kind of member.anyOf as Schema[]) {
          for (const [field, fieldSchema] of Object.entries(kind.properties as Record<string, Schema>)) {
            if (field === 'type') continue;
            add(`dataSources.NAME.${field}`, { ...fieldSchema, description: `(${kind.properties.type.const}) ${fieldSchema.description ?? ''}` }, false);
          }
        }
        continue;
      }
      add(path, inner, required.has(key));
      if (inner.type === 'object' && inner.properties) walk(path, inner);
      if (inner.type === 'array' && inner.items?.type === 'object') walk(`${path}[]`, inner.items);
      if (inner.patternProperties && path === 'queues') walk(`${path}.NAME`, Object.values(inner.patternProperties)[0] as Schema);
    }
  };
  walk('', HostFileSchema as Schema);
  return rows.join('\n');
}

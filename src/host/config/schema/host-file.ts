/**
 * host.json, described once: this TypeBox definition is the JSON Schema published as
 * `chartio-embed/host.schema.json`, the source of the file's TypeScript type ({@link HostFile}),
 * what `validate-schema.ts` checks a file against, and the field table in
 * docs/host-operations.md. Each section has its own module (`data-sources.ts`, `limits.ts`,
 * `operations.ts`); a new field is one line there.
 * @module
 */
import { Type, type Static } from '@sinclair/typebox';
import { words } from './annotations.js';
import { DataSourcesSchema } from './data-sources.js';
import { atLeast, CacheSchema, DownloadSchema, QueueSchema, QueuesSchema, RedisSchema } from './limits.js';
import { operationsProperties } from './operations.js';
import { MaxAgeSchema } from '../../definition/max-age.js';

/** The URL the published schema is known by (its `$id`). */
export const HOST_SCHEMA_ID = 'https://unpkg.com/chartio-embed/dist/host.schema.json';

/**
 * The whole file.
 *
 * @example
 * import { Value } from '@sinclair/typebox/value';
 * Value.Check(HostFileSchema, { organization: 16417, dashboards: 'dashboards', dataSources: { demo: { type: 'duckdb' } }, frameAncestors: [] }); // true
 */
export const HostFileSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'This schema, for editors: "./node_modules/chartio-embed/dist/host.schema.json".' })),
    organization: Type.Integer(words({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }, { description: 'The organization id tokens must carry.', must: 'be a positive integer (the organization id tokens carry)' })),
    secretFile: Type.Optional(Type.String(words({ minLength: 1 }, { description: 'A file holding the Embed Secret (else CHARTIO_EMBED_SECRET).', must: 'be a path' }))),
    dashboards: Type.String(words({ minLength: 1 }, { description: 'The folder of dashboard JSON files (relative to host.json).', must: 'be the folder of dashboard JSON files' })),
    dataSources: DataSourcesSchema,
    redis: Type.Optional(RedisSchema),
    listen: Type.Optional(Type.String(words({ minLength: 1, default: '127.0.0.1' }, { description: 'The address to listen on.', must: 'be the address to listen on, like "0.0.0.0"' }))),
    port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65_535, default: 8081, description: 'The port to listen on (0: any free one).' })),
    frameAncestors: Type.Array(Type.String(), { description: 'The origins allowed to frame the dashboards ([] for none).' }),
    parentOrigins: Type.Optional(Type.Array(Type.String(), { description: 'Origins the page posts its height to (default: the exact origins of frameAncestors).' })),
    basePath: Type.Optional(Type.String(words({ minLength: 1 }, { description: 'A path prefix the host is mounted under, like "/dash".', must: 'be a path like "/dash"' }))),
    cache: Type.Optional(CacheSchema),
    queue: Type.Optional(QueueSchema),
    queues: Type.Optional(QueuesSchema),
    queryTimeoutMs: atLeast(1, 'How long a chart’s query may run (default 30000).'),
    maxAge: Type.Optional(MaxAgeSchema),
    download: Type.Optional(DownloadSchema),
    statsRoute: Type.Optional(Type.Boolean({ default: false, description: 'Serve /stats on the public port.' })),
    shutdownTimeoutMs: atLeast(1, 'How long SIGTERM waits for requests under way.', 10_000),
    ...operationsProperties,
  },
  { additionalProperties: false, $id: HOST_SCHEMA_ID, title: 'chartio-embed host.json', description: 'The configuration of `chartio-embed host --config host.json`.' },
);

/** host.json as written (before paths are resolved and variables read). */
export type HostFile = Static<typeof HostFileSchema>;

/**
 * The published JSON Schema document: the definition itself, with the draft it follows.
 *
 * @example
 * writeFileSync('dist/host.schema.json', JSON.stringify(hostJsonSchema(), null, 2));
 */
export function hostJsonSchema(): Record<string, unknown> {
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', ...JSON.parse(JSON.stringify(HostFileSchema)) };
}

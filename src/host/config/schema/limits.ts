/**
 * The host's bounds in host.json: the page cache, the run queue (shared and per data source),
 * downloads, and the shared Redis.
 * @module
 */
import { Type } from '@sinclair/typebox';
import { words } from './annotations.js';
import { UrlEnvSchema } from './data-sources.js';

/** An optional whole number from `minimum` up, described. */
export const atLeast = (minimum: number, description: string, defaultValue?: number) =>
  Type.Optional(Type.Integer(words({ minimum, ...(defaultValue === undefined ? {} : { default: defaultValue }) }, { description })));

/** `cache`: this process's page cache. */
export const CacheSchema = Type.Object(
  {
    maxEntries: atLeast(1, 'Most pages kept (default 1000).'),
    maxBytes: atLeast(1, 'Most bytes of pages kept (default 64 MiB).'),
    failedPageTtlSeconds: atLeast(0, 'Seconds a page whose query failed is kept (default 60).'),
  },
  { additionalProperties: false, description: "This process's page cache." },
);

const queueFields = {
  concurrency: atLeast(1, 'Dashboards run at once per data source (default 4).'),
  maxQueued: atLeast(0, 'More that may wait (default 32).'),
  maxWaitMs: atLeast(1, 'How long one may wait for its turn (default 3000).'),
};

/** `queue`: each data source's run queue. */
export const QueueSchema = Type.Object(
  { ...queueFields, retryAfterSeconds: atLeast(1, 'Retry-After of a 503 for a full queue (default 2).') },
  { additionalProperties: false, description: 'Bounds of each data source’s run queue.' },
);

/** `queues`: a data source's own bounds, field by field over `queue`. */
export const QueuesSchema = Type.Record(Type.String(), Type.Object(queueFields, { additionalProperties: false }), {
  description: 'Per data source (by name): bounds that override queue’s, field by field.',
});

/** `download`: CSV downloads. */
export const DownloadSchema = Type.Object(
  { maxBytes: atLeast(1, 'The most bytes one CSV file holds (default 100 MiB).') },
  { additionalProperties: false, description: 'CSV downloads.' },
);

/** `redis`: the cache shared by every instance. */
export const RedisSchema = Type.Object(
  {
    url: Type.Optional(Type.String(words({ minLength: 1 }, { description: 'redis://host:6379 (or give urlEnv).', must: 'be a URL like "redis://host:6379"' }))),
    urlEnv: Type.Optional(UrlEnvSchema),
    keyPrefix: Type.Optional(Type.String(words({ minLength: 1 }, { description: 'Prefix of the host’s keys (default "chartio:").', must: 'be a key prefix like "chartio:"' }))),
    lockTtlMs: atLeast(1, 'How long a run’s lock lasts.'),
    commandTimeoutMs: atLeast(1, 'How long one Redis command may take.'),
    maxPageBytes: atLeast(1, 'The largest page kept in Redis.'),
  },
  { additionalProperties: false, description: 'A Redis shared by every instance: pages, run locks, revocations.' },
);

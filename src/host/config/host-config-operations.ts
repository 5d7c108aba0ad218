/**
 * The operations fields of the host's configuration file, checked like the rest (messages name
 * the file and the field):
 * - `keys`: the keys tokens may be signed with during a rotation, each `{ kid?, secretFile }` or
 *   `{ kid?, secretEnv }`: the secrets themselves are never in the file (nor on the command line);
 *   or a public key `{ kid, publicKey }` (PEM text: not a secret, so it may be in the file) or
 *   `{ kid, publicKeyFile }`;
 * - `jwksUrl`: the signers' published public keys (a JWKS document), fetched by the host;
 * - `revocation`: cut-offs, `{ before?, dashboards?: { "38727": time }, refreshMs?, onUnavailable? }`;
 * - `metrics`, `metricsRoute`, `admin: { port, listen? }`: Prometheus metrics and the port that
 *   serves `/stats`, `/metrics` and `/healthz` to the operator only;
 * - `audit`: `{ stdout: true }` or `{ file }`, with `redact: [names]`.
 * @module
 */
import { isAbsolute, resolve } from 'node:path';
import { notSet, show, type Fail } from './config-checks.js';
import type { HostFile } from './schema/host-file.js';
import { momentMs } from '../store/revocation.js';

/** A key as the file describes it: where its secret is (never the secret), or a public key. */
export type KeyConfig =
  | ({ readonly kid?: string } & ({ readonly secretFile: string } | { readonly secretEnv: string }))
  | { readonly kid: string; readonly publicKey: string }
  | { readonly kid: string; readonly publicKeyFile: string };

/** Cut-offs as the file gives them, in milliseconds since the epoch. */
export interface RevocationConfig {
  readonly before?: number;
  readonly dashboards?: Readonly<Record<number, number>>;
  readonly refreshMs?: number;
  /** `serve` (default) or `refuse`: what the host does while Redis's cut-offs cannot be read. */
  readonly onUnavailable?: 'serve' | 'refuse';
}

/** Where the audit lines go, as the file says. */
export type AuditConfig = ({ readonly stdout: true } | { readonly file: string }) & { readonly redact?: readonly string[] };

/** The operations fields, checked. */
export interface OperationsConfig {
  readonly keys?: readonly KeyConfig[];
  /** The signers' JWKS URL (http or https). */
  readonly jwksUrl?: string;
  readonly revocation?: RevocationConfig;
  /** Collect Prometheus metrics (default false). */
  readonly metrics: boolean;
  /** Serve `/metrics` on the public port too (default false; the admin port is the place). */
  readonly metricsRoute: boolean;
  /** The operator's port: `/stats`, `/metrics` (with `metrics`), `/healthz`. */
  readonly admin?: { readonly port: number; readonly listen: string };
  readonly audit?: AuditConfig;
}

/**
 * Reads the operations fields of a file the schema has checked (`schema/operations.ts`): what
 * JSON Schema cannot say. `folder` anchors relative paths; `env` is where `secretEnv` names must be set.
 *
 * @example
 * const operations = readOperationsConfig(root, '/etc/chartio', process.env, fail);
 */
export function readOperationsConfig(root: HostFile, folder: string, env: Readonly<Record<string, string | undefined>>, fail: Fail): OperationsConfig {
  const path = (value: string) => (isAbsolute(value) ? value : resolve(folder, value));
  const config: Record<string, unknown> = { metrics: root.metrics ?? false, metricsRoute: root.metricsRoute ?? false };
  if (config.metricsRoute && !config.metrics) fail('metricsRoute', 'needs "metrics": true (there is nothing to serve without it)');
  if (root.keys !== undefined) {
    if (root.secretFile !== undefined) fail('keys', 'and secretFile are two ways to give the secret: with keys, give each key its own secretFile or secretEnv');
    config.keys = keys(root.keys, path, env, fail);
  }
  if (root.jwksUrl !== undefined) {
    if (!/^https?:\/\/[^/\s]+/.test(root.jwksUrl) || !URL.canParse(root.jwksUrl)) fail('jwksUrl', 'must be an http(s) URL like "https://app.example.com/.well-known/jwks.json"');
    config.jwksUrl = root.jwksUrl;
  }
  if (root.revocation !== undefined) config.revocation = revocation(root.revocation, fail);
  if (root.admin !== undefined) config.admin = { port: root.admin.port, listen: root.admin.listen ?? '127.0.0.1' };
  if (root.audit !== undefined) {
    const audit = root.audit;
    if ((audit.stdout === undefined) === (audit.file === undefined)) fail('audit', 'needs "stdout": true or "file": "audit.jsonl", one of the two');
    config.audit = {
      ...(audit.stdout === true ? { stdout: true } : { file: path(audit.file!) }),
      ...(audit.redact === undefined ? {} : { redact: audit.redact }),
    };
  }
  return config as unknown as OperationsConfig;
}

function keys(value: NonNullable<HostFile['keys']>, path: (value: string) => string, env: Readonly<Record<string, string | undefined>>, fail: Fail): KeyConfig[] {
  const seen = new Set<string>();
  return value.map((key, index) => {
    const field = `keys[${index}]`;
    const given = (['secretFile', 'secretEnv', 'publicKey', 'publicKeyFile'] as const).filter((name) => key[name] !== undefined);
    if (given.length !== 1) fail(field, 'needs secretFile (a path) or secretEnv (the name of an environment variable) for an HS256 secret, or publicKey (PEM text) or publicKeyFile (a path) for an ES256 or EdDSA public key: one of the two kinds, from one source');
    const kid = key.kid;
    if (kid !== undefined) {
      if (seen.has(kid)) fail(`${field}.kid`, `"${kid}" is given twice; each key needs its own id`);
      seen.add(kid);
    }
    if (key.publicKey !== undefined || key.publicKeyFile !== undefined) {
      if (kid === undefined) fail(`${field}.kid`, 'is required for a public key: give the kid its signer writes in tokens (like "2026-01")');
      if (key.publicKey !== undefined) {
        if (!key.publicKey.includes('-----BEGIN PUBLIC KEY-----')) fail(`${field}.publicKey`, 'must be PEM text starting "-----BEGIN PUBLIC KEY-----" (chartio-embed keygen prints one); a private key never belongs here');
        return { kid: kid!, publicKey: key.publicKey };
      }
      return { kid: kid!, publicKeyFile: path(key.publicKeyFile!) };
    }
    const withKid = kid === undefined ? {} : { kid };
    if (key.secretFile !== undefined) return { ...withKid, secretFile: path(key.secretFile) };
    const name = key.secretEnv!;
    if (!env[name]) fail(`${field}.secretEnv`, notSet(name));
    return { ...withKid, secretEnv: name };
  });
}

function revocation(item: NonNullable<HostFile['revocation']>, fail: Fail): RevocationConfig {
  const moment = (raw: string, field: string): number => {
    const ms = momentMs(raw);
    if (ms === undefined) fail(field, `must be an ISO 8601 time with its zone, like "2026-03-01T12:00:00Z", got ${show(raw)}`);
    return ms!;
  };
  const config: { before?: number; dashboards?: Record<number, number>; refreshMs?: number; onUnavailable?: 'serve' | 'refuse' } = {};
  if (item.before !== undefined) config.before = moment(item.before, 'revocation.before');
  if (item.dashboards !== undefined) {
    config.dashboards = {};
    for (const [id, raw] of Object.entries(item.dashboards)) config.dashboards[Number(id)] = moment(raw, `revocation.dashboards.${id}`);
  }
  if (item.refreshMs !== undefined) config.refreshMs = item.refreshMs;
  if (item.onUnavailable !== undefined) config.onUnavailable = item.onUnavailable;
  return config;
}

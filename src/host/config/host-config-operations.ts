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
import { HIDDEN_VARIABLE_NAME, KEY_ID } from '../../protocol/index.js';
import { boolean, envName, integer, known, notSet, record, show, text, texts, type Fail, type Json } from './config-checks.js';
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

/** The root fields this module reads. */
export const OPERATIONS_FIELDS = ['keys', 'jwksUrl', 'revocation', 'metrics', 'metricsRoute', 'admin', 'audit'] as const;

/**
 * Reads the operations fields of a parsed configuration file. `folder` anchors relative paths;
 * `env` is where `secretEnv` names must be set.
 *
 * @example
 * const operations = readOperationsConfig(root, '/etc/chartio', process.env, fail);
 */
export function readOperationsConfig(root: Json, folder: string, env: Readonly<Record<string, string | undefined>>, fail: Fail): OperationsConfig {
  const path = (value: string) => (isAbsolute(value) ? value : resolve(folder, value));
  const config: Record<string, unknown> = {
    metrics: root.metrics === undefined ? false : boolean(root.metrics, 'metrics', fail),
    metricsRoute: root.metricsRoute === undefined ? false : boolean(root.metricsRoute, 'metricsRoute', fail),
  };
  if (config.metricsRoute && !config.metrics) fail('metricsRoute', 'needs "metrics": true (there is nothing to serve without it)');
  if (root.keys !== undefined) {
    if (root.secretFile !== undefined) fail('keys', 'and secretFile are two ways to give the secret: with keys, give each key its own secretFile or secretEnv');
    config.keys = keys(root.keys, path, env, fail);
  }
  if (root.jwksUrl !== undefined) {
    const url = text(root.jwksUrl, 'jwksUrl', fail, 'a URL like "https://app.example.com/.well-known/jwks.json"');
    if (!/^https?:\/\/[^/\s]+/.test(url) || !URL.canParse(url)) fail('jwksUrl', 'must be an http(s) URL like "https://app.example.com/.well-known/jwks.json"');
    config.jwksUrl = url;
  }
  if (root.revocation !== undefined) config.revocation = revocation(root.revocation, fail);
  if (root.admin !== undefined) {
    const admin = record(root.admin, 'admin', fail);
    known(admin, ['port', 'listen'], 'admin', fail);
    if (admin.port === undefined) fail('admin.port', 'is required: the port that serves /stats, /metrics and /healthz to the operator');
    config.admin = {
      port: integer(admin.port, 'admin.port', fail, 0, 65_535),
      listen: admin.listen === undefined ? '127.0.0.1' : text(admin.listen, 'admin.listen', fail, 'the address to listen on, like "127.0.0.1"'),
    };
  }
  if (root.audit !== undefined) {
    const audit = record(root.audit, 'audit', fail);
    known(audit, ['stdout', 'file', 'redact'], 'audit', fail);
    if ((audit.stdout === undefined) === (audit.file === undefined)) fail('audit', 'needs "stdout": true or "file": "audit.jsonl", one of the two');
    if (audit.stdout !== undefined && audit.stdout !== true) fail('audit.stdout', `must be true, got ${show(audit.stdout)}`);
    const redact = audit.redact === undefined ? undefined : texts(audit.redact, 'audit.redact', fail);
    for (const [index, name] of (redact ?? []).entries()) {
      if (name !== '*' && !HIDDEN_VARIABLE_NAME.test(name)) fail(`audit.redact[${index}]`, `must be a Hidden Variable name like "USER_ID", or "*", got ${show(name)}`);
    }
    config.audit = {
      ...(audit.stdout === true ? { stdout: true } : { file: path(text(audit.file, 'audit.file', fail, 'a path')) }),
      ...(redact === undefined ? {} : { redact }),
    };
  }
  return config as unknown as OperationsConfig;
}

function keys(value: unknown, path: (value: string) => string, env: Readonly<Record<string, string | undefined>>, fail: Fail): KeyConfig[] {
  if (!Array.isArray(value) || value.length === 0) fail('keys', `must be a non-empty list of { "kid"?, "secretFile" | "secretEnv" } or { "kid", "publicKey" | "publicKeyFile" }, got ${show(value)}`);
  const seen = new Set<string>();
  return (value as unknown[]).map((item, index) => {
    const field = `keys[${index}]`;
    const key = record(item, field, fail);
    if ('secret' in key) fail(`${field}.secret`, 'is refused: keep secrets out of the configuration (give secretFile, or secretEnv: the name of an environment variable)');
    known(key, ['kid', 'secretFile', 'secretEnv', 'publicKey', 'publicKeyFile'], field, fail);
    const given = ['secretFile', 'secretEnv', 'publicKey', 'publicKeyFile'].filter((name) => key[name] !== undefined);
    if (given.length !== 1) fail(field, 'needs secretFile (a path) or secretEnv (the name of an environment variable) for an HS256 secret, or publicKey (PEM text) or publicKeyFile (a path) for an ES256 or EdDSA public key: one of the two kinds, from one source');
    let kid: string | undefined;
    if (key.kid !== undefined) {
      if (typeof key.kid !== 'string' || !KEY_ID.test(key.kid)) fail(`${field}.kid`, `must be 1 to 64 printable ASCII characters without spaces, quotes or backslashes (like "2025-06"), got ${show(key.kid)}`);
      kid = key.kid as string;
      if (seen.has(kid)) fail(`${field}.kid`, `"${kid}" is given twice; each key needs its own id`);
      seen.add(kid);
    }
    if (key.publicKey !== undefined || key.publicKeyFile !== undefined) {
      if (kid === undefined) fail(`${field}.kid`, 'is required for a public key: give the kid its signer writes in tokens (like "2026-01")');
      if (key.publicKey !== undefined) {
        const pem = text(key.publicKey, `${field}.publicKey`, fail, 'PEM text starting "-----BEGIN PUBLIC KEY-----"');
        if (!pem.includes('-----BEGIN PUBLIC KEY-----')) fail(`${field}.publicKey`, 'must be PEM text starting "-----BEGIN PUBLIC KEY-----" (chartio-embed keygen prints one); a private key never belongs here');
        return { kid: kid!, publicKey: pem };
      }
      return { kid: kid!, publicKeyFile: path(text(key.publicKeyFile, `${field}.publicKeyFile`, fail, 'a path')) };
    }
    const withKid = kid === undefined ? {} : { kid };
    if (key.secretFile !== undefined) return { ...withKid, secretFile: path(text(key.secretFile, `${field}.secretFile`, fail, 'a path')) };
    const name = envName(key.secretEnv, `${field}.secretEnv`, fail);
    if (!env[name]) fail(`${field}.secretEnv`, notSet(name));
    return { ...withKid, secretEnv: name };
  });
}

function revocation(value: unknown, fail: Fail): RevocationConfig {
  const item = record(value, 'revocation', fail);
  known(item, ['before', 'dashboards', 'refreshMs', 'onUnavailable'], 'revocation', fail);
  const moment = (raw: unknown, field: string): number => {
    const ms = typeof raw === 'string' ? momentMs(raw) : undefined;
    if (ms === undefined) fail(field, `must be an ISO 8601 time with its zone, like "2026-03-01T12:00:00Z", got ${show(raw)}`);
    return ms!;
  };
  const config: { before?: number; dashboards?: Record<number, number>; refreshMs?: number; onUnavailable?: 'serve' | 'refuse' } = {};
  if (item.before !== undefined) config.before = moment(item.before, 'revocation.before');
  if (item.dashboards !== undefined) {
    const dashboards = record(item.dashboards, 'revocation.dashboards', fail);
    config.dashboards = {};
    for (const [id, raw] of Object.entries(dashboards)) {
      if (!/^[1-9][0-9]{0,15}$/.test(id)) fail(`revocation.dashboards.${id}`, 'is not a dashboard id (a positive integer)');
      config.dashboards[Number(id)] = moment(raw, `revocation.dashboards.${id}`);
    }
  }
  if (item.refreshMs !== undefined) config.refreshMs = integer(item.refreshMs, 'revocation.refreshMs', fail, 100);
  if (item.onUnavailable !== undefined) {
    if (item.onUnavailable !== 'serve' && item.onUnavailable !== 'refuse') fail('revocation.onUnavailable', `must be "serve" (keep the cut-offs read last while Redis is down) or "refuse" (503 until it answers), got ${show(item.onUnavailable)}`);
    config.onUnavailable = item.onUnavailable as 'serve' | 'refuse';
  }
  return config;
}

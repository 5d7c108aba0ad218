/**
 * The operations fields of host.json: keys during a rotation, public keys, revocation cut-offs,
 * metrics, the admin port and the audit log. What cannot be said in JSON Schema (one key source
 * of two kinds, a kid given twice, a PEM header) is checked in `../host-config-operations.ts`.
 * @module
 */
import { Type } from '@sinclair/typebox';
import { ENV_NAME_PATTERN, ENV_NAME_PROBLEM, words } from './annotations.js';

const path = (description: string) => Type.Optional(Type.String(words({ minLength: 1 }, { description, must: 'be a path' })));

/** One key: where its secret is (never the secret), or a public key. */
export const KeySchema = Type.Object(
  {
    kid: Type.Optional(Type.String(words({ pattern: '^[!#-\\[\\]-~]{1,64}$' }, { description: 'The key id signers write in tokens.', must: 'be 1 to 64 printable ASCII characters without spaces, quotes or backslashes (like "2025-06")' }))),
    secretFile: path('A file holding an HS256 secret.'),
    secretEnv: Type.Optional(Type.String(words({ pattern: ENV_NAME_PATTERN }, { description: 'An environment variable holding an HS256 secret.', must: 'be the name of an environment variable', problem: ENV_NAME_PROBLEM }))),
    publicKey: Type.Optional(Type.String(words({ minLength: 1 }, { description: 'An ES256 or EdDSA public key, PEM.', must: 'be PEM text starting "-----BEGIN PUBLIC KEY-----"' }))),
    publicKeyFile: path('A file holding a PEM public key.'),
  },
  { additionalProperties: false },
);

/** `keys`. */
export const KeysSchema = Type.Array(KeySchema, words(
  { minItems: 1 },
  {
    description: 'The keys tokens may be signed with during a rotation (instead of one secret).',
    must: 'be a non-empty list of { "kid"?, "secretFile" | "secretEnv" } or { "kid", "publicKey" | "publicKeyFile" }',
  },
));

const moment = Type.String({ must: 'be an ISO 8601 time with its zone, like "2026-03-01T12:00:00Z"' });

/** `revocation`: cut-offs. */
export const RevocationSchema = Type.Object(
  {
    before: Type.Optional(Type.String({ ...moment, description: 'Tokens issued before this time are refused (ISO 8601 with its zone).' })),
    dashboards: Type.Optional(Type.Record(Type.String({ pattern: '^[1-9][0-9]{0,15}$' }), moment, { description: 'A cut-off per dashboard id.', keyProblem: 'is not a dashboard id (a positive integer)' })),
    refreshMs: Type.Optional(Type.Integer({ minimum: 100, default: 5000, description: 'How often the run-time cut-offs are read from Redis.' })),
    onUnavailable: Type.Optional(Type.Union([Type.Literal('serve'), Type.Literal('refuse')], {
      default: 'serve',
      description: 'What the host does while Redis’s cut-offs cannot be read.',
      must: 'be "serve" (keep the cut-offs read last while Redis is down) or "refuse" (503 until it answers)',
    })),
  },
  { additionalProperties: false, description: 'Revocation cut-offs.' },
);

/** `admin`: the operator's port. */
export const AdminSchema = Type.Object(
  {
    port: Type.Integer({ minimum: 0, maximum: 65_535, description: 'Its port.', whenMissing: 'is required: the port that serves /stats, /metrics and /healthz to the operator' }),
    listen: Type.Optional(Type.String({ minLength: 1, default: '127.0.0.1', description: 'Its address.', must: 'be the address to listen on, like "127.0.0.1"' })),
  },
  { additionalProperties: false, description: 'The operator’s port: /stats, /metrics, /healthz.' },
);

/** `audit`: one line per view. */
export const AuditSchema = Type.Object(
  {
    stdout: Type.Optional(Type.Literal(true, { description: 'Write the lines on stdout.', must: 'be true' })),
    file: path('Append the lines to this file.'),
    redact: Type.Optional(Type.Array(Type.String({ pattern: '^(?:\\*|[A-Z][A-Z0-9_]*)$', must: 'be a Hidden Variable name like "USER_ID", or "*"' }), { description: 'Hidden Variables whose values are replaced.' })),
  },
  { additionalProperties: false, description: 'An audit line per view: { "stdout": true } or { "file" }.' },
);

/** The operations fields, as root properties. */
export const operationsProperties = {
  keys: Type.Optional(KeysSchema),
  jwksUrl: Type.Optional(Type.String({ minLength: 1, description: 'The signers’ JWKS (public keys) URL.', must: 'be a URL like "https://app.example.com/.well-known/jwks.json"' })),
  revocation: Type.Optional(RevocationSchema),
  metrics: Type.Optional(Type.Boolean({ default: false, description: 'Collect Prometheus metrics.' })),
  metricsRoute: Type.Optional(Type.Boolean({ default: false, description: 'Serve /metrics on the public port too.' })),
  admin: Type.Optional(AdminSchema),
  audit: Type.Optional(AuditSchema),
};

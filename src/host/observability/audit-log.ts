/**
 * The audit log: one JSON line per dashboard view (a page, data-route or CSV download request that
 * carried a token), written to stdout, appended to a file, or handed to a function. It says who saw what:
 * the organization, the dashboard, the token's Hidden Variables (with the values of the names
 * the configuration lists replaced), whether a cache answered or the queries ran, how long it
 * took and the status. The token itself is never written, only its SHA-256 (the same hash the
 * shared Redis keeps its page under), so a line can be matched to a token you hold without the
 * log being able to replay it.
 * @module
 */
import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { HIDDEN_VARIABLE_NAME, type Env } from '../../protocol/index.js';
import { errorDetail } from './host-log.js';
import type { HostLogEntry } from '../types.js';

/** One dashboard view, as the audit log writes it. */
export interface AuditRecord {
  /** When the request arrived (ISO 8601, UTC). */
  readonly time: string;
  readonly organization: number;
  /** The dashboard in the request's path. */
  readonly dashboard: number;
  /** `page` (`/d/{id}/?embed_token=`), `data` (`/d/{id}/data`) or `download` (`/d/{id}/charts/{n}.csv`). */
  readonly route: 'page' | 'data' | 'download';
  /** A download's chart (its index in the dashboard). */
  readonly chart?: number;
  /** SHA-256 of the token, base64url: never the token. */
  readonly token: string;
  /**
   * The token's Hidden Variables, when it was verified; the values of redacted names are
   * `"[redacted]"`. Absent for a token that failed verification: what it claims is unproven.
   */
  readonly env?: Env;
  /**
   * How it was served: `hit` (this process's cache), `shared` (the shared Redis), `joined` (a run
   * under way here for the same token), `run` (the dashboard's queries ran for it, here or on
   * the instance this one waited for), or `refused`.
   */
  readonly served: 'hit' | 'shared' | 'joined' | 'run' | 'refused';
  /** Milliseconds from the request to its page or data being complete. */
  readonly durationMs: number;
  /** The HTTP status sent. */
  readonly status: number;
  /**
   * `ok`, or why not: the error page's code (`token_expired`, `token_revoked`, `internal_error`,
   * …); for a download also `query_failed`, or `cancelled` when the client left before its end.
   */
  readonly code: string;
  /** A download's rows and bytes sent, and whether a bound (`maxRows`, `maxBytes`) cut it short. */
  readonly rows?: number;
  readonly bytes?: number;
  readonly truncated?: boolean;
}

/** Where audit lines go: `'stdout'`, `{ file }` (appended), or a function given each record and its line. */
export type AuditSink = 'stdout' | { readonly file: string } | ((record: AuditRecord, line: string) => void);

/** Options of the host's `audit`. */
export interface AuditOptions {
  sink: AuditSink;
  /** Hidden Variable names whose values are replaced by `"[redacted]"`; `"*"` redacts every value. */
  redact?: readonly string[];
}

/** A view as the host reports it; the audit log hashes the token and redacts the env. */
export interface AuditView extends Omit<AuditRecord, 'token' | 'env'> {
  /** The token, hashed before anything is written. */
  readonly rawToken: string;
  readonly env: Env | undefined;
}

/** The host's audit log. */
export interface AuditLog {
  write(view: AuditView): void;
  /** Flushes and closes a file sink. */
  close(): Promise<void>;
}

/** The value written in place of a redacted one. */
export const REDACTED = '[redacted]';


/**
 * Checks `options` (a `TypeError` naming the field) and opens the sink.
 *
 * @example
 * const audit = createAuditLog({ sink: { file: '/var/log/chartio/audit.jsonl' }, redact: ['USER_ID'] }, log);
 */
export function createAuditLog(options: AuditOptions, log: (entry: HostLogEntry) => void): AuditLog {
  if (options === null || typeof options !== 'object') throw new TypeError('audit must be { sink, redact? }');
  const redact = options.redact ?? [];
  if (!Array.isArray(redact) || redact.some((name) => name !== '*' && (typeof name !== 'string' || !HIDDEN_VARIABLE_NAME.test(name)))) {
    throw new TypeError(`audit.redact must be a list of Hidden Variable names (like "USER_ID"), or "*" for every value; got ${JSON.stringify(redact)}`);
  }
  const redactAll = redact.includes('*');
  const redacted = new Set(redact);
  const { sink } = options;
  let failed = false;
  const fail = (error: unknown) => {
    if (failed) return;
    failed = true;
    log({ level: 'error', event: 'audit_failed', message: 'the audit sink failed: audit lines are being lost', detail: errorDetail(error) });
  };

  let emit: (record: AuditRecord, line: string) => void;
  let stream: WriteStream | undefined;
  if (sink === 'stdout') {
    emit = (_record, line) => void process.stdout.write(line);
  } else if (typeof sink === 'function') {
    emit = (record, line) => {
      try {
        sink(record, line);
      } catch (error) {
        fail(error);
      }
    };
  } else if (sink !== null && typeof sink === 'object' && typeof sink.file === 'string' && sink.file !== '') {
    const file = createWriteStream(sink.file, { flags: 'a', mode: 0o640 });
    file.on('error', fail);
    stream = file;
    emit = (_record, line) => void file.write(line);
  } else {
    throw new TypeError('audit.sink must be "stdout", { file: "/path/audit.jsonl" } or a function (record, line) => void');
  }

  const redactEnv = (env: Env): Env => {
    if (redact.length === 0) return env;
    const out: Record<string, string | readonly string[]> = {};
    for (const [name, value] of Object.entries(env)) out[name] = redactAll || redacted.has(name) ? REDACTED : value;
    return out as Env;
  };

  return {
    write(view) {
      const { rawToken, env, ...rest } = view;
      const record: AuditRecord = {
        time: rest.time,
        organization: rest.organization,
        dashboard: rest.dashboard,
        route: rest.route,
        ...(rest.chart === undefined ? {} : { chart: rest.chart }),
        token: createHash('sha256').update(rawToken).digest('base64url'),
        ...(env === undefined ? {} : { env: redactEnv(env) }),
        served: rest.served,
        durationMs: rest.durationMs,
        status: rest.status,
        code: rest.code,
        ...(rest.rows === undefined ? {} : { rows: rest.rows, bytes: rest.bytes, truncated: rest.truncated }),
      };
      emit(record, `${JSON.stringify(record)}\n`);
    },
    async close() {
      if (!stream || stream.closed) return;
      stream.end();
      await once(stream, 'close').catch(() => undefined);
    },
  };
}

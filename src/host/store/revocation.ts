/**
 * Revocation cut-offs: a token issued (its `iat`) before the cut-off of its dashboard, or of the
 * whole organization, is refused as `token_revoked` (401), cached or not. Cut-offs come from the
 * host's options (or its configuration file) and, with a shared Redis, from `chartio-embed
 * revoke` at run time (`redis-revocations.ts`). A cut-off only ever moves later: a run-time one
 * that is earlier than what the host already enforces changes nothing, so a typo or a stale
 * reader can never lift a revocation.
 *
 * Why `iat`: it is the one claim that says when a token was made. Signers round it down to their
 * reuse window (a tenth of the lifetime, at most an hour), so for up to one window after a
 * cut-off of "now" a token signed afresh may still carry an earlier `iat` and be refused; the
 * README says so where it documents `revoke`.
 * @module
 */

/** A moment: a `Date`, milliseconds since the epoch, or an ISO 8601 time with its zone (`2026-03-01T12:00:00Z`). */
export type Moment = Date | number | string;

/** Cut-offs as options give them. */
export interface RevocationOptions {
  /** Tokens of the organization issued before this moment are refused, on every dashboard. */
  before?: Moment;
  /** Per dashboard id: tokens for that dashboard issued before the moment are refused. */
  dashboards?: Readonly<Record<number, Moment>>;
  /**
   * With a shared Redis: milliseconds between two reads of the run-time cut-offs `chartio-embed
   * revoke` sets (default 5 000). A change is also announced at once on a Redis channel; this
   * read bounds how late an instance that missed the announcement learns of it.
   */
  refreshMs?: number;
  /**
   * With a shared Redis: what the host does while it cannot read the run-time cut-offs there.
   * `serve` (default): enforce the cut-offs read last and the configured ones, and serve on (Redis
   * down is never an outage). `refuse`: answer every token, cached pages included, with 503
   * `revocation_unavailable` (retryable) until Redis answers again: no token revoked meanwhile
   * is ever served, at the price of an outage while Redis is down.
   */
  onUnavailable?: RevocationFallback;
}

/** What a host does while the shared store's cut-offs cannot be read (see {@link RevocationOptions.onUnavailable}). */
export type RevocationFallback = 'serve' | 'refuse';

/** Cut-offs in milliseconds since the epoch: the organization's and each dashboard's. */
export interface CutOffs {
  readonly organization?: number;
  readonly dashboards: ReadonlyMap<number, number>;
}

/** What a cut-off is checked against: the claims of a verified token (or of a cached page). */
export interface IssuedClaims {
  readonly dashboard: number;
  /** Seconds since the epoch. */
  readonly iat: number;
}

const ZONED_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Milliseconds since the epoch for a moment, or `undefined` when it is none: a string must be
 * ISO 8601 with its zone (`Z` or `+02:00`), so no one's local time is guessed.
 *
 * @example
 * momentMs('2026-03-01T12:00:00Z'); // 1772366400000
 * momentMs('2026-03-01 12:00'); // undefined
 */
export function momentMs(value: unknown): number | undefined {
  let ms: number;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value;
  else if (typeof value === 'string' && ZONED_ISO.test(value)) ms = Date.parse(value);
  else return undefined;
  return Number.isSafeInteger(ms) && ms > 0 ? ms : undefined;
}

/**
 * Checks a cut-off from the options: a moment, and not in the future (a cut-off refuses tokens
 * issued before it, so a future one would refuse tokens not yet signed). Throws a `TypeError`
 * naming `field`.
 *
 * @example
 * checkCutOff('2026-03-01T12:00:00Z', 'revocation.before', Date.now(), 30_000);
 */
export function checkCutOff(value: unknown, field: string, now: number, toleranceMs: number): number {
  const ms = momentMs(value);
  if (ms === undefined) {
    throw new TypeError(`${field} must be a time: an ISO 8601 string with its zone (like "2026-03-01T12:00:00Z"), a Date, or milliseconds since the epoch; got ${describe(value)}`);
  }
  if (ms > now + toleranceMs) {
    throw new TypeError(`${field} is in the future (${new Date(ms).toISOString()}): a cut-off refuses tokens issued before it, so give a time up to now`);
  }
  return ms;
}

/**
 * The cut-offs one host enforces: those of its options, raised by run-time ones. Asking is a map
 * lookup, cheap enough for every cached page.
 *
 * @example
 * const revocations = new Revocations({ organization: Date.parse('2026-03-01T12:00:00Z'), dashboards: new Map() });
 * revocations.revokedBy({ dashboard: 38727, iat: 1772366399 }); // 1772366400000: refused
 */
export class Revocations {
  #organization: number | undefined;
  readonly #dashboards = new Map<number, number>();
  /** What to do while the run-time cut-offs cannot be read. */
  readonly onUnavailable: RevocationFallback;
  #readable = true;

  constructor(configured: CutOffs = { dashboards: new Map() }, onUnavailable: RevocationFallback = 'serve') {
    this.raise(configured);
    this.onUnavailable = onUnavailable;
  }

  /** Told by the shared store's watch whether its last read of the run-time cut-offs succeeded. */
  setReadable(readable: boolean): void {
    this.#readable = readable;
  }

  /** True while the run-time cut-offs cannot be read (whatever `onUnavailable` says). */
  unreadable(): boolean {
    return !this.#readable;
  }

  /**
   * True when every token must be refused now (`revocation_unavailable`): the cut-offs cannot be
   * read and `onUnavailable` is `refuse`.
   */
  refusing(): boolean {
    return !this.#readable && this.onUnavailable === 'refuse';
  }

  /**
   * The cut-off (milliseconds) that refuses these claims, or `undefined` when they pass: the
   * later of the organization's and the dashboard's.
   */
  revokedBy(claims: IssuedClaims): number | undefined {
    const cutOff = this.cutOffFor(claims.dashboard);
    return cutOff !== undefined && claims.iat * 1000 < cutOff ? cutOff : undefined;
  }

  /** The cut-off in force for a dashboard (the later of its own and the organization's). */
  cutOffFor(dashboard: number): number | undefined {
    const own = this.#dashboards.get(dashboard);
    const organization = this.#organization;
    if (own === undefined) return organization;
    return organization === undefined || own > organization ? own : organization;
  }

  /** A snapshot of the cut-offs in force. */
  snapshot(): CutOffs {
    return { ...(this.#organization === undefined ? {} : { organization: this.#organization }), dashboards: new Map(this.#dashboards) };
  }

  /**
   * Takes the later of each cut-off and `cutOffs`' (a cut-off never moves earlier). Returns what
   * moved, for the log: `'organization'` and dashboard ids.
   */
  raise(cutOffs: CutOffs): (number | 'organization')[] {
    const moved: (number | 'organization')[] = [];
    if (cutOffs.organization !== undefined && !(this.#organization !== undefined && this.#organization >= cutOffs.organization)) {
      this.#organization = cutOffs.organization;
      moved.push('organization');
    }
    for (const [dashboard, cutOff] of cutOffs.dashboards) {
      const current = this.#dashboards.get(dashboard);
      if (current === undefined || cutOff > current) {
        this.#dashboards.set(dashboard, cutOff);
        moved.push(dashboard);
      }
    }
    return moved;
  }
}

/**
 * The refusal's detail: when the token was issued and which cut-off refused it (no token text).
 *
 * @example
 * revokedDetail({ dashboard: 38727, iat: 1772366399 }, 1772366400000);
 */
export function revokedDetail(claims: IssuedClaims, cutOff: number): string {
  return `the token was issued at ${new Date(claims.iat * 1000).toISOString()}, before the revocation cut-off ${new Date(cutOff).toISOString()} in force for dashboard ${claims.dashboard}`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

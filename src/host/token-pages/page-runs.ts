/**
 * The page-runs layer: how a token becomes its rendered dashboard, written once for both routes
 * (the page and the data route), so one token costs one cache entry and one run of its queries
 * whichever is asked first. In order:
 * 1. **cached**: the page this process keeps for the token (no verification: it was verified
 *    when its page was made; no query);
 * 2. **joined**: a flight already under way for the token here (a concurrent first request);
 * 3. otherwise the token is **verified** (organization, the dashboard in the path, HS256, expiry),
 *    and a new flight starts: the shared store is asked for a page another instance made, then a
 *    place in the data source's queue is taken (a full queue is a 503), then the run is claimed;
 *    a run won here waits for its turn before the answer begins (one not come within `maxWaitMs`
 *    is a 503, and the claim is given up); the winner runs the queries and stores the page, the others wait for it.
 * A flight is registered before its first await, so every request that arrives meanwhile joins it.
 * A token issued before a revocation cut-off is refused at each step (`token_revoked`): the
 * claims of a cached page or of a flight are checked as those of a token just verified.
 * @module
 */
import type { EmbedClaims } from '../../protocol/index.js';
import type { PageStore, RerunReason, RunClaim } from '../store/page-store.js';
import { renderDashboardParts } from '../page/render-page.js';
import { RenderedPage } from '../store/rendered-page.js';
import { runDashboard } from '../sources/run-dashboard.js';
import type { QueueTicket } from '../sources/run-queue.js';
import { EmbedError, type HostVerifier } from '../token-verifier.js';
import { errorDetail } from '../observability/host-log.js';
import { revokedDetail, type Revocations } from '../store/revocation.js';
import type { HostLogEntry, HostStats } from '../types.js';
import { KEY_UNKNOWN_DETAIL, QUEUE_FULL, QUEUE_WAIT_EXCEEDED, REVOCATION_UNAVAILABLE, type PageOutcome } from './page-outcome.js';
import type { ServedDashboard } from './served-dashboard.js';

/** Milliseconds between two fresh runs of one token that viewers ask for (`refresh()`), across the instances. */
export const REFRESH_WINDOW_MS = 10_000;
/** Milliseconds before an instance looks again at a stale page whose re-run another instance claimed. */
const RECHECK_MS = 1_000;

/**
 * The counters the runs layer keeps: its part of {@link HostStats}, which the host's stats merge
 * with the store's and the queues'. Here a hit is one of this process's cache, a joined run one
 * of a flight under way here, and a revoked token counts in `rejectedTokens` too.
 */
export type RunCounts = Pick<HostStats, 'hits' | 'misses' | 'queryRuns' | 'queries' | 'joinedRuns' | 'rejectedTokens' | 'revokedTokens'>;

/** What the runs layer needs from the host. */
export interface PageRunsOptions {
  readonly verifier: HostVerifier;
  /** The cut-offs in force (raised at run time by a shared store's watch). */
  readonly revocations: Revocations;
  /** Resolves once the run-time cut-offs have been read at start (undefined: there are none to read). */
  readonly revocationsReady: Promise<void> | undefined;
  /** Told how long each query run took, and whether a query failed in it (metrics). */
  readonly onRun?: (dashboard: number, seconds: number, failed: boolean) => void;
  readonly store: PageStore;
  readonly queryTimeoutMs: number;
  readonly failedPageTtlSeconds: number;
  readonly now: () => number;
  readonly log: (entry: HostLogEntry) => void;
}

/** A token's page under way here, shared by every request for that token. */
interface Flight {
  readonly claims: EmbedClaims;
  readonly outcome: Promise<PageOutcome>;
  /** The same outcome, as a request that joined it sees it. */
  joined?: Promise<PageOutcome>;
}

/**
 * The runs layer of one host. `serve` is the only way a route gets a dashboard.
 *
 * @example
 * const runs = new PageRuns({ verifier, store, queryTimeoutMs: 30_000, failedPageTtlSeconds: 60, now: Date.now, log });
 * const outcome = await runs.serve(token, served);
 * if (outcome.kind === 'ready') send(outcome.page.bytes);
 */
export class PageRuns {
  readonly #options: PageRunsOptions;
  readonly #flights = new Map<string, Flight>();
  /** Tokens whose stale page was looked at: when to look again (Infinity: a re-run is under way here). */
  readonly #nextCheck = new Map<string, number>();
  /** Re-runs under way in the background, which close waits for. */
  readonly #background = new Set<Promise<void>>();
  readonly #counts: RunCounts = { hits: 0, misses: 0, queryRuns: 0, queries: 0, joinedRuns: 0, rejectedTokens: 0, revokedTokens: 0 };
  #closed = false;

  constructor(options: PageRunsOptions) {
    this.#options = options;
  }

  /**
   * The dashboard `served` for `token`: ready from the cache, pending (a run under way here or
   * elsewhere), or refused. Never rejects.
   *
   * @example
   * const outcome = await runs.serve(token, served);
   */
  async serve(token: string, served: ServedDashboard): Promise<PageOutcome> {
    const dashboard = served.definition.id;
    const known = this.#known(token, served);
    if (known) return known;
    const admitted = await this.admit(token, dashboard);
    if (admitted.kind === 'refused') return admitted;
    const { claims } = admitted;
    // Another request for this token may have started (or even finished) while this one verified.
    const meanwhile = this.#known(token, served);
    if (meanwhile) return meanwhile;
    if (this.#closed) return { kind: 'refused', code: 'host_closed' };
    this.#counts.misses++;
    const flight: Flight = { claims, outcome: this.#fly(token, served, claims) };
    this.#flights.set(token, flight);
    void flight.outcome.then((outcome) => {
      const landed = () => {
        if (this.#flights.get(token) === flight) this.#flights.delete(token);
      };
      if (outcome.kind === 'pending') outcome.page.then(landed, landed);
      else landed();
    });
    return flight.outcome;
  }

  /**
   * Verifies `token` for `dashboard` exactly as a new page request is: the verifier's checks, then
   * the revocation cut-offs (read once, bounded, before the first token). For routes that answer
   * from a token without its page (downloads), so no route can skip a rule. Never rejects.
   *
   * @example
   * const admitted = await runs.admit(token, 38727);
   * if (admitted.kind === 'refused') return dataError(admitted.code, admitted.detail);
   */
  async admit(token: string, dashboard: number): Promise<{ readonly kind: 'admitted'; readonly claims: EmbedClaims } | Extract<PageOutcome, { kind: 'refused' }>> {
    let claims: EmbedClaims;
    try {
      claims = await this.#options.verifier.verify(token, dashboard);
    } catch (error) {
      this.#counts.rejectedTokens++;
      if (error instanceof EmbedError && error.code === 'token_key_unknown') {
        // The verifier's message lists every key id the host holds: the operator's to read, not a viewer's.
        this.#options.log({ level: 'warn', event: 'token_key_unknown', message: 'a token named a key id this host does not hold', dashboard, detail: error.message });
        return { kind: 'refused', code: error.code, detail: KEY_UNKNOWN_DETAIL };
      }
      if (error instanceof EmbedError && error.code.startsWith('token_')) return { kind: 'refused', code: error.code, detail: error.message };
      this.#options.log({ level: 'error', event: 'verify_failed', message: 'verifying a token failed unexpectedly', dashboard, detail: errorDetail(error) });
      return { kind: 'refused', code: 'internal_error' };
    }
    if (this.#options.revocationsReady) await this.#options.revocationsReady;
    return this.#revoked(claims) ?? { kind: 'admitted', claims };
  }

  /** A snapshot of the counters. */
  counts(): RunCounts {
    return { ...this.#counts };
  }

  /** Refuses new flights and waits for those under way to land. */
  async close(): Promise<void> {
    this.#closed = true;
    const landing = [...this.#flights.values()].map(async (flight) => {
      const outcome = await flight.outcome;
      if (outcome.kind === 'pending') await outcome.page.catch(() => undefined);
    });
    await Promise.all([...landing, ...this.#background]);
    this.#nextCheck.clear();
  }

  /**
   * `token`'s page with data no older than a few seconds: as {@link serve}, then (for a page that
   * was cached) a fresh run of its queries, at most one per token per {@link REFRESH_WINDOW_MS}
   * across the instances; an ask within that window gets the newest page there is. What the
   * data route answers to `?refresh`. Never rejects.
   *
   * @example
   * const outcome = await runs.refresh(token, served); // the page, run again unless it was a moment ago
   */
  async refresh(token: string, served: ServedDashboard): Promise<PageOutcome> {
    const outcome = await this.serve(token, served);
    // A refusal, or a page being made right now: nothing fresher to ask for.
    if (outcome.kind !== 'ready') return outcome;
    const fresh = await this.#rerun(token, outcome.page, served, 'ask', REFRESH_WINDOW_MS);
    const newest = fresh ?? this.#options.store.peek(token) ?? outcome.page;
    return newest.dashboard === served.definition.id ? { kind: 'ready', page: newest, via: outcome.via } : outcome;
  }

  /** A cached page (1) or a flight to join (2) for this token and dashboard, if there is one; refused if revoked since. */
  #known(token: string, served: ServedDashboard): PageOutcome | Promise<PageOutcome> | undefined {
    const dashboard = served.definition.id;
    const cached = this.#options.store.peek(token);
    if (cached && cached.dashboard === dashboard) {
      const revoked = this.#revoked(cached.claims);
      if (revoked) return revoked;
      this.#counts.hits++;
      this.#renewIfStale(token, cached, served);
      return { kind: 'ready', page: cached, via: 'hit' };
    }
    const flight = this.#flights.get(token);
    if (flight && flight.claims.dashboard === dashboard) {
      const revoked = this.#revoked(flight.claims);
      if (revoked) return revoked;
      this.#counts.misses++;
      this.#counts.joinedRuns++;
      return (flight.joined ??= flight.outcome.then((outcome) => (outcome.kind === 'pending' ? { ...outcome, via: 'joined' } : outcome)));
    }
    return undefined;
  }

  /**
   * The refusal of claims issued before their cut-off (counted), or of every claim while the
   * cut-offs cannot be read and the host is set to refuse then; undefined when they pass.
   */
  #revoked(claims: EmbedClaims): Extract<PageOutcome, { kind: 'refused' }> | undefined {
    if (this.#options.revocations.refusing()) return { ...REVOCATION_UNAVAILABLE, claims };
    const cutOff = this.#options.revocations.revokedBy(claims);
    if (cutOff === undefined) return undefined;
    this.#counts.rejectedTokens++;
    this.#counts.revokedTokens++;
    return { kind: 'refused', code: 'token_revoked', detail: revokedDetail(claims, cutOff), claims };
  }

  /**
   * A page past its max age is served as it is, and its queries run again in the background,
   * once across the instances (the store's `age` claim), unless a run is under way here or this
   * instance looked less than {@link RECHECK_MS} ago.
   */
  #renewIfStale(token: string, page: RenderedPage, served: ServedDashboard): void {
    const maxAgeMs = served.maxAgeMs;
    if (maxAgeMs === undefined || this.#closed) return;
    const now = this.#options.now();
    if (now - page.dataTime < maxAgeMs || now < (this.#nextCheck.get(token) ?? 0)) return;
    this.#nextCheck.set(token, Infinity);
    const renewal = this.#rerun(token, page, served, 'age', maxAgeMs).then((fresh) => {
      if (fresh) this.#nextCheck.delete(token);
      else this.#nextCheck.set(token, this.#options.now() + RECHECK_MS);
    });
    this.#background.add(renewal);
    void renewal.finally(() => this.#background.delete(renewal));
  }

  /**
   * Runs `page`'s queries again if this instance wins the store's claim for `reason` (a page
   * another instance has renewed meanwhile is taken instead, for `age`), through the data
   * source's queue (a full queue: not now). Resolves to the newer page, or undefined when there is
   * none from here. Never rejects.
   */
  async #rerun(token: string, page: RenderedPage, served: ServedDashboard, reason: RerunReason, windowMs: number): Promise<RenderedPage | undefined> {
    const { store, now } = this.#options;
    const shared = await store.lookup(token);
    if (reason === 'age' && shared && shared.dashboard === page.dashboard && now() - shared.dataTime < windowMs) return shared;
    if (this.#closed || !(await store.claimRerun(token, reason, windowMs))) return undefined;
    const ticket = served.queue.reserve();
    if (!ticket) return undefined;
    try {
      const fresh = await ticket.run(() => this.#run(served, page.claims));
      await store.replace(token, fresh);
      return fresh;
    } catch {
      // Logged by #run; the cached page serves on.
      return undefined;
    }
  }

  /** A new flight (3): the shared store's page, or the page of a run claimed here or elsewhere. */
  async #fly(token: string, served: ServedDashboard, claims: EmbedClaims): Promise<PageOutcome> {
    const { store } = this.#options;
    const shared = await store.lookup(token);
    if (shared && shared.dashboard === served.definition.id) return { kind: 'ready', page: shared, via: 'shared' };
    // A place in the queue is taken now, while a refusal can still be a 503 rather than a page
    // that has already begun; then the run is claimed, and only a run this instance won waits for
    // its turn (at most the queue's maxWaitMs): a token another instance runs needs none here.
    const ticket = served.queue.reserve();
    if (!ticket) return QUEUE_FULL;
    let claim: RunClaim;
    try {
      claim = await this.#options.store.claim(token);
    } catch (error) {
      ticket.cancel();
      throw error;
    }
    if (claim.won && !(await ticket.turn())) {
      // Given up: the instances waiting for this run claim it again.
      await claim.release(undefined);
      return QUEUE_WAIT_EXCEEDED;
    }
    return { kind: 'pending', page: this.#obtain(token, served, claims, ticket, claim), via: 'run', claims };
  }

  /** Runs the queries when this instance wins the claim; else waits for the winner's page, and claims again if it lapses. */
  async #obtain(token: string, served: ServedDashboard, claims: EmbedClaims, first: QueueTicket, firstClaim: RunClaim): Promise<RenderedPage> {
    let ticket: QueueTicket | undefined = first;
    let claimed: RunClaim | undefined = firstClaim;
    try {
      for (;;) {
        const claim = claimed ?? (this.#closed ? undefined : await this.#options.store.claim(token));
        claimed = undefined;
        if (!claim) throw new Error('the host is closing');
        if (claim.won) {
          // Taking over a run another instance left: its viewers already wait, so no refusal.
          const place: QueueTicket = ticket ?? served.queue.reserve(true)!;
          ticket = undefined;
          let page: RenderedPage | undefined;
          try {
            page = await place.run(() => this.#run(served, claims));
            return page;
          } finally {
            await claim.release(this.#closed ? undefined : page);
          }
        }
        // Another instance runs it: this one needs no place in the queue while it waits.
        ticket?.cancel();
        ticket = undefined;
        const page = await claim.wait();
        if (page && page.dashboard === served.definition.id) return page;
      }
    } finally {
      ticket?.cancel();
    }
  }

  /** Runs a dashboard's queries for the token's env and renders its page. */
  async #run(served: ServedDashboard, claims: EmbedClaims): Promise<RenderedPage> {
    const { definition } = served;
    const { now, log } = this.#options;
    this.#counts.queryRuns++;
    const started = performance.now();
    // What max age counts from: when the queries started (rows written during the run may be in it or not).
    const dataTime = now();
    try {
      const result = await runDashboard(definition, claims.env, served.database, { timeoutMs: this.#options.queryTimeoutMs, log });
      this.#counts.queries += result.queries;
      this.#options.onRun?.(definition.id, (performance.now() - started) / 1000, result.failed);
      const exp = claims.exp * 1000;
      // A page with a failed query may owe it to a passing outage: keep it only briefly.
      const expiresAt = result.failed ? Math.min(exp, now() + this.#options.failedPageTtlSeconds * 1000) : exp;
      return RenderedPage.create(served.head, { claims, expiresAt, dataTime, ...(await renderDashboardParts(definition, result)) });
    } catch (error) {
      this.#options.onRun?.(definition.id, (performance.now() - started) / 1000, true);
      log({ level: 'error', event: 'page_failed', message: 'rendering a dashboard failed', dashboard: definition.id, detail: errorDetail(error) });
      throw error;
    }
  }
}

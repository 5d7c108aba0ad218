/**
 * The token lifecycle of one `<chartio-embed>`, as a Lit reactive controller in the manner of
 * `@lit/task`: an explicit {@link TokenStatus}, a run id so that only the newest run's answer gets
 * through, and an abort for the run a newer one replaces. It owns everything about having a token
 * in time: batching (one request for all the changes of one task), the request timeout, retry
 * backoff, the offline wait, renewal on return to the tab and proactive refresh. The element keeps
 * attributes → job and the overlay; the frames are the frame controller's (frame-controller.ts).
 *
 *     idle ─request()→ requesting ─answer→ ready ─(expiry, filters, refresh(), a host's refusal)→ requesting
 *                          │  └─network/timeout/5xx→ retrying ─(1 s, 2 s, 4 s)→ requesting
 *                          ├─network while offline→ offline ─(online)→ requesting
 *                          └─4xx, retries used up, bad answer, bad inputs→ failed
 * @module
 */
import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';
import type { Env } from '../protocol/env.js';
import { clock } from './clock.js';
import type { ChartioErrorDetail } from './events.js';
import { getToken, type CachedToken } from './token-cache.js';
import { requestToken, TokenError, type FetchToken } from './token-request.js';

/**
 * The element as the controller sees it: a controller host with the settings of a token request,
 * under the element's own property names. A type of its own, so that this module and the
 * element's do not import each other.
 */
export interface TokenHost extends ReactiveControllerHost {
  readonly fetchToken: FetchToken | undefined;
  readonly credentials: string | undefined;
  readonly refreshMode: string | undefined;
  readonly timeout: number | undefined;
}

/** Where the token lifecycle stands. */
export type TokenStatus = 'idle' | 'requesting' | 'retrying' | 'offline' | 'ready' | 'failed';

/** What to ask a token for, from the element's checked inputs. */
export interface TokenJob {
  dashboard: number;
  /** The token endpoint's absolute URL ('' with `fetchToken`). */
  endpoint: string;
  /** The base URL of the dashboard page ('' to use the answer's `url`). */
  base: string;
  filters: Env;
  /** The token cache's key: endpoint, credentials, dashboard and canonical filters. */
  key: string;
}

/** Retries after a network error, a timeout or a 5xx (of the token request or the frame): 1 s, 2 s, 4 s apart. */
const RETRIES = 3;

/**
 * Keeps a token for the host's current job. The host reads {@link TokenController.status} when it
 * renders; the controller asks it to update whenever the status changes.
 *
 * @example
 * #tokens = new TokenController(this, () => this.#job, (token, force) => this.#show(token, force), (error) => this.#fail(error));
 * // attributes changed:
 * this.#tokens.request();
 */
export class TokenController implements ReactiveController {
  /** Where the lifecycle stands; `requesting` from the first change of a task until an answer. */
  status: TokenStatus = 'idle';
  readonly #host: TokenHost;
  readonly #job: () => TokenJob | ChartioErrorDetail | undefined;
  readonly #ready: (token: CachedToken, force: boolean, renewal: string | undefined) => void;
  readonly #failed: (error: ChartioErrorDetail) => void;
  /** Bumped by every start and cancel: the answer of an older run is dropped. */
  #run = 0;
  #abort?: AbortController;
  /** The batch, retry, request-timeout or proactive-refresh timer: at most one at a time. */
  #timer?: unknown;
  #retries = 0;
  /** The job whose retries are counted: new filters start with all of them. */
  #key?: string;
  /** Monotonic time (see {@link clock}) until which the token in hand may be used. */
  #until = 0;
  /** Set by `request(true)` until the run starts: show the answer even when it is the token on show. */
  #force = false;
  /** Set by `request(…, code)` until a token comes: ask for a fresh one, because a host refused the last with `code`. */
  #renewal?: string | undefined;

  /**
   * `job` is read when a batched request starts (the latest inputs win): a job, a config error to
   * report, or `undefined` when there is nothing to ask for (lazy, disconnected). `ready` gets
   * each token; `failed` each failure that retrying did not (or cannot) fix.
   */
  constructor(
    host: TokenHost,
    job: () => TokenJob | ChartioErrorDetail | undefined,
    ready: (token: CachedToken, force: boolean, renewal: string | undefined) => void,
    failed: (error: ChartioErrorDetail) => void,
  ) {
    this.#host = host;
    this.#job = job;
    this.#ready = ready;
    this.#failed = failed;
    host.addController(this);
  }

  /**
   * Asks for a token for the host's current job once the current task is over, so any number of
   * changes in one task (across awaits too) make one request. Cancels the run in flight.
   * `force`: hand over the answer even when it is the token already on show (refresh, reload).
   * `renewal`: the dashboard host refused the token in hand with this code (`token_expired`, …):
   * ask for a fresh one (`fresh` in the request), past the page's cache and the signer's reuse
   * window; any later request without it asks as usual again.
   *
   * @example
   * this.#tokens.request(false, 'token_key_unknown');
   */
  request(force?: boolean, renewal?: string): void {
    this.#cancel();
    this.#force ||= !!force;
    this.#renewal = renewal;
    this.#set('requesting');
    this.#timer = clock.setTimeout(() => this.#start(), 0);
  }

  /**
   * Something retryable went wrong after the token was handed over (the dashboard host answered
   * 5xx): asks again after the next backoff, with `force`. `false` when the retries are used up.
   */
  retry(force = true): boolean {
    if (this.#retries >= RETRIES) return false;
    this.#cancel();
    this.#force = force;
    this.#set('retrying');
    this.#timer = clock.setTimeout(() => this.#start(), 1000 << this.#retries++);
    return true;
  }

  /** The token's dashboard is on show: the next failure gets all its retries again. */
  done(): void {
    this.#retries = 0;
  }

  hostConnected(): void {
    addEventListener('online', this);
    // visibilitychange bubbles to the window from the document.
    addEventListener('visibilitychange', this);
  }

  hostDisconnected(): void {
    removeEventListener('online', this);
    removeEventListener('visibilitychange', this);
    this.#cancel();
    this.#set('idle');
  }

  /** The window's `online` (back from offline) and `visibilitychange` (back to the tab after expiry). */
  handleEvent(event: Event): void {
    if (
      event.type == 'online'
        ? this.status == 'offline'
        : !document.hidden && this.status == 'ready' && this.#host.refreshMode != 'off' && this.#until <= clock.now()
    ) {
      this.#retries = 0;
      this.request();
    }
  }

  async #start(): Promise<void> {
    this.#cancel();
    const run = this.#run;
    const force = this.#force;
    this.#force = false;
    const job = this.#job();
    if (!job) return this.#set('idle');
    if (!('key' in job)) {
      this.#set('failed');
      return this.#failed(job);
    }
    if (job.key != this.#key) {
      this.#key = job.key;
      this.#retries = 0;
    }
    this.#set('requesting');
    const host = this.#host;
    const { dashboard, filters } = job;
    const fetchToken = host.fetchToken;
    const renewal = this.#renewal;
    const fresh = !!renewal;
    const abort = (this.#abort = new AbortController());
    // Per element: a slow request shared with another element times out for each on its own.
    const timer = (this.#timer = clock.setTimeout(() => abort.abort(new TokenError('Token request timed out', 'timeout')), host.timeout || 15_000));
    try {
      const token = await getToken(
        job.key,
        (signal) =>
          fetchToken
            ? fetchToken({ dashboard, filters, signal, ...(fresh && { fresh }) })
            : requestToken(job.endpoint, dashboard, filters, signal, host.credentials, fresh),
        abort.signal,
        fresh,
      );
      if (run != this.#run) return;
      clock.clearTimeout(timer);
      this.#until = token.until;
      this.#renewal = undefined;
      this.#set('ready');
      if (host.refreshMode == 'proactive' && token.until > clock.now()) {
        this.#timer = clock.setTimeout(() => this.request(), token.until - clock.now());
      }
      this.#ready(token, force, renewal);
    } catch (reason) {
      if (run != this.#run) return;
      clock.clearTimeout(timer);
      const { code, status, message } =
        reason instanceof TokenError ? reason : new TokenError(`fetchToken failed: ${(reason as Error)?.message}`, 'fetch_token');
      if (code == 'network' && !navigator.onLine) {
        // Asked again when the browser says it is back online, not on a timer.
        this.#set('offline');
        this.#failed({ phase: 'token', code: 'offline', message: 'Offline: will load when back online' });
      } else if (!((code == 'network' || code == 'timeout' || status! >= 500) && this.retry(force))) {
        this.#set('failed');
        this.#failed({ phase: 'token', status, code, message });
      }
    }
  }

  /** Cancels the run in flight (its request) and the timer. */
  #cancel(): void {
    this.#run++;
    this.#abort?.abort();
    clock.clearTimeout(this.#timer);
  }

  #set(status: TokenStatus): void {
    this.status = status;
    this.#host.requestUpdate();
  }
}

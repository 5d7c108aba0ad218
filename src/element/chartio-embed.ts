/**
 * The `<chartio-embed>` element's class, with no side effects: importing this module does not
 * register the tag (`define.js` does).
 * @module
 */
import { ReactiveElement, type PropertyDeclarations, type PropertyValues } from '@lit/reactive-element';
import { embedUrl } from '../protocol/claims.js';
import type { Env } from '../protocol/env.js';
import { MAX_FRAME_HEIGHT } from '../protocol/frame-messages.js';
import { frameHeight } from './auto-size.js';
import { clock } from './clock.js';
import { fire, type ChartioErrorDetail } from './events.js';
import { checkFilters, filtersFromAttributes } from './filter-attributes.js';
import { frameUrl, pageUrl } from './frame-url.js';
import { el } from './dom.js';
import { styles } from './styles.js';
import { dropToken, getToken } from './token-cache.js';
import { TokenError, requestToken, type FetchToken } from './token-request.js';

/** Sandbox of the dashboard frame unless the `sandbox` attribute says otherwise. */
export const DEFAULT_SANDBOX = 'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-downloads';
/** How long a dashboard frame may take to fire `load`, in ms. */
export const FRAME_TIMEOUT = 30_000;
/** Retries of a token request after a network error, a timeout or a 5xx: 1 s, 2 s, 4 s apart. */
const RETRIES = 3;
/** What the element listens to on the window (`visibilitychange` bubbles there from the document). */
const WINDOW_EVENTS = ['message', 'online', 'visibilitychange'];

/** A checked configuration (what to ask for, where to show it), or why it is refused. */
type Config = ChartioErrorDetail | { dashboard: number; endpoint: string; base: string; filters: Env; key: string };

/**
 * Shows a Chartio-style dashboard filtered by Hidden Variables: asks the page's backend for a
 * signed embed token, then loads `{base-url}/?embed_token={token}` in an iframe, swapping
 * frames without a blank flash when the filters change and reusing tokens already issued.
 *
 * Frameworks that bind properties can set `dashboard`, `tokenEndpoint`, `baseUrl`, `filters`
 * (merged over the `filter-*` attributes), `fetchToken`, `refreshMode`, `loading`, `sizing`,
 * `maxHeight`, `timeout`, `sandbox` and `allow`.
 *
 * @example
 * ```html
 * <chartio-embed dashboard="38727" token-endpoint="/embed-token"
 *                base-url="https://dashboards.example.com/d/38727"
 *                filter-user-id="1" filter-date-range='["2014-02-11","2015-02-11"]'
 *                title="Executive summary"></chartio-embed>
 * ```
 *
 * @attr dashboard - The dashboard id, a positive integer.
 * @attr token-endpoint - The URL (relative allowed) the token is `POST`ed from; optional with `fetchToken`.
 * @attr base-url - The dashboard's base URL (`https:`, or `http:` on loopback); optional when the endpoint answers with `url`.
 * @attr filter-* - A Hidden Variable: `filter-date-range` sets `DATE_RANGE`; a JSON array of strings is a list.
 * @attr refresh - `on-demand` (default): a new token on the next filter change, on return to a visible tab after expiry, or on `refresh()`; `proactive`: re-signed shortly before expiry; `off`.
 * @attr loading - `lazy`: no token is requested until the element nears the viewport.
 * @attr sizing - `fixed` (default): CSS decides the height; `auto`: the dashboard page posts its height.
 * @attr max-height - The largest height `sizing="auto"` grows to, in px (default 10000).
 * @attr timeout - How long a token request may take, in ms (default 15000).
 * @attr title - The iframe's accessible name (default "Dashboard {id}").
 * @attr sandbox - The iframe's sandbox (default {@link DEFAULT_SANDBOX}).
 * @attr allow - The iframe's permissions policy (default `fullscreen`).
 *
 * @fires {CustomEvent<ChartioTokenDetail>} chartio-token - A token is ready: `{ expiresAt, reused }`.
 * @fires {CustomEvent<null>} chartio-load - The dashboard frame loaded and is shown.
 * @fires {CustomEvent<ChartioErrorDetail>} chartio-error - `{ phase, status?, code?, message }`, phase `config`, `token` or `frame`.
 *
 * @slot loading - Shown until the first dashboard has loaded (default "Loading…").
 * @slot error - Shown on an error (default: the message and a Retry button).
 *
 * @csspart frame - The dashboard iframe.
 * @csspart loading - The loading state's box.
 * @csspart error - The error state's box (a live region).
 *
 * @cssprop [--chartio-embed-height=600px] - The element's height (with `sizing="auto"`: until the dashboard reports its own).
 */
export class ChartioEmbedElement extends ReactiveElement {
  static override styles = styles;

  static override properties: PropertyDeclarations = {
    dashboard: {},
    tokenEndpoint: { attribute: 'token-endpoint' },
    baseUrl: { attribute: 'base-url' },
    filters: { attribute: false },
    fetchToken: { attribute: false },
    refreshMode: { attribute: 'refresh' },
    loading: {},
    // Reflected: the stylesheet lets the host's height follow the content with `sizing="auto"`.
    sizing: { reflect: true },
    maxHeight: { attribute: 'max-height', type: Number },
    timeout: { type: Number },
    sandbox: {},
    allow: {},
  };

  // `declare` fields with `static properties` rather than decorators: no decorator helpers in
  // the bundle, and no class fields that would shadow Lit's accessors.
  /** The dashboard id (a positive integer; a numeric string from the attribute). */
  declare dashboard: number | string | undefined;
  /** Where the built-in request `POST`s `{"dashboard","filters"}`. */
  declare tokenEndpoint: string | undefined;
  /** The dashboard's base URL; the iframe loads `{baseUrl}/?embed_token={token}`. */
  declare baseUrl: string | undefined;
  /** Filters merged over the `filter-*` attributes: Hidden Variable name → string or list of strings. */
  declare filters: Record<string, string | readonly string[]> | undefined;
  /**
   * Replaces the built-in request: `({ dashboard, filters, signal }) => Promise<{ token, expiresAt?, url? }>`.
   * Setting it does not by itself ask for a token: the next one it is needed for comes from it.
   * Tokens are kept per (token-endpoint, dashboard, filters) whatever function fetched them.
   */
  declare fetchToken: FetchToken | undefined;
  /** `on-demand` (default), `proactive` or `off`: the `refresh` attribute. */
  declare refreshMode: 'on-demand' | 'proactive' | 'off' | undefined;
  /** `lazy` to wait until the element nears the viewport. */
  declare loading: 'lazy' | 'eager' | undefined;
  /** `fixed` (default) or `auto`. */
  declare sizing: 'fixed' | 'auto' | undefined;
  /** The largest auto height in px (default 10000). */
  declare maxHeight: number | undefined;
  /** The token request's timeout in ms (default 15000). */
  declare timeout: number | undefined;
  /** The iframe's sandbox. */
  declare sandbox: string | undefined;
  /** The iframe's permissions policy. */
  declare allow: string | undefined;

  // Internal state lives in #private fields: the minifier shortens those names.
  /** `loading` until a dashboard is shown, `error`, or `` while one is shown. */
  #state: 'loading' | 'error' | '' = 'loading';
  #error?: ChartioErrorDetail | undefined;
  /** The last height the dashboard posted (`sizing="auto"`). */
  #height?: number;
  /** The configuration in effect, and its identity (to act on real changes only). */
  #config?: Config | undefined;
  #want?: string | undefined;
  /** Bumped by every run: the answer of an older run is dropped. */
  #run = 0;
  #abort?: AbortController;
  /** The dashboard frame on show, and the next one loading hidden behind it. */
  #frame?: HTMLIFrameElement | undefined;
  #next?: HTMLIFrameElement | undefined;
  /** The retry or proactive-refresh timer, and the next frame's load timer. */
  #timer?: unknown;
  #frameTimer?: unknown;
  #retries = 0;
  /** Monotonic time (see {@link clock}) until which the shown token may be used. */
  #until?: number | undefined;
  #offline = false;
  #seen = false;
  #attributes?: MutationObserver;
  /** The shadow root's one box (frames, then the overlay), and the overlay with what it shows. */
  #box?: HTMLDivElement;
  #overlay?: HTMLDivElement | undefined;
  #shown?: ChartioErrorDetail | string;
  #lazy?: IntersectionObserver;

  override connectedCallback(): void {
    super.connectedCallback();
    // `filter-*` names are open-ended, so observedAttributes cannot list them: watch them all.
    (this.#attributes ??= new MutationObserver(() => this.requestUpdate())).observe(this, { attributes: true });
    for (const type of WINDOW_EVENTS) addEventListener(type, this.#onWindowEvent);
    // A reconnected element starts over: its frames were dropped on disconnect.
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#attributes!.disconnect();
    this.#lazy?.disconnect();
    for (const type of WINDOW_EVENTS) removeEventListener(type, this.#onWindowEvent);
    this.#stop();
    // A detached iframe loses its page anyway: drop it, so a reconnect (or a framework's
    // double mount) builds exactly one again.
    this.#frame?.remove();
    this.#frame = this.#want = this.#until = undefined;
    this.#set('loading');
  }

  /**
   * Asks the token endpoint again for the current filters, bypassing the page's cache for them,
   * and loads the dashboard with the answer, swapped in when it has loaded. A signer that reuses
   * tokens (this project's does, within its reuse window) may answer with the token on show:
   * the dashboard is reloaded all the same.
   *
   * @example
   * document.querySelector('chartio-embed').refresh();
   */
  refresh(): void {
    const config = this.#config;
    if (config && 'key' in config) dropToken(config.key);
    this.#start(true);
  }

  /**
   * Reloads the dashboard with the same token, without a blank flash.
   *
   * @example
   * document.querySelector('chartio-embed').reload();
   */
  reload(): void {
    const frame = this.#next ?? this.#frame;
    if (frame) this.#show(frame.src, true);
    else this.#start();
  }

  // Lit's ReactiveElement (properties, styles, the update cycle) without lit-html: the shadow
  // DOM is one box, the frames and at most one overlay, kept by hand in update(). That halves
  // the bundle, and nothing templated ever owns (or clears) the frames.
  protected override createRenderRoot(): HTMLElement | DocumentFragment {
    const root = super.createRenderRoot();
    root.append((this.#box = el('div', { id: 'box' })));
    return root;
  }

  // Acting in willUpdate, not updated: the states it sets render in this same update.
  protected override willUpdate(): void {
    if (!this.isConnected) return;
    const lazy = this.loading == 'lazy' && !this.#seen;
    if (lazy) {
      (this.#lazy ??= new IntersectionObserver(
        (entries) => {
          if (entries.some((entry) => entry.isIntersecting)) {
            this.#seen = true;
            this.#lazy!.disconnect();
            this.requestUpdate();
          }
        },
        { rootMargin: '200px' },
      )).observe(this);
    }
    const config = lazy ? undefined : this.#check();
    const want = JSON.stringify(config);
    if (want != this.#want) {
      this.#want = want;
      this.#config = config;
      this.#retries = 0;
      this.#start();
    }
  }

  protected override update(changed: PropertyValues): void {
    super.update(changed);
    const box = this.#box!;
    const error = this.#error;
    box.setAttribute('aria-busy', String(this.#state == 'loading'));
    // Set through the CSSOM, which a strict style-src CSP allows, unlike a style attribute.
    box.style.height = this.sizing == 'auto' && this.#height != null ? `${this.#height}px` : '';
    for (const frame of [this.#frame, this.#next]) if (frame) frame.title = this.#title();
    // The overlay: the error (a live region, with Retry unless the inputs are at fault), or
    // Loading until the first dashboard shows. Rebuilt only when what it shows changes, so a
    // focused Retry button keeps its focus across unrelated updates.
    const shown = error ?? (this.#state && !this.#frame ? 'loading' : '');
    if (shown == this.#shown) return;
    this.#shown = shown;
    this.#overlay?.remove();
    this.#overlay = undefined;
    if (!shown) return;
    const name = error ? 'error' : 'loading';
    const content = error
      ? [el('span', { textContent: error.message }), ...(error.phase == 'config' ? [] : [el('button', { textContent: 'Retry', onclick: () => this.#start() })])]
      : ['Loading…'];
    this.#overlay = box.appendChild(el('div', { part: name, ...(error && { role: 'alert' }) }, el('slot', { name }, ...content)));
  }

  /** Reads and checks the inputs; never throws. */
  #check(): Config {
    const id = String(this.dashboard);
    const refuse = (code: string, message: string): Config => ({ phase: 'config', code, message });
    // At most 15 digits: always a safe integer.
    if (!/^[1-9]\d{0,14}$/.test(id)) return refuse('invalid_dashboard', 'dashboard must be a positive integer');
    const endpoint = this.tokenEndpoint ? pageUrl(this.tokenEndpoint) : undefined;
    if (!this.fetchToken && !/^https?:/.test(endpoint?.protocol!)) return refuse('invalid_endpoint', 'token-endpoint must be an http(s) URL');
    const base = this.baseUrl ? frameUrl(this.baseUrl) : '';
    if (base == null) return refuse('invalid_base_url', 'base-url must be https: (http: on localhost only)');
    const filters = checkFilters({ ...filtersFromAttributes(this), ...this.filters });
    if (typeof filters == 'string') return refuse('invalid_filters', filters);
    // Sorted entries: the same filters in any attribute order give the same key (names are
    // unique, so the sort orders by name). Fewer bytes in the bundle than canonicalEnvKey.
    const href = endpoint?.href ?? '';
    const key = `${href} ${id} ${JSON.stringify(Object.entries(filters).sort())}`;
    return { dashboard: +id, endpoint: href, base, filters, key };
  }

  /**
   * Gets a token for the current configuration and shows it; the latest call wins. `reload`:
   * load the frame even when its URL is the one on show.
   */
  async #start(reload?: boolean): Promise<void> {
    this.#stop();
    const run = this.#run;
    const config = this.#config;
    // Nothing to do while lazy, or disconnected (a refresh() on an element not in the page).
    if (!config || !this.isConnected) return;
    if (!('key' in config)) return this.#fail(config);
    this.#set('loading');
    const { dashboard, filters } = config;
    const fetchToken = this.fetchToken;
    const abort = (this.#abort = new AbortController());
    // Per element: a slow request shared with another element times out for each on its own.
    const timer = clock.setTimeout(() => abort.abort(new TokenError('Token request timed out', 'timeout')), this.timeout || 15_000);
    try {
      const { answer, until, reused } = await getToken(
        config.key,
        (signal) =>
          fetchToken
            ? fetchToken({ dashboard, filters, signal })
            : requestToken(config.endpoint, dashboard, filters, signal),
        abort.signal,
      );
      clock.clearTimeout(timer);
      if (run != this.#run) return;
      const src = config.base ? embedUrl(config.base, answer.token) : answer.url && frameUrl(answer.url);
      if (!src) throw new TokenError('No usable url in the answer', 'bad_answer');
      this.#retries = 0;
      this.#until = until;
      fire(this, 'chartio-token', { expiresAt: answer.expiresAt, reused });
      if (this.refreshMode == 'proactive' && until > clock.now()) {
        this.#timer = clock.setTimeout(() => this.#start(), until - clock.now());
      }
      this.#show(src, reload);
    } catch (reason) {
      clock.clearTimeout(timer);
      if (run != this.#run) return;
      const { code, status, message } =
        reason instanceof TokenError ? reason : new TokenError(`fetchToken failed: ${(reason as Error)?.message}`, 'fetch_token');
      if (code == 'network' && !navigator.onLine) {
        // Retried when the browser says it is back online, not on a timer.
        this.#offline = true;
        this.#fail({ phase: 'token', code: 'offline', message: 'Offline: will load when back online' });
      } else if ((code == 'network' || code == 'timeout' || status! >= 500) && this.#retries < RETRIES) {
        this.#timer = clock.setTimeout(() => this.#start(reload), 1000 << this.#retries++);
      } else {
        this.#fail({ phase: 'token', status, code, message });
      }
    }
  }

  /** Loads `src` in a hidden frame behind the shown one, and swaps them on its `load`. */
  #show(src: string, force?: boolean): void {
    this.#drop();
    // The frame on show has it already (filters reverted before the next one loaded, or after an
    // error): nothing to load, but it is shown, so say so, as an app may wait for chartio-load.
    if (!force && this.#frame?.src == src) return this.#loaded();
    this.#set('loading');
    const frame: HTMLIFrameElement = (this.#next = el('iframe', {
      className: 'next',
      part: 'frame',
      title: this.#title(),
      sandbox: this.sandbox ?? DEFAULT_SANDBOX,
      allow: this.allow ?? 'fullscreen',
      // Always: the token is in the URL, and must not leak through the Referer header.
      referrerPolicy: 'no-referrer',
      src,
      onload: () => {
        if (this.#next != frame) return;
        this.#drop(false);
        this.#frame?.remove();
        this.#frame = frame;
        frame.className = '';
        this.#loaded();
      },
    }));
    this.#frameTimer = clock.setTimeout(() => {
      this.#drop();
      this.#fail({ phase: 'frame', code: 'frame_timeout', message: 'The dashboard did not load in time' });
    }, FRAME_TIMEOUT);
    // Before the overlay, which stacks above the frames.
    this.#box!.prepend(frame);
  }

  #loaded(): void {
    this.#set('');
    fire(this, 'chartio-load', null);
  }

  #set(state: 'loading' | 'error' | '', error?: ChartioErrorDetail): void {
    this.#state = state;
    this.#error = error;
    this.requestUpdate();
  }

  #fail(error: ChartioErrorDetail): void {
    this.#set('error', error);
    fire(this, 'chartio-error', error);
  }

  /** Cancels the run in flight: its request, its timers and the frame it was loading. */
  #stop(): void {
    this.#run++;
    this.#abort?.abort();
    clock.clearTimeout(this.#timer);
    this.#offline = false;
    this.#drop();
  }

  /** Forgets the frame loading behind the shown one (and removes it, unless it is being shown). */
  #drop(remove = true): void {
    clock.clearTimeout(this.#frameTimer);
    if (remove) this.#next?.remove();
    this.#next = undefined;
  }

  #title(): string {
    return this.title || `Dashboard ${this.dashboard}`;
  }

  /** One listener for the window's events: fewer bytes than one per type. */
  #onWindowEvent = (event: Event): void => {
    if (event.type == 'message') {
      const height = this.sizing == 'auto' && frameHeight(event as MessageEvent, this.#next ?? this.#frame, this.maxHeight || MAX_FRAME_HEIGHT);
      if (height !== undefined && height !== false) {
        this.#height = height;
        this.requestUpdate();
      }
    } else if (
      event.type == 'online'
        ? this.#offline
        : // visibilitychange: on return to the tab, a dashboard whose token expired meanwhile gets a new one.
          !document.hidden && this.refreshMode != 'off' && !this.#state && this.#until! <= clock.now()
    ) {
      this.#retries = 0;
      this.#start();
    }
  };
}

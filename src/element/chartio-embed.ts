/**
 * The `<chartio-embed>` element's class, with no side effects: importing this module does not
 * register the tag (`define.js` does).
 * @module
 */
import { ReactiveElement, type PropertyDeclarations, type PropertyValues } from '@lit/reactive-element';
import { embedUrl } from '../protocol/claims.js';
import { PRINT_MESSAGE_TYPE, THEMES } from '../protocol/frame-messages.js';
import { AutoRefresh } from './auto-refresh.js';
import { clock } from './clock.js';
import { fire, type ChartioErrorDetail } from './events.js';
import { checkFilters, filtersFromAttributes } from './filter-attributes.js';
import { FrameController } from './frame-controller.js';
import { frameUrl, pageUrl } from './frame-url.js';
import { el } from './dom.js';
import { styles } from './styles.js';
import { dropToken, type CachedToken } from './token-cache.js';
import { TokenController, type TokenJob } from './token-controller.js';
import type { FetchToken } from './token-request.js';

export { DEFAULT_SANDBOX, FRAME_TIMEOUT } from './frame-controller.js';
/**
 * The host's refusals of a token that a token issued now may fix, so the element asks for one
 * (`fresh`) by itself, at most once per filter set per {@link RENEWAL_INTERVAL}: the host's clock
 * ran past `exp`, the signing key was dropped in a rotation, a lifetime rule, a revocation cut-off.
 */
const RENEWABLE = ['token_expired', 'token_key_unknown', 'token_lifetime', 'token_revoked'];
/** At most one automatic renewal per filter set in this many ms: a host that refuses every token does not loop. */
const RENEWAL_INTERVAL = 60_000;

/** What the viewer reads in the default error slot; the detail goes to the event and the console. */
const OFFLINE = 'You’re offline: it will load when you’re back online.';
const UNAVAILABLE = 'This dashboard can’t be shown right now.';
const REFUSED = 'This dashboard can’t be shown.';

/** The element's inputs once checked: what to ask a token for, or why they are refused. */
type Checked = { job: TokenJob; refusal?: undefined } | { job?: undefined; refusal: ChartioErrorDetail };

/**
 * Shows a Chartio-style dashboard filtered by Hidden Variables: asks the page's backend for a
 * signed embed token, then loads `{base-url}/?embed_token={token}` in an iframe. When the filters
 * change, a page that speaks the frame protocol (docs/frame-protocol.md) shows the new token's
 * dashboard in place; any other is swapped for a new frame without a blank flash. Tokens already
 * issued are reused.
 *
 * Frameworks that bind properties can set `dashboard`, `tokenEndpoint`, `baseUrl`, `filters`
 * (merged over the `filter-*` attributes), `fetchToken`, `credentials`, `refreshMode`, `loading`,
 * `sizing`, `maxHeight`, `timeout`, `frameTimeout`, `sandbox`, `allow`, `theme` and `locale`.
 *
 * The look (`theme`, `locale`, `--chartio-accent`, `--chartio-font`) is not part of the token: a
 * change is posted to the page on show (`chartio:appearance`), with no token request and no query
 * run, and a new frame gets it in its URL's fragment, so it paints in that look from the start.
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
 * @attr credentials - `same-origin` (default): the built-in request sends cookies to an endpoint on the page's origin only; `include`: to an endpoint on another origin too (it must allow that with CORS).
 * @attr timeout - How long a token request may take, in ms (default 15000).
 * @attr frame-timeout - How long the dashboard page may take to say it is ready, in ms (default 15000); then `frame_timeout`. A page that loads but says nothing within 2 s of its `load` event is `frame_refused` sooner.
 * @attr title - The iframe's accessible name (default "Dashboard {id}").
 * @attr sandbox - The iframe's sandbox (default {@link DEFAULT_SANDBOX}).
 * @attr allow - The iframe's permissions policy (default `fullscreen`).
 * @attr theme - `light` (default), `dark`, or `auto` (follows the viewer's `prefers-color-scheme`): the dashboard's colours, changed in place.
 * @attr auto-refresh - Seconds between two `refresh()` calls (at least 30; less is raised to 30 with a console warning), paused while the tab is hidden; unset: none.
 * @attr locale - A BCP 47 language tag (`de-DE`) for the dashboard's numbers and dates (default: the host's, en-US), changed in place.
 *
 * @fires {CustomEvent<ChartioTokenDetail>} chartio-token - A token is ready: `{ expiresAt, reused, renewal? }` (`renewal`: the host's code when the element asked for a fresh token by itself after the host refused its token).
 * @fires {CustomEvent<ChartioLoadDetail>} chartio-load - The dashboard page said it is rendered for the current token: `{ dashboard, reused, inPlace, dataTime? }` (`dataTime`: when its data was read, ISO 8601; fired again when the page swaps in newer data by itself).
 * @fires {CustomEvent<ChartioErrorDetail>} chartio-error - `{ phase, status?, code?, message }`, phase `config`, `token` or `frame`.
 * @fires {CustomEvent<ChartioClickDetail>} chartio-click - The viewer clicked (or activated) a bar, a point, a table row or a number: `{ chart, title, label, series, value, row }`.
 *
 * @slot loading - Shown until the first dashboard has loaded (default "Loading…").
 * @slot error - Shown on an error (default: a sentence for the viewer, and a Retry button when retrying can help).
 *
 * @csspart frame - The dashboard iframe.
 * @csspart loading - The loading state's box.
 * @csspart error - The error state's box (a live region).
 *
 * @cssprop [--chartio-embed-height=600px] - The element's height (with `sizing="auto"`: until the dashboard reports its own).
 * @cssprop --chartio-accent - A CSS colour for the dashboard's first chart series and focus ring (default: the theme's), read on the element.
 * @cssprop --chartio-font - A CSS `font-family` for the dashboard's text and charts (default: the system's), read on the element.
 */
export class ChartioEmbedElement extends ReactiveElement {
  static override styles = styles;

  static override properties: PropertyDeclarations = {
    dashboard: {},
    tokenEndpoint: { attribute: 'token-endpoint' },
    baseUrl: { attribute: 'base-url' },
    filters: { attribute: false },
    fetchToken: { attribute: false },
    credentials: {},
    refreshMode: { attribute: 'refresh' },
    loading: {},
    // Reflected: the stylesheet lets the host's height follow the content with `sizing="auto"`.
    sizing: { reflect: true },
    maxHeight: { attribute: 'max-height', type: Number },
    timeout: { type: Number },
    frameTimeout: { attribute: 'frame-timeout', type: Number },
    sandbox: {},
    allow: {},
    // Reflected: the element's own Loading and error boxes take the theme's colour scheme.
    theme: { reflect: true },
    locale: {},
    autoRefresh: { attribute: 'auto-refresh' },
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
  /** `same-origin` (default) or `include`: the built-in request's credentials mode (cookies to another origin's endpoint). */
  declare credentials: 'same-origin' | 'include' | undefined;
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
  /** How long the dashboard page may take to say it is ready, in ms (default 15000). */
  declare frameTimeout: number | undefined;
  /** The iframe's sandbox. */
  declare sandbox: string | undefined;
  /** The iframe's permissions policy. */
  declare allow: string | undefined;
  /** `light` (default), `dark` or `auto`: the dashboard's theme, applied in place. */
  declare theme: 'light' | 'dark' | 'auto' | undefined;
  /** A BCP 47 language tag for the dashboard's numbers and dates (default: the host's, en-US), applied in place. */
  declare locale: string | undefined;
  /** Seconds between two `refresh()` calls while the tab is visible (at least 30); unset: none. */
  declare autoRefresh: number | string | undefined;

  // Internal state lives in #private fields: the minifier shortens those names.
  /** The token lifecycle: requests, retries, offline, renewal. */
  #tokens = new TokenController(
    this,
    // Nothing to ask for while disconnected (a refresh() on an element not in the page).
    () => (this.isConnected ? (this.#checked?.job ?? this.#checked?.refusal) : undefined),
    (token, force, renewal) => this.#show(token, force, renewal),
    (error) => this.#fail(error),
  );
  /** The shadow root's one box: the frames, then the overlay (made with the render root: constructing the class in Node touches no DOM). */
  #box?: HTMLDivElement;
  /** The frame lifecycle: the frames, the page awaited, in place, heights and the page's messages. */
  #frames = new FrameController(this, () => this.#box!, {
    loaded: (detail) => {
      this.#tokens.done();
      this.#error = undefined;
      this.requestUpdate();
      fire(this, 'chartio-load', detail);
    },
    failed: (error) => this.#fail(error),
    refused: (code, status, retryable) => {
      if (RENEWABLE.includes(code) && this.#renew(code)) return;
      if (!(retryable && this.#tokens.retry())) this.#fail({ phase: 'frame', code, status, message: `The dashboard host answered ${status} ${code}` });
    },
    clicked: (detail) => fire(this, 'chartio-click', detail),
    title: () => this.#title(),
    look: () => this.#look(),
  });
  /** The next token shown is for refresh(): in place with fresh data, when the page on show can. */
  #fresh = false;
  /** The `auto-refresh` timer (auto-refresh.ts). */
  #auto = new AutoRefresh(() => this.refresh());
  /** The error the overlay shows (the token's or the frame's), if any. */
  #error?: ChartioErrorDetail | undefined;
  /** The checked inputs: what to ask a token for, or why they are refused. */
  #checked?: Checked | undefined;
  /** The inputs' identity, to act on real changes only. */
  #want?: string | undefined;
  /** When each filter set (token cache key) was last renewed by itself after a host's refusal. */
  #renewed = new Map<string, number>();
  #seen = false;
  #attributes?: MutationObserver;
  /** The overlay, and what it shows. */
  #overlay?: HTMLDivElement | undefined;
  #overlaid?: ChartioErrorDetail | string;
  #lazy?: IntersectionObserver;

  override connectedCallback(): void {
    super.connectedCallback();
    // `filter-*` names are open-ended, so observedAttributes cannot list them: watch them all.
    (this.#attributes ??= new MutationObserver(() => this.requestUpdate())).observe(this, { attributes: true });
    this.#auto.connect();
    // A reconnected element starts over: its frames were dropped on disconnect.
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#attributes!.disconnect();
    this.#lazy?.disconnect();
    this.#auto.disconnect();
    // (The frame controller has dropped the frames.)
    this.#want = this.#error = undefined;
  }

  /**
   * Shows data no older than a few seconds. Asks the token endpoint again for the current
   * filters, bypassing the page's cache for them; then a page on show that updates in place is
   * given the answer with `fresh` (`chartio:token`: the host runs the token's queries anew, at
   * most once per token per 10 s, else answers with its newest data), so even the token on show
   * (a signer that reuses tokens answers with it) shows fresh data. Otherwise the answer loads in
   * a new frame, swapped in when it is ready.
   *
   * @example
   * document.querySelector('chartio-embed').refresh();
   */
  refresh(): void {
    const job = this.#checked?.job;
    if (job) dropToken(job.key);
    this.#fresh = true;
    this.#tokens.request(true);
  }

  /**
   * Shows the element, and so its dashboard, full screen (the Fullscreen API: call it from a
   * click or a key press). Resolves once it is; `document.exitFullscreen()` or Escape ends it.
   *
   * @example
   * button.addEventListener('click', () => document.querySelector('chartio-embed').fullscreen());
   */
  fullscreen(): Promise<void> {
    return this.requestFullscreen();
  }

  /**
   * Prints the dashboard on show: asks its page (`chartio:print`, docs/frame-protocol.md) to
   * open the browser's print dialog for the frame alone, with the page's print stylesheet (each
   * chart kept on one page, light colours in any theme, no buttons); the dialog's "Save as PDF"
   * gives a PDF. `false` when no dashboard is on show yet (nothing is printed then). The frame's
   * sandbox must have `allow-modals` (the default has).
   *
   * @example
   * button.addEventListener('click', () => document.querySelector('chartio-embed').print());
   */
  print(): boolean {
    return this.#frames.post(PRINT_MESSAGE_TYPE, {});
  }

  /**
   * Reloads the dashboard with the same token in a new frame, without a blank flash.
   *
   * @example
   * document.querySelector('chartio-embed').reload();
   */
  reload(): void {
    if (!this.#frames.reload()) this.#tokens.request(true);
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
    this.#auto.set(this.autoRefresh);
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
      this.#checked = config;
      this.#tokens.request();
    }
    // A new request (new inputs, Retry, back online) clears the error it will replace.
    const status = this.#tokens.status;
    if (status == 'requesting' || status == 'retrying') this.#error = undefined;
  }

  protected override update(changed: PropertyValues): void {
    super.update(changed);
    const box = this.#box!;
    const error = this.#error;
    const frames = this.#frames;
    const status = this.#tokens.status;
    box.setAttribute('aria-busy', String(!error && (frames.busy || status == 'requesting' || status == 'retrying')));
    // Set through the CSSOM, which a strict style-src CSP allows, unlike a style attribute. An
    // error shows in the CSS height, not in the middle of the dashboard's auto height (which may
    // be far taller than the screen); the dashboard's height comes back with the dashboard.
    box.style.height = this.sizing == 'auto' && frames.height != null && !error ? `${frames.height}px` : '';
    frames.retitle(this.#title());
    // The look changed while a page is on show: the frame controller tells it, in place.
    frames.appear();
    // The overlay: the error (a live region, with Retry when retrying can help), or Loading until
    // the first dashboard shows. Rebuilt only when what it shows changes, so a focused Retry
    // button keeps its focus across unrelated updates.
    const shown = error ?? (frames.hasFrame ? '' : 'loading');
    if (shown == this.#overlaid) return;
    this.#overlaid = shown;
    this.#overlay?.remove();
    this.#overlay = undefined;
    if (!shown) return;
    const name = error ? 'error' : 'loading';
    let content: (Node | string)[] = ['Loading…'];
    if (error) {
      // Inputs at fault, a refusal (4xx, a page that refuses to be framed here) or offline (it
      // loads by itself): retrying cannot help.
      const offline = error.code == 'offline';
      const retry = !offline && canRetry(error);
      content = [el('span', { textContent: offline ? OFFLINE : retry ? UNAVAILABLE : REFUSED })];
      if (retry) content.push(el('button', { textContent: 'Retry', onclick: () => this.#tokens.request(true) }));
    }
    this.#overlay = box.appendChild(el('div', { part: name, ...(error && { role: 'alert' }) }, el('slot', { name }, ...content)));
  }

  /** Reads and checks the inputs; never throws. */
  #check(): Checked {
    const id = String(this.dashboard);
    const refuse = (code: string, message: string): Checked => ({ refusal: { phase: 'config', code, message } });
    // At most 15 digits: always a safe integer.
    if (!/^[1-9]\d{0,14}$/.test(id)) return refuse('invalid_dashboard', 'dashboard must be a positive integer');
    const endpoint = this.tokenEndpoint ? pageUrl(this.tokenEndpoint) : undefined;
    if (!this.fetchToken && !/^https?:/.test(endpoint?.protocol!)) return refuse('invalid_endpoint', 'token-endpoint must be an http(s) URL');
    const base = this.baseUrl ? frameUrl(this.baseUrl) : '';
    if (base == null) return refuse('invalid_base_url', 'base-url must be https: (http: on localhost only)');
    const filters = checkFilters({ ...filtersFromAttributes(this), ...this.filters });
    if (typeof filters == 'string') return refuse('invalid_filters', filters);
    // The look is not part of the config (a change must not ask for a token): only checked here.
    if (this.theme && !THEMES.includes(this.theme)) return refuse('invalid_theme', 'theme must be light, dark or auto');
    try {
      Intl.getCanonicalLocales(this.locale || []);
    } catch {
      return refuse('invalid_locale', 'locale must be a BCP 47 language tag, like de-DE');
    }
    // Sorted entries: the same filters in any attribute order give the same key (names are
    // unique, so the sort orders by name). Fewer bytes in the bundle than canonicalEnvKey. The
    // credentials mode is part of it: another mode may mean another session, so another token.
    const href = endpoint?.href ?? '';
    const key = `${href} ${this.credentials} ${id} ${JSON.stringify(Object.entries(filters).sort())}`;
    return { job: { dashboard: +id, endpoint: href, base, filters, key } };
  }

  /**
   * Shows a token's dashboard (the frame controller decides how: nothing to load, in place, or a
   * new frame). `force` (refresh, reload, a retry): always a new frame.
   */
  #show({ answer, reused }: CachedToken, force: boolean, renewal?: string): void {
    const job = this.#checked?.job;
    if (!job) return;
    const { token } = answer;
    const src = job.base ? embedUrl(job.base, token) : answer.url && frameUrl(answer.url);
    if (!src) return this.#fail({ phase: 'token', code: 'bad_answer', message: 'No usable url in the answer' });
    fire(this, 'chartio-token', { expiresAt: answer.expiresAt, reused, ...(renewal && { renewal }) });
    const fresh = this.#fresh;
    this.#fresh = false;
    this.#frames.show(src, token, reused, force, job.dashboard, fresh);
  }

  #fail(error: ChartioErrorDetail): void {
    this.#fresh = false;
    this.#error = error;
    this.requestUpdate();
    console.warn(`<chartio-embed> ${error.phase} error ${error.code}${error.status ? ` (HTTP ${error.status})` : ''}: ${error.message}`);
    fire(this, 'chartio-error', error);
  }

  /**
   * The host refused the token of the current filters with `code`, which a token issued now may
   * fix: forgets that token and asks for a fresh one, unless these filters were renewed so less
   * than a minute ago. `false` then: the refusal is the error to report.
   */
  #renew(code: string): boolean {
    const key = this.#checked?.job?.key;
    if (!key) return false;
    const now = clock.now();
    // The refused token is never reused, renewed or not.
    dropToken(key);
    const last = this.#renewed.get(key);
    if (last !== undefined && now - last < RENEWAL_INTERVAL) return false;
    // Only entries still in their minute are kept: the map stays small.
    for (const [other, at] of this.#renewed) if (now - at >= RENEWAL_INTERVAL) this.#renewed.delete(other);
    this.#renewed.set(key, now);
    this.#tokens.request(false, code);
    return true;
  }

  #title(): string {
    return this.title || `Dashboard ${this.dashboard}`;
  }

  /** The look as URL parameters: `theme=dark&locale=de-DE&accent=…&font=…`, each only when set. */
  #look(): string {
    const style = getComputedStyle(this);
    const look = new URLSearchParams();
    for (const [name, value] of [
      ['theme', this.theme],
      ['locale', this.locale],
      ['accent', style.getPropertyValue('--chartio-accent')],
      ['font', style.getPropertyValue('--chartio-font')],
    ]) {
      if (value?.trim()) look.set(name!, value.trim());
    }
    return look + '';
  }
}

/**
 * Whether retrying can help with `error`: not for inputs at fault, nor for a refusal (a 4xx, a
 * page that refuses to be framed here); yes for a network failure, a timeout or a 5xx.
 */
function canRetry(error: ChartioErrorDetail): boolean {
  return error.phase != 'config' && error.code != 'frame_refused' && (error.status === undefined || error.status >= 500);
}

/**
 * The frame lifecycle of one `<chartio-embed>`, as a Lit reactive controller beside the token
 * side's ({@link TokenController}): an explicit {@link FrameStatus}, the frame on show and the
 * one loading hidden behind it, the page awaited and its deadline, the height the page posts,
 * and the window's messages from those frames. The element keeps attributes → configuration and
 * the overlay; the token controller hands tokens to {@link FrameController.show}.
 *
 *     empty ─show()→ loading ─ready→ shown ─show(another token of the page on show)→ in place ─ready→ shown
 *                      │  ▲            └─show(another page), reload()→ loading
 *                      │  └─────────── in place ─error, no answer in time→ loading (the token's URL)
 *                      └─page error, frame_timeout, frame_refused→ failed ─show(), reload()→ loading or in place
 *     any ─host disconnected→ empty
 *
 * A failed page leaves the frame on show (if any) where it was: the element's overlay covers it.
 * @module
 */
import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';
import { APPEARANCE_MESSAGE_TYPE, clickFromMessage, FRAME_PROTOCOL_VERSION, MAX_FRAME_HEIGHT, pageMessage, READY_MESSAGE_TYPE, TOKEN_MESSAGE_TYPE } from '../protocol/frame-messages.js';
import { frameHeight, fromFrame } from './auto-size.js';
import { clock } from './clock.js';
import { el } from './dom.js';
import type { ChartioClickDetail, ChartioErrorDetail, ChartioLoadDetail } from './events.js';

/**
 * Sandbox of the dashboard frame unless the `sandbox` attribute says otherwise: `allow-downloads`
 * for the charts' CSV and image files, `allow-modals` for the print dialog (`print()`), which a
 * sandboxed frame may not open without it.
 */
export const DEFAULT_SANDBOX = 'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-downloads allow-modals';
/** How long a dashboard page may take to say it is ready (or why not), in ms, unless `frame-timeout` says otherwise. */
export const FRAME_TIMEOUT = 15_000;
/**
 * How long after its frame's `load` event a page may stay silent, in ms, before the element
 * reports `frame_refused`: a page that speaks the frame protocol has posted by then (the host's
 * page script runs before `load`). A frame whose host refuses to be framed (`frame-ancestors`),
 * a proxy's page or a host of another version loads and never speaks.
 */
export const FRAME_REFUSED_AFTER = 2_000;

/** Where the frame lifecycle stands. */
export type FrameStatus = 'empty' | 'loading' | 'in place' | 'shown' | 'failed';

/**
 * The element as the controller sees it: a controller host with the frame settings, under the
 * element's own property names (a type of its own, so the two modules do not import each other).
 */
export interface FrameHost extends ReactiveControllerHost {
  readonly sandbox: string | undefined;
  readonly allow: string | undefined;
  readonly frameTimeout: number | undefined;
  readonly sizing: string | undefined;
  readonly maxHeight: number | undefined;
}

/** What the controller tells the element. */
export interface FrameEvents {
  /** The page awaited said ready (or had the token on show already): `chartio-load`. */
  loaded(detail: ChartioLoadDetail): void;
  /** The page awaited said nothing usable in time: `frame_timeout` or `frame_refused`. */
  failed(error: ChartioErrorDetail): void;
  /** A new frame's page answered `chartio:error`: the element renews the token, retries or reports it. */
  refused(code: string, status: number, retryable: boolean): void;
  /** The viewer clicked something in the page on show. */
  clicked(detail: ChartioClickDetail): void;
  /** The frames' accessible name. */
  title(): string;
  /** The look as URL parameters (`theme=dark&locale=de-DE`), for a new frame's URL fragment. */
  look(): string;
}

/** A dashboard page to show: its URL and token, whether the token was reused, and whether it goes in place. */
interface Load {
  src: string;
  token: string;
  reused: boolean;
  inPlace: boolean;
  /** The look its frame was loaded with (in the URL's fragment). */
  look?: string;
  /** Its page has posted a frame-protocol message: it speaks the protocol, so it is not refused. */
  spoke?: boolean;
}

/** What the shown frame shows, as its page said when ready. */
interface Shown {
  src: string;
  /** `undefined` while an in-place update is under way: the page may switch at any moment. */
  token: string | undefined;
  /** The URL without its token: another token for the same page may go in place. */
  page: string;
  dashboard: number;
  /** The page speaks this protocol version, so it can update in place. */
  inPlace: boolean;
  /** The look the page was last given: its URL's fragment, then each appearance message. */
  look?: string | undefined;
  /** When its data was read (ISO 8601), as its ready said. */
  dataTime?: string | undefined;
}

/**
 * Shows dashboard pages in the element's box: a new token's page in place when the page on show
 * can take it, else in a new frame swapped in when its page says ready, without a blank flash.
 *
 * @example
 * #frames = new FrameController(this, () => this.#box, { loaded, failed, refused, clicked, title, look });
 * // a token came:
 * this.#frames.show(src, token, reused, false);
 */
export class FrameController implements ReactiveController {
  /** Where the lifecycle stands; the host is asked to update on every change. */
  status: FrameStatus = 'empty';
  /** The last height the page posted (`sizing="auto"`), in CSS pixels. */
  height: number | undefined;
  readonly #host: FrameHost;
  readonly #box: () => HTMLElement;
  readonly #events: FrameEvents;
  /** The frame on show and what it shows, and the next one loading hidden behind it. */
  #frame?: HTMLIFrameElement | undefined;
  #shown?: Shown | undefined;
  #next?: HTMLIFrameElement | undefined;
  /** The page awaited (in `#next`, or in place in `#frame`), and its timer. */
  #wait?: Load | undefined;
  #timer?: unknown;
  /** When the page awaited in a new frame must have said ready (`clock` time). */
  #deadline = 0;

  /**
   * `box` gives where the frames go, before anything else in it (the overlay stacks above them);
   * it is asked for when the first frame is made (the element makes it with its shadow root).
   */
  constructor(host: FrameHost, box: () => HTMLElement, events: FrameEvents) {
    this.#host = host;
    this.#box = box;
    this.#events = events;
    host.addController(this);
  }

  /** Whether a frame is on show (the overlay's Loading stays until one is). */
  get hasFrame(): boolean {
    return !!this.#frame;
  }

  /** Whether a page is awaited: loading in a new frame, or updating in place. */
  get busy(): boolean {
    return this.status == 'loading' || this.status == 'in place';
  }

  hostConnected(): void {
    addEventListener('message', this.#onMessage);
  }

  hostDisconnected(): void {
    removeEventListener('message', this.#onMessage);
    this.#drop();
    // A detached iframe loses its page anyway: drop it, so a reconnect (or a framework's double
    // mount) builds exactly one again.
    this.#frame?.remove();
    this.#frame = this.#shown = this.height = undefined;
    this.#set('empty');
  }

  /**
   * Shows `token`'s page at `src`: nothing to load when the page on show has it already, in place
   * when the page on show can take it, else in a new frame. `force` (a retry, a reload): always a
   * new frame. `fresh` (refresh()): in place when the page on show can take it, even its own token,
   * the page asking the host for fresh data (`chartio:token` with `fresh`).
   *
   * @example
   * frames.show('https://dashboards.example.com/d/1/?embed_token=…', token, false, false, 1);
   */
  show(src: string, token: string, reused: boolean, force: boolean, dashboard: number, fresh = false): void {
    this.#drop();
    const load: Load = (this.#wait = { src, token, reused, inPlace: true });
    const shown = this.#shown;
    // The frame on show has it already (filters reverted before the next one loaded, or after an
    // error): nothing to load, but say so, as an app may wait for chartio-load.
    if (!force && shown?.token && shown.src == src) return this.#loaded(shown);
    if ((!force || fresh) && shown?.inPlace && shown.dashboard == dashboard && shown.page == src.replace(token, '')) {
      // Until the page answers, it may show either token: a revert must go through it too.
      shown.token = undefined;
      this.post(TOKEN_MESSAGE_TYPE, fresh ? { token, fresh } : { token });
      // No answer in time: load the URL instead, as for any failure in place.
      this.#timer = clock.setTimeout(() => this.#load(load), this.#host.frameTimeout || FRAME_TIMEOUT);
      this.#set('in place');
    } else this.#load(load);
  }

  /**
   * Loads the page awaited or on show again, with its token, in a new frame; `false` when there
   * is no token to load (nothing shown yet): the element asks for one then.
   *
   * @example
   * if (!frames.reload()) tokens.request(true);
   */
  reload(): boolean {
    const page = this.#wait ?? this.#shown;
    if (!page?.token) return false;
    this.#load({ src: page.src, token: page.token, reused: true, inPlace: false });
    return true;
  }

  /**
   * Tells the page on show its look (`chartio:appearance`) when it changed, or when the page was
   * loaded with an older one: in place, no token, no query. The look is read only when a page is
   * on show (reading it costs a style recalculation).
   *
   * @example
   * frames.appear(); // in the element's update()
   */
  appear(): void {
    const page = this.#shown;
    const look = page && this.#events.look();
    if (page && look != page.look) {
      page.look = look;
      this.post(APPEARANCE_MESSAGE_TYPE, Object.fromEntries(new URLSearchParams(look)));
    }
  }

  /**
   * Posts a frame-protocol message to the frame on show, for the origin of the page it shows
   * only; `false` when no page is on show.
   *
   * @example
   * frames.post('chartio:print', {});
   */
  post(type: string, fields: object): boolean {
    const window = this.#frame?.contentWindow;
    if (!window || !this.#shown) return false;
    window.postMessage({ type, version: FRAME_PROTOCOL_VERSION, ...fields }, new URL(this.#shown.src).origin);
    return true;
  }

  /** Sets the frames' accessible name. */
  retitle(title: string): void {
    for (const frame of [this.#frame, this.#next]) if (frame) frame.title = title;
  }

  /** Loads a page in a hidden frame behind the shown one; its `chartio:ready` swaps them. */
  #load(load: Load): void {
    this.#drop();
    load.inPlace = false;
    this.#wait = load;
    const host = this.#host;
    // The look in the URL's fragment (never sent to a server): the page paints in it from the start.
    const look = (load.look = this.#events.look());
    const frame = (this.#next = el('iframe', {
      className: 'next',
      part: 'frame',
      title: this.#events.title(),
      sandbox: host.sandbox ?? DEFAULT_SANDBOX,
      allow: host.allow ?? 'fullscreen',
      // Always: the token is in the URL, and must not leak through the Referer header.
      referrerPolicy: 'no-referrer',
      // (Replacing a fragment the base URL may have had: it means nothing to the page.)
      src: look ? `${load.src.replace(/#.*/, '')}#${look}` : load.src,
    }));
    // No word from the page in time: a DNS failure, a host that never answers.
    this.#deadline = clock.now() + (host.frameTimeout || FRAME_TIMEOUT);
    this.#awaitPage();
    // Loaded and still silent soon after: a page that will never speak the protocol. Said fast,
    // with the likely cause, rather than as frame_timeout once the frame timeout is over.
    frame.onload = () => {
      if (frame != this.#next || load.spoke) return;
      clock.clearTimeout(this.#timer);
      this.#timer = clock.setTimeout(() => {
        const origin = location.origin;
        this.#fail({
          phase: 'frame',
          code: 'frame_refused',
          message: `The dashboard page at ${new URL(load.src).origin} loaded but did not speak the frame protocol: its host may refuse to be framed by ${origin} (check that the host's frameAncestors includes ${origin}), or the URL serves another page (a proxy's, a login, another version)`,
        });
      }, FRAME_REFUSED_AFTER);
    };
    // Before the overlay, which stacks above the frames.
    this.#box().prepend(frame);
    this.#set('loading');
  }

  /** Waits for the page in the new frame until the frame timeout's deadline, then reports frame_timeout. */
  #awaitPage(): void {
    clock.clearTimeout(this.#timer);
    this.#timer = clock.setTimeout(
      () => this.#fail({ phase: 'frame', code: 'frame_timeout', message: 'The dashboard did not load in time' }),
      this.#deadline - clock.now(),
    );
  }

  /** The page awaited said ready (`shown` is what it shows now), or had it on show already. */
  #loaded(shown: Shown): void {
    const { reused, inPlace } = this.#wait!;
    this.#drop();
    this.#set('shown');
    this.#events.loaded({ dashboard: shown.dashboard, reused, inPlace, ...(shown.dataTime && { dataTime: shown.dataTime }) });
  }

  /** The page awaited failed: drops it, and tells the element. */
  #fail(error: ChartioErrorDetail): void {
    this.#drop();
    this.#set('failed');
    this.#events.failed(error);
  }

  /** Forgets the page awaited: its timer, and the frame loading it (unless it is being shown). */
  #drop(): void {
    clock.clearTimeout(this.#timer);
    this.#next?.remove();
    this.#next = this.#wait = undefined;
  }

  #set(status: FrameStatus): void {
    this.status = status;
    this.#host.requestUpdate();
  }

  /** The window's messages: heights, clicks, and the awaited page's ready or error, from its own frame only. */
  #onMessage = (event: MessageEvent): void => {
    const wait = this.#wait;
    const next = this.#next;
    const host = this.#host;
    const click = clickFromMessage(event.data);
    // Only from the page on show: a frame loading behind it has shown the viewer nothing yet.
    if (click && fromFrame(event, this.#frame)) this.#events.clicked(click);
    const height = host.sizing == 'auto' ? frameHeight(event, next ?? this.#frame, host.maxHeight || MAX_FRAME_HEIGHT) : undefined;
    if (height !== undefined) {
      this.height = height;
      host.requestUpdate();
    }
    // Any protocol message from the new frame (a height first, say) shows its page speaks the
    // protocol: it gets the rest of the frame timeout to say ready, as before its `load`.
    if (wait && !wait.inPlace && fromFrame(event, next) && /^chartio:/.test(event.data?.type)) {
      wait.spoke = true;
      this.#awaitPage();
    }
    const message = pageMessage(event.data);
    // The page on show swapped in newer data by itself (it was shown past its max age): say so.
    const shown = this.#shown;
    if (!wait && message?.type == READY_MESSAGE_TYPE && message.dataTime && shown?.token && message.token == shown.token && fromFrame(event, this.#frame)) {
      shown.dataTime = message.dataTime;
      this.#events.loaded({ dashboard: message.dashboard, reused: true, inPlace: true, dataTime: message.dataTime });
    }
    // In place, the page names the token it answers for: a late answer for an older one is not it.
    if (!wait || !message || !fromFrame(event, wait.inPlace ? this.#frame : next) || (wait.inPlace && message.token != wait.token)) return;
    if (message.type == READY_MESSAGE_TYPE) {
      if (next) {
        this.#frame?.remove();
        (this.#frame = next).className = '';
        this.#next = undefined;
      }
      const { src, token } = wait;
      // A new frame has the look of its URL; a page updated in place keeps the one it was given.
      const look = (next ? wait : this.#shown)?.look;
      this.#loaded((this.#shown = { src, token, page: src.replace(token, ''), dashboard: message.dashboard, inPlace: message.version == FRAME_PROTOCOL_VERSION, look, dataTime: message.dataTime }));
    } else if (wait.inPlace) {
      // Any failure in place: load the URL, which shows the host's own answer for this token.
      this.#load(wait);
    } else {
      this.#drop();
      this.#set('failed');
      this.#events.refused(message.code, message.status, message.retryable);
    }
  };
}

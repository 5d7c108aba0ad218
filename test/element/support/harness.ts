/**
 * Browser-side helpers of the element tests: this test file's session on the test server
 * (test-server.ts), a controllable clock, and small waits on real events.
 * @module
 */
import { fixture, fixtureCleanup, html, oneEvent, waitUntil as pollUntil } from '@open-wc/testing';
// Registers <chartio-embed>: every test file gets the element by importing this harness.
import '../../../src/element/index.js';
import { clock, type Clock } from '../../../src/element/clock.js';
import { clearTokens } from '../../../src/element/token-cache.js';
import type { ChartioEmbedElement } from '../../../src/element/index.js';
import type { ChartioClickDetail, ChartioErrorDetail, ChartioTokenDetail } from '../../../src/element/events.js';

/** This page's session on the test server: test files running at once never share state. */
export const SESSION = `t${Math.random().toString(36).slice(2)}`;
/** The token endpoint of this session. */
export const ENDPOINT = `/embed-token?s=${SESSION}`;

/** One token request the server received. */
export interface ReceivedRequest {
  body: { dashboard: number; filters?: Record<string, string | string[]> };
  headers: Record<'content-type' | 'cookie' | 'origin' | 'x-csrf-token', string | undefined>;
  aborted: boolean;
  status: number;
}

/** Tells the test server what to do with this session's next token requests (see test-server.ts). */
export async function control(command: {
  reset?: boolean;
  hold?: boolean;
  release?: number | 'all';
  fail?: Array<number | 'bad-token' | 'not-json'>;
  down?: boolean;
  ttl?: number;
  /** The key id tokens are signed with from now on ('' for none). */
  kid?: string;
  /** Moves the signer's clock, in ms (negative: tokens issued in the past, maybe expired already). */
  skew?: number;
  /** The key ids the session's dashboard pages (`?s=ID`) accept, besides tokens without one. */
  hostKids?: string[];
  /** The session's pages refuse a token issued (`iat`) before this second as `token_revoked`. */
  revokedBefore?: number;
}): Promise<void> {
  const response = await fetch(`/__control?s=${SESSION}`, { method: 'POST', body: JSON.stringify(command) });
  if (!response.ok) throw new Error(`control failed: ${response.status}`);
}

/**
 * Token requests this page has *started* (`fetch` calls to the endpoint), counted as they are
 * made: unlike {@link received}, it cannot miss a request still on its way to the server.
 * The real `fetch` is called every time; it is only watched.
 */
export function requestsStarted(): number {
  return started;
}
let started = 0;
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  if (String(input instanceof Request ? input.url : input).includes('/embed-token')) started++;
  return realFetch(input, init);
};

/** Every token request the server received in this session, in order of arrival. */
export async function received(): Promise<ReceivedRequest[]> {
  return (await fetch(`/__requests?s=${SESSION}`)).json();
}

/**
 * Polls `predicate` (every 20 ms) until it holds: for what no event announces, like a request the
 * server has received or aborted. Unlike open-wc's `waitUntil`, whose deadline is 1 s of wall
 * clock (which a loaded machine overruns: a request on its way for over a second is slow, not
 * lost), it gives up only shortly before the test's own timeout (web-test-runner.config.mjs),
 * with `message`.
 *
 * @example
 * await waitUntil(async () => (await received())[0]!.aborted, 'the request was never aborted');
 */
export function waitUntil(predicate: () => unknown, message?: string): Promise<void> {
  return pollUntil(predicate, message, { interval: 20, timeout: 25_000 });
}

/** Waits until the server has received `count` token requests, and returns them. */
export async function receivedAtLeast(count: number): Promise<ReceivedRequest[]> {
  let requests: ReceivedRequest[] = [];
  await waitUntil(async () => (requests = await received()).length >= count, `the server never received ${count} token request(s)`);
  return requests;
}

/** The dashboard page's base URL on this server (the small test page, see test-server.ts). */
export function baseUrl(dashboard: number, origin = location.origin): string {
  return `${origin}/d/${dashboard}`;
}

/** The real dashboard host's base URL for a demo dashboard (38727, 38728 or 38729), mounted at `mount`. */
export function hostUrl(dashboard: number, mount: 'host' | 'strict' | 'elsewhere' = 'host'): string {
  return `${location.origin}/${mount}/d/${dashboard}`;
}

/** This server under its other loopback name: another origin (`localhost` ↔ `127.0.0.1`). */
export function otherOrigin(): string {
  const url = new URL(location.origin);
  url.hostname = url.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
  return url.origin;
}

/** Resolves once a message matching `test` has reached this window (after the element's listener). */
export function message(test: (data: any) => boolean): Promise<MessageEvent> {
  return new Promise((resolve) => {
    const listener = (event: MessageEvent) => {
      if (!test(event.data)) return;
      removeEventListener('message', listener);
      resolve(event);
    };
    addEventListener('message', listener);
  });
}

/** Resolves on the next `load` of an iframe. */
export function frameLoad(frame: HTMLIFrameElement): Promise<void> {
  return new Promise((resolve) => frame.addEventListener('load', () => resolve(), { once: true }));
}

/** A fresh dashboard id, so tests never share a token cache key by accident. */
let nextDashboard = 1000 + Math.floor(Math.random() * 1000) * 100;
export function newDashboard(): number {
  return nextDashboard++;
}

/** The element's shown frame and the next one loading behind it. */
export function frames(element: ChartioEmbedElement): { shown: HTMLIFrameElement | undefined; next: HTMLIFrameElement | undefined } {
  const all = [...element.shadowRoot!.querySelectorAll('iframe')];
  return { shown: all.find((frame) => !frame.classList.contains('next')), next: all.find((frame) => frame.classList.contains('next')) };
}

/** The element's shadow part by name. */
export function part(element: ChartioEmbedElement, name: string): HTMLElement | null {
  return element.shadowRoot!.querySelector(`[part~="${name}"]`);
}

/** What the dashboard page saw: the claims the server verified, or `null`. */
export function claimsOf(frame: HTMLIFrameElement): { dashboard: number; env: Record<string, string | string[]> } | null {
  return (frame.contentWindow as unknown as { claims: never }).claims;
}

/** Awaits the element's next event of a type, with its detail. */
export async function next(element: EventTarget, type: 'chartio-token'): Promise<ChartioTokenDetail>;
export async function next(element: EventTarget, type: 'chartio-error'): Promise<ChartioErrorDetail>;
export async function next(element: EventTarget, type: 'chartio-load'): Promise<null>;
export async function next(element: EventTarget, type: 'chartio-click'): Promise<ChartioClickDetail>;
export async function next(element: EventTarget, type: string): Promise<unknown> {
  return ((await oneEvent(element, type)) as CustomEvent).detail;
}

/** Every event of these types the element fires, in order, from now on. */
export function record(element: EventTarget, ...types: string[]): Array<{ type: string; detail: any }> {
  const events: Array<{ type: string; detail: any }> = [];
  for (const type of types) element.addEventListener(type, (event) => events.push({ type, detail: (event as CustomEvent).detail }));
  return events;
}

/**
 * Runs `callback` in a task of its own after the current one. Every such callback of the harness
 * goes through this one channel, whose messages arrive in the order they were posted: so a
 * {@link settle} comes after the end-of-task timers the element set before it (see FakeClock).
 */
function afterTask(callback: () => void): void {
  tasks.push(callback);
  channel.port2.postMessage(null);
}
const tasks: Array<() => void> = [];
const channel = new MessageChannel();
channel.port1.onmessage = () => tasks.shift()!();

/**
 * Two macrotask turns: every promise reaction queued so far has run, and so has every batch the
 * element planned for the end of a task (its requests start there), including one planned by an
 * update that was still to run when settle() was called. Not a sleep (no time passes on any clock
 * the element reads); used to show that nothing *else* happens.
 */
export function settle(): Promise<void> {
  return new Promise((resolve) => afterTask(() => afterTask(resolve)));
}

/**
 * Every `console.warn` from now until the end of the test (restored by {@link isolateEachTest}),
 * as argument lists; still printed.
 */
export function watchWarnings(): unknown[][] {
  const warnings: unknown[][] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    warnings.push(args);
    warn.apply(console, args);
  };
  restoreAfterTest.push(() => (console.warn = warn));
  return warnings;
}
const restoreAfterTest: Array<() => void> = [];

/** What the browser does when the viewer comes back to the tab: `visibilitychange`, bubbling. */
export function returnToTab(): void {
  document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
}

/** A `<chartio-embed>` with attributes (`null` leaves one out), not yet in the document. */
export function create(attributes: Record<string, string | null>, setup?: (element: ChartioEmbedElement) => void): ChartioEmbedElement {
  const element = document.createElement('chartio-embed');
  for (const [name, value] of Object.entries(attributes)) if (value !== null) element.setAttribute(name, value);
  setup?.(element);
  return element;
}

/** Puts `element` in the document (removed by `fixtureCleanup()`) and awaits its first update. */
export function attach<T extends Element>(element: T): Promise<T> {
  return fixture(html`${element}`);
}

/**
 * Mounts `<chartio-embed>` with attributes. Listen for events the element fires right away
 * (a token from the cache) with {@link create} and {@link attach} instead.
 */
export async function mount(attributes: Record<string, string | null>, setup?: (element: ChartioEmbedElement) => void): Promise<ChartioEmbedElement> {
  return attach(create(attributes, setup));
}

/**
 * A clock the test moves: `tick(ms)` advances `now()` and runs the timers due, in order.
 * `install()` puts it over the element's shared clock, starting afresh; `restore()` puts the
 * real one back. A timer of 0 ms (the element's end-of-task batch) is due without time passing:
 * it runs in a task of its own after the current one, as a real one would, unless the test ticks
 * first or it is cleared. It is in {@link FakeClock.pending} until then.
 */
export class FakeClock {
  #now = 1_000_000;
  #id = 0;
  #timers = new Map<number, { at: number; callback: () => void }>();
  #saved: Clock = { ...clock };

  install(): this {
    this.#now = 1_000_000;
    this.#timers.clear();
    Object.assign(clock, {
      now: () => this.#now,
      setTimeout: (callback: () => void, ms: number) => {
        this.#timers.set(++this.#id, { at: this.#now + ms, callback });
        if (ms <= 0) afterTask(() => this.tick(0));
        return this.#id;
      },
      clearTimeout: (handle: unknown) => {
        this.#timers.delete(handle as number);
      },
    } satisfies Clock);
    return this;
  }

  /** Timers waiting to run, sorted by when they are due (ms from now). */
  get pending(): number[] {
    return [...this.#timers.values()].map((timer) => timer.at - this.#now).sort((a, b) => a - b);
  }

  /** Advances time by `ms`, running each timer due on the way at its own time. */
  tick(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      let due: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.#timers) if (entry[1].at <= end && (!due || entry[1].at < due[1].at)) due = entry;
      if (!due) break;
      this.#timers.delete(due[0]);
      this.#now = due[1].at;
      due[1].callback();
    }
    this.#now = end;
  }

  restore(): void {
    Object.assign(clock, this.#saved);
  }
}

/**
 * The hooks every element test file needs, registered once: before each test, a clean session
 * on the test server, an empty page-wide token cache and a fresh {@link FakeClock}; after each,
 * the fixtures removed, the real clock back and the session reset (held requests let go).
 * Returns the clock, which each test drives.
 *
 * @example
 * describe('…', () => {
 *   const time = isolateEachTest();
 *   it('…', async () => { time.tick(1000); });
 * });
 */
export function isolateEachTest(): FakeClock {
  const time = new FakeClock();
  beforeEach(async () => {
    await control({ reset: true });
    clearTokens();
    time.install();
  });
  afterEach(async () => {
    fixtureCleanup();
    time.restore();
    for (const restore of restoreAfterTest.splice(0)) restore();
    await control({ reset: true });
  });
  return time;
}

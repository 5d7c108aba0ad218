/**
 * Browser-side helpers of the page runtime's tests: a real dashboard page of the host mounted in
 * web-test-runner's middleware (test/element/support/test-server.ts: `/host/d/{id}/`, the demo
 * dashboards over the demo dataset, this origin as its parent origin), framed by the test page,
 * with every frame-protocol message it posts recorded. The page under test is the host's own, so
 * it runs the built page runtime (page-runtime.generated.ts) under the host's real CSP.
 * @module
 */
import { waitUntil } from '@open-wc/testing';
import { FRAME_PROTOCOL_VERSION } from '../../../src/protocol/frame-messages.js';

/** This page's session on the test server: test files running at once never share state. */
export const SESSION = `p${Math.random().toString(36).slice(2)}`;
/**
 * How long a page may take to answer, in ms: a first view runs the dashboard's DuckDB queries,
 * which on a loaded CI machine can take seconds. Each test file gives its tests this long
 * (`this.timeout(PAGE_TIMEOUT_MS)`), over the config's 10 s meant for the element's fake clock.
 */
export const PAGE_TIMEOUT_MS = 30_000;

/** What a mocha `describe` body's `this` has that these tests use. */
export interface Suite {
  timeout(ms: number): void;
}

/** The demo's overview dashboard: three numbers, a line and a bar chart, a table. */
export const OVERVIEW = 38727;

/** A message the framed page posted to this window. */
export type Posted = { type: string; version: number } & Record<string, any>;

/**
 * A token for `dashboard` from the project's real token endpoint (`ACCT_ID` locked to "1").
 * `foreign` signs with a secret the host does not know.
 *
 * Every token carries this page's {@link SESSION} as `N`, a Hidden Variable no demo query reads:
 * the signer reuses a token for the same claims and the test server's one host caches a page per
 * token, so without it a test file in Firefox would get the page a file in Chromium had the host
 * render a minute before (its `dataTime` that old), and not a run of its own.
 *
 * @example
 * const token = await tokenFor(OVERVIEW, { USER_ID: '3' });
 */
export async function tokenFor(dashboard: number, filters: Record<string, string | string[]> = {}, foreign = false): Promise<string> {
  const response = await fetch(`/embed-token?s=${SESSION}${foreign ? '&foreign' : ''}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ dashboard, filters: { N: SESSION, ...filters } }),
  });
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/** The URL of the host's page for a dashboard and token; `fragment` is the look (`theme=dark`). */
export const pageUrl = (dashboard: number, token: string, fragment = ''): string =>
  `${location.origin}/host/d/${dashboard}/?embed_token=${token}${fragment ? `#${fragment}` : ''}`;

/** A framed dashboard page and what it has posted. */
export interface FramedPage {
  frame: HTMLIFrameElement;
  /** The page's window (same origin as the test page, so the test can read and drive it). */
  win: Window & typeof globalThis;
  doc: Document;
  /** Every message the page posted, in order. */
  posted: Posted[];
  /** Waits for the first message (from `from` on, by index) that `test` accepts, and returns it. */
  next(test: (message: Posted) => boolean, from?: number): Promise<Posted>;
  /** Posts a message to the page from this (its parent) window, at the host's origin. */
  send(message: Record<string, unknown>): void;
  /** Removes the frame. */
  close(): void;
}

/**
 * Frames the host's page for `dashboard` with `token`, and resolves once it has posted
 * `chartio:ready` or `chartio:error`.
 *
 * @example
 * const page = await openPage(OVERVIEW, await tokenFor(OVERVIEW));
 * page.posted[0]; // { type: 'chartio:ready', version: 1, dashboard: 38727, token }
 */
export async function openPage(dashboard: number, token: string, fragment = '', width = 900): Promise<FramedPage> {
  const frame = document.createElement('iframe');
  frame.style.cssText = `width:${width}px;height:400px;border:0`;
  const posted: Posted[] = [];
  const listener = (event: MessageEvent): void => {
    if (event.source === frame.contentWindow && event.origin === location.origin) posted.push(event.data as Posted);
  };
  addEventListener('message', listener);
  frame.src = pageUrl(dashboard, token, fragment);
  document.body.append(frame);
  const next = async (test: (message: Posted) => boolean, from = 0): Promise<Posted> => {
    await waitUntil(() => posted.slice(from).some(test), 'the page never posted the message awaited', { timeout: PAGE_TIMEOUT_MS - 2_000 });
    return posted.slice(from).find(test)!;
  };
  await next((message) => message.type === 'chartio:ready' || message.type === 'chartio:error');
  const win = frame.contentWindow as Window & typeof globalThis;
  return {
    frame,
    win,
    doc: win.document,
    posted,
    next,
    send: (message) => win.postMessage({ version: FRAME_PROTOCOL_VERSION, ...message }, location.origin),
    close: () => {
      removeEventListener('message', listener);
      frame.remove();
    },
  };
}

/** The framed document's height, as the page runtime measures it (height.ts). */
export const documentHeight = (page: FramedPage): number => Math.ceil(page.doc.documentElement.getBoundingClientRect().height);

/**
 * The height the page last posted once it is its document's height, from message `from` on. A
 * page may post more than one height as it lays out (Firefox lays out again after its first
 * post), so the first height posted need not be the last.
 *
 * @example
 * const height = await postedHeight(page); // === documentHeight(page)
 */
export async function postedHeight(page: FramedPage, from = 0): Promise<number> {
  const last = () => page.posted.slice(from).filter((message) => message.type === 'chartio:height').at(-1)?.height as number | undefined;
  await waitUntil(() => last() === documentHeight(page), 'the page never posted its document\'s height', { timeout: PAGE_TIMEOUT_MS - 2_000 });
  return last()!;
}

/** The drawing on show (the host's SVG for the frame's width) of a drawn chart of a framed page. */
export function drawingOf(page: FramedPage, chart: string): HTMLElement {
  const box = page.doc.querySelector<HTMLElement>(`${chart} .chart-svg`)!;
  return [...box.children].find((child): child is HTMLElement => child.getClientRects().length > 0 && (child as HTMLElement).dataset.points !== undefined)!;
}

/** Where point `n` of a drawing is on the framed page's screen (client coordinates). */
export function pointOf(drawing: HTMLElement, n: number): { clientX: number; clientY: number } {
  const [, , , x, y] = drawing.dataset.points!.split(';')[n]!.split(' ').map(Number);
  const at = new DOMPoint(x, y).matrixTransform(drawing.querySelector('svg')!.getScreenCTM()!);
  return { clientX: at.x, clientY: at.y };
}

/** The computed colour of a drawing's first line or bar in the accent (`var(--series)`). */
export function accentOf(page: FramedPage, drawing: HTMLElement): string {
  const shape = drawing.querySelector('[stroke="var(--series)"], [fill="var(--series)"]')!;
  const style = page.win.getComputedStyle(shape);
  return shape.getAttribute('stroke') === 'var(--series)' ? style.stroke : style.fill;
}

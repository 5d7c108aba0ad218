/**
 * The page's line to the embedding page: posts go only to the configured parent origins (never
 * `'*'` when there is a configuration), and messages are accepted only from the parent window at
 * one of them. On an error page rendered without a configuration, only what is public (code and
 * status) is posted, to whichever parent the host's `frame-ancestors` let frame it.
 * @module
 */
import { FRAME_PROTOCOL_VERSION } from '../protocol/frame-messages.js';
import { CONFIG_ID, type PageConfig } from '../protocol/page-markup.js';
import { readJson } from './dom.js';

/** A message of the frame protocol without its `version`, which {@link post} adds. */
export type Outgoing = { type: string } & Record<string, unknown>;

const config = readJson<PageConfig>(CONFIG_ID);
const accepted: readonly string[] = config?.parentOrigins ?? [];

/** Whether the page has its configuration (a dashboard page; an error page may not). */
export const configured = config !== null;

// The parent's own origin when the browser tells it (Chromium's ancestorOrigins; a referrer), so
// nothing is posted to a configured origin that is not the parent's.
let targets: readonly string[] = ((): readonly string[] => {
  if (!config) return ['*'];
  const ancestor = location.ancestorOrigins?.[0];
  if (ancestor && accepted.includes(ancestor)) return [ancestor];
  try {
    const origin = new URL(document.referrer).origin;
    if (accepted.includes(origin)) return [origin];
  } catch {
    // No referrer (the host sends none on): the configured origins.
  }
  return accepted;
})();

/**
 * Posts a frame-protocol message, with the protocol's version, to the parent's origin(s). A page
 * opened on its own (no parent) posts nothing.
 *
 * @example
 * post({ type: 'chartio:height', height: 480 });
 */
export function post(message: Outgoing): void {
  if (window.parent === window) return;
  for (const origin of targets) window.parent.postMessage({ ...message, version: FRAME_PROTOCOL_VERSION }, origin);
}

/**
 * Whether a message event comes from the parent window at one of the configured origins: the
 * only messages the page acts on.
 *
 * @example
 * addEventListener('message', (event) => { if (fromParent(event)) … });
 */
export const fromParent = (event: MessageEvent): boolean => event.source === window.parent && accepted.includes(event.origin);

/**
 * From now on, posts go to this origin only (the parent proved it by sending an accepted message).
 *
 * @example
 * answerTo(event.origin);
 */
export function answerTo(origin: string): void {
  targets = [origin];
}

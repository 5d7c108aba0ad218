/**
 * `sizing="auto"`: reading the height a dashboard page posts, from that page only.
 * @module
 */
import { heightFromMessage } from '../protocol/frame-messages.js';

/**
 * The height `event` asks `frame` to take, clamped to `max`; `undefined` when the message does
 * not come from that frame's window and its URL's origin, or is not a well-formed height
 * message. Any page can post to the embedding window: only the dashboard itself may resize it.
 *
 * @example
 * addEventListener('message', (event) => {
 *   const height = frameHeight(event, iframe, 10_000);
 *   if (height !== undefined) box.style.height = `${height}px`;
 * });
 */
export function frameHeight(event: MessageEvent, frame: HTMLIFrameElement | undefined, max: number): number | undefined {
  if (!frame || !event.source || event.source !== frame.contentWindow || event.origin !== new URL(frame.src).origin) return undefined;
  const height = heightFromMessage(event.data);
  return height === undefined ? height : Math.min(height, max);
}

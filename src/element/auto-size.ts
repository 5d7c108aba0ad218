/**
 * Who may talk to the element: messages are read only from the window of one of its own frames,
 * and only while that window shows a page from the frame's URL's origin (the base URL's). Any page
 * can post to the embedding window; only the dashboard itself may resize it or say it is ready.
 * @module
 */
import { heightFromMessage } from '../protocol/frame-messages.js';

/**
 * Tells whether `event` was posted by `frame`'s window from the origin of `frame`'s URL.
 *
 * @example
 * addEventListener('message', (event) => {
 *   if (fromFrame(event, iframe)) console.log(event.data);
 * });
 */
export function fromFrame(event: MessageEvent, frame: HTMLIFrameElement | undefined): boolean {
  return !!frame && !!event.source && event.source === frame.contentWindow && event.origin === new URL(frame.src).origin;
}

/**
 * The height `event` asks `frame` to take, clamped to `max`; `undefined` when the message does
 * not come from that frame (see {@link fromFrame}) or is not a well-formed height message.
 *
 * @example
 * addEventListener('message', (event) => {
 *   const height = frameHeight(event, iframe, 10_000);
 *   if (height !== undefined) box.style.height = `${height}px`;
 * });
 */
export function frameHeight(event: MessageEvent, frame: HTMLIFrameElement | undefined, max: number): number | undefined {
  const height = fromFrame(event, frame) ? heightFromMessage(event.data) : undefined;
  return height === undefined ? height : Math.min(height, max);
}

/**
 * Messages a dashboard page posts to the page that embeds it. The dashboard host posts them,
 * the `<chartio-embed>` element reads them; both import the shape from here.
 * @module
 */

/** The `type` of the message that reports the dashboard's content height. */
export const HEIGHT_MESSAGE_TYPE = 'chartio:height';

/**
 * The largest height, in CSS pixels, the element grows an auto-sized frame to unless its
 * `max-height` attribute says otherwise: a page that keeps reporting more cannot grow without end.
 */
export const MAX_FRAME_HEIGHT = 10_000;

/** `{ type: 'chartio:height', height }`: the dashboard's content height in CSS pixels. */
export interface HeightMessage {
  type: typeof HEIGHT_MESSAGE_TYPE;
  height: number;
}

/**
 * The height a message reports, or `undefined` when it is not a well-formed height message
 * (another type, a height that is not a finite number, or a negative one).
 *
 * @example
 * // In the dashboard page:
 * parent.postMessage({ type: HEIGHT_MESSAGE_TYPE, height: document.body.scrollHeight }, embedderOrigin);
 * // In the embedding page:
 * heightFromMessage({ type: 'chartio:height', height: 812 }); // 812
 * heightFromMessage({ type: 'chartio:height', height: -1 }); // undefined
 */
export function heightFromMessage(data: unknown): number | undefined {
  const message = data as Partial<HeightMessage> | null;
  const height = typeof message === 'object' && message?.type === HEIGHT_MESSAGE_TYPE ? message.height : undefined;
  return typeof height === 'number' && height >= 0 && height < Infinity ? height : undefined;
}

/**
 * Posts the page's height to the parent (`chartio:height`) now and whenever it changes, so the
 * element sizes its frame to the dashboard.
 * @module
 */
import { HEIGHT_MESSAGE_TYPE } from '../protocol/frame-messages.js';
import { root } from './dom.js';
import { post } from './parent.js';

/**
 * Posts the height at once and on every change of the root's size (the same height is not posted
 * twice in a row).
 *
 * @example
 * reportHeight();
 */
export function reportHeight(): void {
  let last = -1;
  const postHeight = (): void => {
    const height = Math.ceil(root().getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    post({ type: HEIGHT_MESSAGE_TYPE, height });
  };
  postHeight();
  new ResizeObserver(postHeight).observe(root());
}

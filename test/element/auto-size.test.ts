/**
 * `sizing="auto"`: the dashboard page posts its height; only that frame's window, from the
 * base URL's origin, may resize the element, within bounds.
 */
import { expect } from '@open-wc/testing';
import type { ChartioEmbedElement } from '../../src/element/index.js';
import { HEIGHT_MESSAGE_TYPE } from '../../src/protocol/frame-messages.js';
import { ENDPOINT, baseUrl, frames, isolateEachTest, message, mount, newDashboard, next } from './support/harness.js';

/** The dashboard page's own helper: posts `{ type: 'chartio:height', height }` to its parent. */
function sendHeight(frame: HTMLIFrameElement, height: unknown): void {
  (frame.contentWindow as unknown as { sendHeight(height: unknown): void }).sendHeight(height);
}

/** Posts `height` from `frame` and waits until the element has seen it. */
async function post(element: ChartioEmbedElement, frame: HTMLIFrameElement, height: unknown): Promise<void> {
  const seen = message((data) => data?.type === HEIGHT_MESSAGE_TYPE && Object.is(data.height, height));
  sendHeight(frame, height);
  await seen;
  await element.updateComplete;
}

const heightOf = (element: ChartioEmbedElement) => element.getBoundingClientRect().height;

describe('<chartio-embed sizing="auto">', () => {
  isolateEachTest();

  async function autoSized(more: Record<string, string> = {}): Promise<{ element: ChartioEmbedElement; frame: HTMLIFrameElement }> {
    const id = newDashboard();
    const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id), sizing: 'auto', ...more });
    await next(element, 'chartio-load');
    return { element, frame: frames(element).shown! };
  }

  it('starts at --chartio-embed-height and takes the height the dashboard posts', async () => {
    const { element, frame } = await autoSized();
    expect(heightOf(element)).to.equal(600);
    await post(element, frame, 812);
    expect(heightOf(element)).to.equal(812);
    expect(frame.getBoundingClientRect().height).to.equal(812);
    await post(element, frame, 400.5);
    expect(heightOf(element)).to.equal(400.5);
  });

  it('clamps the height to 10 000 px, or to max-height', async () => {
    const { element, frame } = await autoSized();
    await post(element, frame, 1e9);
    expect(heightOf(element)).to.equal(10_000);
    element.maxHeight = 900;
    await post(element, frame, 1200);
    expect(heightOf(element)).to.equal(900);
  });

  it('ignores heights that are negative, not finite or not numbers, and other messages', async () => {
    const { element, frame } = await autoSized();
    await post(element, frame, 700);
    for (const height of [-1, Number.NaN, Number.POSITIVE_INFINITY, '900', null]) await post(element, frame, height);
    const other = message((data) => data?.type === 'other');
    frame.contentWindow!.parent.postMessage({ type: 'other', height: 900 }, '*');
    await other;
    await element.updateComplete;
    expect(heightOf(element)).to.equal(700);
  });

  it('ignores a height forged by another window of the same origin', async () => {
    const { element, frame } = await autoSized();
    await post(element, frame, 500);
    // The page itself.
    const own = message((data) => data?.height === 901);
    postMessage({ type: HEIGHT_MESSAGE_TYPE, height: 901 }, '*');
    await own;
    // Another frame on the page, serving the very same dashboard page.
    const stranger = document.createElement('iframe');
    stranger.src = frame.src;
    document.body.append(stranger);
    await new Promise((resolve) => stranger.addEventListener('load', resolve, { once: true }));
    const forged = message((data) => data?.height === 902);
    sendHeight(stranger, 902);
    await forged;
    stranger.remove();
    await element.updateComplete;
    expect(heightOf(element)).to.equal(500);
  });

  it('ignores a height from its own frame once that frame shows another origin', async () => {
    const { element, frame } = await autoSized();
    await post(element, frame, 500);
    const other = new URL(frame.src);
    // Same server, another origin: 127.0.0.1 when the tests run on localhost (and back).
    other.hostname = other.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
    other.searchParams.set('post', '903');
    const forged = message((data) => data?.height === 903);
    frame.contentWindow!.location.href = other.href;
    const event = await forged;
    expect(event.source).to.equal(frame.contentWindow);
    expect(event.origin).to.equal(other.origin);
    await element.updateComplete;
    expect(heightOf(element)).to.equal(500);
  });

  it('ignores heights with sizing="fixed" (the default)', async () => {
    const { element, frame } = await autoSized({ sizing: 'fixed' });
    element.style.setProperty('--chartio-embed-height', '450px');
    await post(element, frame, 812);
    expect(heightOf(element)).to.equal(450);
  });
});

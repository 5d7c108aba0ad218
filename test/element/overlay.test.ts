/**
 * The Loading and error overlays are where the viewer looks: an error shows in the CSS height,
 * not in an empty box as tall as the last dashboard (whose height comes back with it), a reconnected element loads in
 * its CSS height, and in an element taller than the screen the message stays in its visible part.
 */
import { expect } from '@open-wc/testing';
import type { ChartioEmbedElement } from '../../src/element/index.js';
import { HEIGHT_MESSAGE_TYPE } from '../../src/protocol/frame-messages.js';
import { ENDPOINT, SESSION, attach, baseUrl, frames, isolateEachTest, message, mount, newDashboard, next, part } from './support/harness.js';

const FORBIDDEN_DASHBOARD = 9403;

/** Where the overlay's message (its slot's default content) is on the screen. */
function messageBox(element: ChartioEmbedElement, name: 'loading' | 'error'): DOMRect {
  const overlay = part(element, name);
  expect(overlay, `the ${name} overlay`).to.not.equal(null);
  const range = document.createRange();
  range.selectNodeContents(overlay!.querySelector('slot')!);
  return range.getBoundingClientRect();
}

/** Asserts that a box is on screen (the viewport), whole. */
function expectOnScreen(box: DOMRect): void {
  expect(box.height, 'the message has a height').to.be.greaterThan(0);
  expect(box.top, 'its top is on screen').to.be.at.least(0);
  expect(box.bottom, 'its bottom is on screen').to.be.at.most(innerHeight);
}

describe('<chartio-embed> overlays in view', () => {
  isolateEachTest();

  afterEach(() => scrollTo(0, 0));

  /** An auto-sized element whose dashboard said it is 1,700 px tall. */
  async function tallAutoSized(): Promise<{ id: number; element: ChartioEmbedElement }> {
    const id = newDashboard();
    const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id), sizing: 'auto' });
    await next(element, 'chartio-load');
    const seen = message((data) => data?.type === HEIGHT_MESSAGE_TYPE && data.height === 1700);
    (frames(element).shown!.contentWindow as unknown as { sendHeight(height: number): void }).sendHeight(1700);
    await seen;
    await element.updateComplete;
    expect(element.getBoundingClientRect().height).to.equal(1700);
    return { id, element };
  }

  it('shows an error after a 1,700 px auto height in the CSS height, its message on screen', async () => {
    const { id, element } = await tallAutoSized();
    expect(innerHeight, 'a screen shorter than the old height').to.be.below(1700 / 2);
    element.setAttribute('base-url', `${baseUrl(id)}?fail=404&s=${SESSION}`);
    expect(await next(element, 'chartio-error')).to.include({ code: 'injected_404' });
    await element.updateComplete;
    expect(element.getBoundingClientRect().height, 'back to --chartio-embed-height').to.equal(600);
    expectOnScreen(messageBox(element, 'error'));
    // Back to the dashboard still on show: its own height again, though it posts none.
    const loaded = next(element, 'chartio-load');
    element.setAttribute('base-url', baseUrl(id));
    await loaded;
    await element.updateComplete;
    expect(part(element, 'error')).to.equal(null);
    expect(element.getBoundingClientRect().height).to.equal(1700);
  });

  it('loads again in the CSS height when reconnected after a 1,700 px auto height', async () => {
    const { element } = await tallAutoSized();
    const parent = element.parentElement!;
    element.remove();
    parent.append(element);
    await element.updateComplete;
    expect(element.getBoundingClientRect().height).to.equal(600);
    expectOnScreen(messageBox(element, 'loading'));
  });

  it('keeps the message in the visible part of an element taller than the screen, scrolled or not', async () => {
    const element = document.createElement('chartio-embed');
    element.style.setProperty('--chartio-embed-height', '1700px');
    for (const [name, value] of Object.entries({ dashboard: String(FORBIDDEN_DASHBOARD), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(FORBIDDEN_DASHBOARD) })) {
      element.setAttribute(name, value);
    }
    const error = next(element, 'chartio-error');
    await attach(element);
    expect(await error).to.include({ code: 'dashboard_not_allowed' });
    await element.updateComplete;
    expect(element.getBoundingClientRect().height).to.equal(1700);
    const top = element.getBoundingClientRect().top + scrollY;
    for (const scrolled of [0, 1100]) {
      scrollTo(0, top + scrolled);
      expect(scrollY, 'the page scrolled').to.equal(top + scrolled);
      const box = messageBox(element, 'error');
      expectOnScreen(box);
      // Within the element too.
      expect(box.bottom).to.be.at.most(element.getBoundingClientRect().bottom);
    }
  });
});

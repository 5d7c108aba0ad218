/**
 * `print()`: the element asks the dashboard page on show (`chartio:print`) to open the print
 * dialog, which the real host's page does through `window.print` (replaced here to see the call:
 * a real one opens a dialog in a headed browser). The frame's default sandbox lets it.
 */
import { expect } from '@open-wc/testing';
import { DEFAULT_SANDBOX } from '../../src/element/index.js';
import { ENDPOINT, frames, hostUrl, isolateEachTest, mount, next, settle, waitUntil } from './support/harness.js';

const OVERVIEW = 38727;

describe('<chartio-embed> print()', () => {
  isolateEachTest();

  it('asks the dashboard on show to print, and says false while none is on show', async () => {
    const element = await mount({ dashboard: String(OVERVIEW), 'token-endpoint': ENDPOINT, 'base-url': hostUrl(OVERVIEW) });
    expect(element.print(), 'nothing on show yet').to.equal(false);
    await next(element, 'chartio-load');
    const frame = frames(element).shown!;
    expect(frame.sandbox.contains('allow-modals'), 'a sandboxed frame may print only with allow-modals').to.equal(true);
    expect(frame.getAttribute('sandbox')).to.equal(DEFAULT_SANDBOX);
    let printed = 0;
    (frame.contentWindow as Window).print = () => void printed++;
    expect(element.print()).to.equal(true);
    await waitUntil(() => printed > 0, 'the page never printed');
    await settle();
    expect(printed).to.equal(1);
  });
});

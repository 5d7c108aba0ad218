/**
 * The frame controller's transitions (src/element/frame-controller.ts), driven directly against
 * the project's real token endpoint and dashboard host (test-server.ts), on the test's fake clock:
 * empty → loading → shown, shown → in place → shown, in place → loading (the page could not update
 * in place), the token on show again, reload, a page that
 * says nothing in time or refuses its token → failed, and disconnect → empty.
 */
import { expect } from '@open-wc/testing';
import type { ReactiveController } from '@lit/reactive-element';
import { FrameController, FRAME_TIMEOUT, type FrameEvents, type FrameHost, type FrameStatus } from '../../src/element/frame-controller.js';
import { embedUrl } from '../../src/protocol/claims.js';
import { ENDPOINT, SESSION, hostUrl, isolateEachTest, settle, waitUntil } from './support/harness.js';

const OVERVIEW = 38727;

/** A token for the overview dashboard from the real endpoint; `foreign`: signed with a secret the host does not know. */
async function tokenFor(filters: Record<string, string | string[]> = {}, foreign = false): Promise<string> {
  const response = await fetch(`${ENDPOINT}${foreign ? '&foreign' : ''}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ dashboard: OVERVIEW, filters }),
  });
  return ((await response.json()) as { token: string }).token;
}

/** A controller over a box in this page, with a host that records its statuses and the controller's events. */
function harness(settings: Partial<Pick<FrameHost, 'frameTimeout' | 'sizing'>> = {}) {
  const box = document.body.appendChild(document.createElement('div'));
  const statuses: FrameStatus[] = [];
  const events: Array<[string, unknown]> = [];
  const controllers: ReactiveController[] = [];
  let frames!: FrameController;
  const host: FrameHost = {
    sandbox: undefined,
    allow: undefined,
    maxHeight: undefined,
    frameTimeout: settings.frameTimeout,
    sizing: settings.sizing,
    addController: (controller) => controllers.push(controller),
    removeController: () => {},
    requestUpdate: () => {
      if (frames && statuses.at(-1) !== frames.status) statuses.push(frames.status);
    },
    updateComplete: Promise.resolve(true),
  };
  const on: FrameEvents = {
    // The data's time differs from run to run: checked to be one, then left out of the comparisons.
    loaded: ({ dataTime, ...detail }) => {
      if (dataTime !== undefined && Number.isNaN(Date.parse(dataTime))) throw new Error(`dataTime is not a time: ${dataTime}`);
      events.push(['loaded', detail]);
    },
    failed: (error) => events.push(['failed', error]),
    refused: (code, status, retryable) => events.push(['refused', { code, status, retryable }]),
    clicked: (detail) => events.push(['clicked', detail]),
    title: () => 'Dashboard under test',
    look: () => '',
  };
  frames = new FrameController(host, () => box, on);
  expect(controllers).to.deep.equal([frames]);
  frames.hostConnected();
  const shown = () => [...box.querySelectorAll('iframe')].filter((frame) => !frame.classList.contains('next'));
  const close = () => {
    frames.hostDisconnected();
    box.remove();
  };
  return { frames, box, statuses, events, shown, close };
}

describe('FrameController: the frame lifecycle', () => {
  const time = isolateEachTest();

  it('starts empty, loads a token in a hidden frame, and is shown when its page says ready', async () => {
    const { frames, statuses, events, box, shown, close } = harness();
    expect(frames.status).to.equal('empty');
    expect(frames.hasFrame).to.equal(false);
    const token = await tokenFor();
    frames.show(embedUrl(hostUrl(OVERVIEW), token), token, false, false, OVERVIEW);
    expect(frames.status).to.equal('loading');
    expect(frames.busy).to.equal(true);
    expect(box.querySelector<HTMLIFrameElement>('iframe.next')!.title).to.equal('Dashboard under test');
    await waitUntil(() => events.length > 0, 'the page never said ready');
    expect(events).to.deep.equal([['loaded', { dashboard: OVERVIEW, reused: false, inPlace: false }]]);
    expect(statuses).to.deep.equal(['loading', 'shown']);
    expect(frames.hasFrame).to.equal(true);
    expect(frames.busy).to.equal(false);
    expect(shown().length).to.equal(1);
    expect(time.pending, 'no timer left once shown').to.deep.equal([]);
    close();
  });

  it('updates the page on show in place for another token of it, then shows it', async () => {
    const { frames, statuses, events, shown, close } = harness();
    const first = await tokenFor();
    frames.show(embedUrl(hostUrl(OVERVIEW), first), first, false, false, OVERVIEW);
    await waitUntil(() => events.length > 0, 'the page never said ready');
    const frame = shown()[0];
    const second = await tokenFor({ USER_ID: '3' });
    frames.show(embedUrl(hostUrl(OVERVIEW), second), second, false, false, OVERVIEW);
    expect(frames.status).to.equal('in place');
    expect(time.pending, 'the page has the frame timeout to answer').to.deep.equal([FRAME_TIMEOUT]);
    await waitUntil(() => events.length > 1, 'the page never answered in place');
    expect(events[1]).to.deep.equal(['loaded', { dashboard: OVERVIEW, reused: false, inPlace: true }]);
    expect(statuses).to.deep.equal(['loading', 'shown', 'in place', 'shown']);
    expect(shown(), 'the same frame, not a new one').to.deep.equal([frame]);
    close();
  });

  it('loads the token\'s URL in a new frame when the page on show cannot update in place', async () => {
    const { frames, statuses, events, shown, close } = harness();
    const first = await tokenFor({ REGION: `${SESSION}-a` });
    frames.show(embedUrl(hostUrl(OVERVIEW), first), first, false, false, OVERVIEW);
    await waitUntil(() => events.length > 0, 'the page never said ready');
    const frame = shown()[0];
    // The host's data route answers 503 for this token (test-server.ts): the page says so in place.
    const second = await tokenFor({ REGION: `${SESSION}-fail-data` });
    frames.show(embedUrl(hostUrl(OVERVIEW), second), second, false, false, OVERVIEW);
    await waitUntil(() => events.length > 1, 'the new frame never said ready');
    expect(events[1]).to.deep.equal(['loaded', { dashboard: OVERVIEW, reused: false, inPlace: false }]);
    expect(statuses).to.deep.equal(['loading', 'shown', 'in place', 'loading', 'shown']);
    expect(shown()).to.have.length(1);
    expect(shown()[0]).to.not.equal(frame);
    close();
  });

  it('says loaded at once for the token on show, and reloads it in a new frame on reload()', async () => {
    const { frames, statuses, events, shown, close } = harness();
    expect(frames.reload(), 'nothing to reload yet').to.equal(false);
    const token = await tokenFor();
    const src = embedUrl(hostUrl(OVERVIEW), token);
    frames.show(src, token, false, false, OVERVIEW);
    await waitUntil(() => events.length > 0, 'the page never said ready');
    const first = shown()[0];
    frames.show(src, token, true, false, OVERVIEW);
    expect(events[1]).to.deep.equal(['loaded', { dashboard: OVERVIEW, reused: true, inPlace: true }]);
    expect(frames.status).to.equal('shown');
    expect(frames.reload()).to.equal(true);
    expect(frames.status).to.equal('loading');
    await waitUntil(() => events.length > 2, 'the reloaded page never said ready');
    expect(events[2]).to.deep.equal(['loaded', { dashboard: OVERVIEW, reused: true, inPlace: false }]);
    expect(statuses).to.deep.equal(['loading', 'shown', 'loading', 'shown']);
    expect(shown().length).to.equal(1);
    expect(shown()[0], 'a new frame took the place of the old one').to.not.equal(first);
    close();
  });

  it('fails with frame_timeout when the page says nothing by the frame timeout, and drops its frame', async () => {
    const { frames, statuses, events, box, close } = harness({ frameTimeout: 5000 });
    const token = await tokenFor();
    // A page that never answers (until the session is reset).
    frames.show(embedUrl(`${location.origin}/hang/${SESSION}`, token), token, false, false, OVERVIEW);
    await settle();
    time.tick(4999);
    expect(frames.status).to.equal('loading');
    time.tick(1);
    expect(frames.status).to.equal('failed');
    expect(events).to.deep.equal([['failed', { phase: 'frame', code: 'frame_timeout', message: 'The dashboard did not load in time' }]]);
    expect(statuses).to.deep.equal(['loading', 'failed']);
    expect(box.querySelector('iframe')).to.equal(null);
    expect(frames.reload(), 'a failed first page leaves nothing to reload').to.equal(false);
    close();
  });

  it('fails and hands over the host\'s refusal of a token (chartio:error), for the element to renew, retry or report', async () => {
    const { frames, statuses, events, box, close } = harness();
    const token = await tokenFor({}, true);
    frames.show(embedUrl(hostUrl(OVERVIEW), token), token, false, false, OVERVIEW);
    await waitUntil(() => events.length > 0, 'the page never answered');
    expect(events).to.deep.equal([['refused', { code: 'token_signature', status: 401, retryable: false }]]);
    expect(statuses).to.deep.equal(['loading', 'failed']);
    expect(box.querySelector('iframe')).to.equal(null);
    close();
  });

  it('is empty again once its host is disconnected, with no frame and no timer left', async () => {
    const { frames, box, close } = harness();
    const token = await tokenFor();
    frames.show(embedUrl(hostUrl(OVERVIEW), token), token, false, false, OVERVIEW);
    expect(box.querySelectorAll('iframe').length).to.equal(1);
    frames.hostDisconnected();
    expect(frames.status).to.equal('empty');
    expect(frames.height).to.equal(undefined);
    expect(box.querySelectorAll('iframe').length).to.equal(0);
    expect(time.pending).to.deep.equal([]);
    close();
  });
});

/**
 * Self-healing tokens: when the dashboard host refuses the token in hand with a code a token
 * issued now can fix (`token_key_unknown` after a key rotation, `token_expired`, `token_revoked`),
 * the element asks the real endpoint once for a fresh one (`"fresh": true`, past the page's cache
 * and the signer's reuse window) and shows it, with no error; at most once per filter set per
 * minute, and the refusal is reported when the fresh token is refused too. The session's
 * dashboard pages verify with the real verifier, with the keys and cut-off the test sets.
 */
import { expect } from '@open-wc/testing';
import {
  ENDPOINT,
  SESSION,
  baseUrl,
  claimsOf,
  control,
  frames,
  isolateEachTest,
  mount,
  newDashboard,
  next,
  received,
  receivedAtLeast,
  record,
  settle,
} from './support/harness.js';

/** Ten-minute tokens from a signer eleven minutes behind: expired as soon as they are signed. */
const EXPIRED_AT_ONCE = { ttl: 600, skew: -660_000 };

describe('<chartio-embed> renews a token the host refuses', () => {
  const time = isolateEachTest();

  /** An element on this session's dashboard page (its keys, its cut-off), with filters. */
  async function embed(filters: Record<string, string> = {}) {
    const id = newDashboard();
    const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': `${baseUrl(id)}?s=${SESSION}`, ...filters });
    return { id, element };
  }

  /** The token requests' bodies, as the endpoint received them. */
  const bodies = async () => (await received()).map((request) => request.body);

  it('after a key rotation\'s last step, shows filters seen before with one fresh token and no error', async () => {
    await control({ kid: 'old', hostKids: ['old'] });
    const { id, element } = await embed({ 'filter-region': 'north' });
    await next(element, 'chartio-load');
    element.setAttribute('filter-region', 'south');
    await next(element, 'chartio-load');
    // Signers now sign with the new key; hosts have dropped the old one. North's token, signed
    // with the old key, is still in the page's cache.
    await control({ kid: 'new', hostKids: ['new'] });
    const events = record(element, 'chartio-token', 'chartio-load', 'chartio-error');
    const loaded = next(element, 'chartio-load');
    element.setAttribute('filter-region', 'north');
    await loaded;
    expect(events.map((event) => event.type)).to.deep.equal(['chartio-token', 'chartio-token', 'chartio-load']);
    expect(events[0]!.detail).to.deep.include({ reused: true });
    expect(events[0]!.detail).to.not.have.property('renewal');
    expect(events[1]!.detail).to.deep.include({ reused: false, renewal: 'token_key_unknown' });
    expect(await bodies()).to.deep.equal([
      { dashboard: id, filters: { REGION: 'north' } },
      { dashboard: id, filters: { REGION: 'south' } },
      { dashboard: id, filters: { REGION: 'north' }, fresh: true },
    ]);
    expect(claimsOf(frames(element).shown!)!.env).to.include({ REGION: 'north' });
    // Nothing more: no retry timer, no further request.
    time.tick(120_000);
    await settle();
    expect(await received()).to.have.length(3);
  });

  it('replaces a token the host finds expired with a fresh one', async () => {
    await control({ ...EXPIRED_AT_ONCE, hold: true });
    const { id, element } = await embed();
    const events = record(element, 'chartio-token', 'chartio-load', 'chartio-error');
    await receivedAtLeast(1);
    await control({ release: 0 });
    // The page refused it (token_expired): the element asks again, fresh. The signer's clock is
    // put right before that request is answered.
    const requests = await receivedAtLeast(2);
    expect(requests[1]!.body).to.deep.equal({ dashboard: id, filters: {}, fresh: true });
    await control({ skew: 0 });
    const loaded = next(element, 'chartio-load');
    await control({ release: 1 });
    await loaded;
    expect(events.map((event) => event.type)).to.deep.equal(['chartio-token', 'chartio-token', 'chartio-load']);
    expect(events[1]!.detail).to.deep.include({ reused: false, renewal: 'token_expired' });
    expect(claimsOf(frames(element).shown!)).to.include({ dashboard: id });
  });

  it('replaces a token issued before a revocation cut-off with one issued now, though the reuse window would give the old one', async () => {
    // North's token is issued 400 s ago (within its hour: not expired), then kept in the page.
    await control({ skew: -400_000 });
    const { id, element } = await embed({ 'filter-region': 'north' });
    await next(element, 'chartio-load');
    element.setAttribute('filter-region', 'south');
    await next(element, 'chartio-load');
    await control({ skew: 0, revokedBefore: Math.floor(Date.now() / 1000) - 10 });
    const events = record(element, 'chartio-token', 'chartio-load', 'chartio-error');
    const loaded = next(element, 'chartio-load');
    element.setAttribute('filter-region', 'north');
    await loaded;
    expect(events.map((event) => event.type)).to.deep.equal(['chartio-token', 'chartio-token', 'chartio-load']);
    expect(events[1]!.detail).to.deep.include({ renewal: 'token_revoked' });
    expect((await bodies())[2]).to.deep.equal({ dashboard: id, filters: { REGION: 'north' }, fresh: true });
    expect(claimsOf(frames(element).shown!)!.env).to.include({ REGION: 'north' });
  });

  it('renews at most once per filter set per minute, and reports the refusal when the fresh token is refused too', async () => {
    await control(EXPIRED_AT_ONCE);
    const { id, element } = await embed({ 'filter-region': 'north' });
    const events = record(element, 'chartio-token', 'chartio-load', 'chartio-error');
    const error = await next(element, 'chartio-error');
    expect(error).to.deep.equal({ phase: 'frame', code: 'token_expired', status: 401, message: 'The dashboard host answered 401 token_expired' });
    expect(events.map((event) => event.type)).to.deep.equal(['chartio-token', 'chartio-token', 'chartio-error']);
    expect(events[1]!.detail).to.deep.include({ renewal: 'token_expired' });
    const fresh = async () => (await bodies()).map((body) => (body as { fresh?: boolean }).fresh === true);
    expect(await fresh()).to.deep.equal([false, true]);

    // Another filter set has a renewal of its own.
    element.setAttribute('filter-region', 'south');
    await next(element, 'chartio-error');
    expect(await fresh()).to.deep.equal([false, true, false, true]);
    // North again within the minute: refused, reported, not renewed.
    time.tick(59_999);
    element.setAttribute('filter-region', 'north');
    await next(element, 'chartio-error');
    expect(await fresh()).to.deep.equal([false, true, false, true, false]);
    // A minute after north's renewal, it may be renewed once more.
    time.tick(1);
    element.refresh();
    await next(element, 'chartio-error');
    expect(await fresh()).to.deep.equal([false, true, false, true, false, false, true]);
    expect((await bodies()).at(-1)).to.deep.equal({ dashboard: id, filters: { REGION: 'north' }, fresh: true });
    // No loop: nothing more happens by itself.
    time.tick(600_000);
    await settle();
    expect(await received()).to.have.length(7);
  });

  it('does not renew a refusal a fresh token cannot fix (a token signed with another secret)', async () => {
    const id = newDashboard();
    const element = await mount({ dashboard: String(id), 'token-endpoint': `${ENDPOINT}&foreign`, 'base-url': `${baseUrl(id)}?s=${SESSION}` });
    expect(await next(element, 'chartio-error')).to.include({ code: 'token_signature', status: 401 });
    time.tick(120_000);
    await settle();
    expect(await received()).to.have.length(1);
  });
});

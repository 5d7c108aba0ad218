/**
 * Load handled, not suffered: each data source's runs go through a bounded queue; when it is
 * full a new token gets 503 with Retry-After (page and data route alike) at once, one whose turn
 * does not come within `maxWaitMs` gets it then, while cached pages never wait behind it. Over
 * real HTTP with the demo dataset in a real DuckDB; the queue's own clock under the test runner's
 * mock timers.
 */
import assert from 'node:assert/strict';
import { after, before, mock, test } from 'node:test';
import type { DataSource } from '../../src/host/index.js';
import { HostOptionsError } from '../../src/host/host-options.js';
import { RunQueue } from '../../src/host/sources/run-queue.js';
import { dashboardPath, gatedDatabase, manualClock, openDemoDatabase, OVERVIEW, serveHost, signToken } from './helpers/host-fixtures.js';

let database: DataSource;
before(async () => {
  database = await openDemoDatabase();
});
after(() => database.close());

test('RunQueue: at most `concurrency` at once, `maxQueued` waiting, in order; forced places ignore the bound', async () => {
  const queue = new RunQueue({ concurrency: 1, maxQueued: 1 });
  const order: string[] = [];
  let finishFirst!: () => void;
  const blocker = new Promise<void>((resolve) => (finishFirst = resolve));
  const first = queue.reserve()!.run(async () => {
    await blocker;
    order.push('first');
  });
  const second = queue.reserve()!.run(async () => void order.push('second'));
  assert.equal(queue.reserve(), undefined, 'full: one running, one waiting');
  assert.deepEqual(queue.counts(), { running: 1, queued: 1, refused: 1, timedOut: 0 });
  const forced = queue.reserve(true)!.run(async () => void order.push('forced'));
  finishFirst();
  await Promise.all([first, second, forced]);
  assert.deepEqual(order, ['first', 'second', 'forced']);
  assert.deepEqual(queue.counts(), { running: 0, queued: 0, refused: 1, timedOut: 0 });
  const unused = queue.reserve()!;
  unused.cancel();
  unused.cancel();
  assert.ok(queue.reserve() && queue.reserve(), 'a cancelled place is given back once');
  assert.throws(() => new RunQueue({ concurrency: 0 }), /queue\.concurrency must be an integer ≥ 1/);
  assert.throws(() => new RunQueue({ maxWaitMs: 0 }), /queue\.maxWaitMs must be an integer ≥ 1/);
});

test('a bad queue bound in the host options is refused, named by its field', async () => {
  const clock = manualClock();
  await assert.rejects(
    serveHost({ database, now: clock.now, queues: { default: { maxWaitMs: 0 } } }),
    (error: unknown) => error instanceof HostOptionsError && /^queues\.default\.maxWaitMs must be an integer ≥ 1, got 0$/.test(error.message),
  );
  await assert.rejects(serveHost({ database, now: clock.now, queue: { maxWaitMs: 2.5 } }), /^HostOptionsError: queue\.maxWaitMs must be an integer ≥ 1, got 2\.5$/);
});

test('RunQueue: a turn not come within maxWaitMs is refused then, its place given back; one that comes in time runs', async (t) => {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  const queue = new RunQueue({ concurrency: 1, maxQueued: 2, maxWaitMs: 3_000 });
  assert.equal(new RunQueue().maxWaitMs, 3_000, 'the default bound is 3 s');
  const first = queue.reserve()!;
  assert.equal(await first.turn(), true, 'a free slot: the turn comes at once');
  let finishFirst!: () => void;
  const running = first.run(() => new Promise<void>((resolve) => (finishFirst = resolve)));

  const late = queue.reserve()!;
  let lateTurn: boolean | undefined;
  const lateSettled = late.turn().then((came) => (lateTurn = came));
  mock.timers.tick(2_999);
  await Promise.resolve();
  assert.equal(lateTurn, undefined, 'still waiting just before the bound');
  assert.deepEqual(queue.counts(), { running: 1, queued: 1, refused: 0, timedOut: 0 });
  mock.timers.tick(1);
  await lateSettled;
  assert.equal(lateTurn, false, 'refused at the bound');
  assert.deepEqual(queue.counts(), { running: 1, queued: 0, refused: 1, timedOut: 1 }, 'its place is given back');
  await assert.rejects(late.run(async () => 1), /a queue ticket runs once/);

  const inTime = queue.reserve()!;
  const inTimeTurn = inTime.turn();
  mock.timers.tick(1_000);
  finishFirst();
  await running;
  assert.equal(await inTimeTurn, true, 'the turn came before the bound');
  mock.timers.tick(5_000);
  assert.deepEqual(queue.counts(), { running: 1, queued: 0, refused: 1, timedOut: 1 }, 'a turn that came is held, whatever the clock');
  assert.equal(await inTime.run(async () => 'ran'), 'ran');
  const cancelled = queue.reserve()!;
  assert.equal(await cancelled.turn(), true);
  cancelled.cancel();
  assert.deepEqual(queue.counts(), { running: 0, queued: 0, refused: 1, timedOut: 1 }, 'a turn given up unused frees the slot');
});

test('a full queue: 503 with Retry-After for new tokens, cached pages at once, and work resumes after', async () => {
  const gate = gatedDatabase(database);
  const clock = manualClock();
  const served = await serveHost({ database: gate.database, now: clock.now, queue: { concurrency: 1, maxQueued: 1, maxWaitMs: 60_000, retryAfterSeconds: 3 } });
  try {
    const [cached, running, waiting, refused, refusedData] = await Promise.all(
      ['1', '2', '3', '4', '5'].map((account) => signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: account } })),
    );
    gate.release();
    await served.get(dashboardPath(OVERVIEW, cached!));
    gate.rearm();

    const first = await fetch(served.origin + dashboardPath(OVERVIEW, running!));
    const firstBody = first.body!.getReader();
    await firstBody.read(); // Loading: its place is taken
    await gate.held(); // and its queries run (held at the gate)
    // Queued behind the first: its answer starts only when its turn comes.
    const second = fetch(served.origin + dashboardPath(OVERVIEW, waiting!));
    await until(() => served.host.stats().runsQueued === 1);

    const busy = await served.get(dashboardPath(OVERVIEW, refused!));
    assert.equal(busy.status, 503);
    assert.equal(busy.headers.get('retry-after'), '3');
    assert.match(busy.text, /data-code="queue_full"/);
    const busyData = await fetch(`${served.origin}/d/${OVERVIEW}/data`, { headers: { authorization: `Bearer ${refusedData}` } });
    assert.equal(busyData.status, 503);
    assert.equal(busyData.headers.get('retry-after'), '3');
    assert.deepEqual((await busyData.json()).error, {
      code: 'queue_full',
      status: 503,
      retryable: true,
      message: 'Too many new dashboards are being prepared right now; this one will load when you try again.',
    });

    const hit = await served.get(dashboardPath(OVERVIEW, cached!));
    assert.equal(hit.status, 200, 'a cached page does not wait behind the queue');
    assert.ok(!hit.text.includes('Loading…'));
    let stats = served.host.stats();
    assert.deepEqual([stats.runsRunning, stats.runsQueued, stats.queueFull, stats.queryRuns], [1, 1, 2, 2]);

    gate.release();
    const secondBody = (await second).body!.getReader();
    for (const reader of [firstBody, secondBody]) while (!(await reader.read()).done);
    const again = await served.get(dashboardPath(OVERVIEW, refused!));
    assert.equal(again.status, 200, 'the refused token loads once there is room');
    stats = served.host.stats();
    assert.deepEqual([stats.runsRunning, stats.runsQueued, stats.queueFull], [0, 0, 2]);
  } finally {
    await served.close();
  }
});

test('a turn not come within maxWaitMs: 503 with Retry-After for the page, the data route and a download; cached pages at once', async () => {
  const gate = gatedDatabase(database);
  const clock = manualClock();
  // A real 200 ms bound: the requests below wait for it over real HTTP.
  const served = await serveHost({ database: gate.database, now: clock.now, queue: { concurrency: 1, maxQueued: 10, retryAfterSeconds: 4 }, queues: { default: { maxWaitMs: 200 } } });
  try {
    const [cached, running, late, lateData, lateDownload] = await Promise.all(
      ['1', '2', '3', '4', '5'].map((account) => signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: account } })),
    );
    gate.release();
    await served.get(dashboardPath(OVERVIEW, cached!));
    gate.rearm();
    const first = await fetch(served.origin + dashboardPath(OVERVIEW, running!));
    const firstBody = first.body!.getReader();
    await gate.held(); // its queries hold the only slot

    const [page, data, download] = await Promise.all([
      served.get(dashboardPath(OVERVIEW, late!)),
      fetch(`${served.origin}/d/${OVERVIEW}/data`, { headers: { authorization: `Bearer ${lateData}` } }),
      fetch(`${served.origin}/d/${OVERVIEW}/charts/5.csv`, { headers: { authorization: `Bearer ${lateDownload}` } }),
    ]);
    assert.equal(page.status, 503);
    assert.equal(page.headers.get('retry-after'), '4');
    assert.match(page.text, /data-code="queue_full"/);
    assert.ok(!page.text.includes('Loading…'), 'refused before the page began');
    assert.equal(data.status, 503);
    assert.equal(data.headers.get('retry-after'), '4');
    assert.match((await data.json()).error.message, /waited too long for its turn/);
    assert.equal(download.status, 503);
    assert.equal(download.headers.get('retry-after'), '4');
    assert.equal((await download.json()).error.code, 'queue_full');

    const hit = await served.get(dashboardPath(OVERVIEW, cached!));
    assert.equal(hit.status, 200, 'a cached page never waits in the queue');
    const stats = served.host.stats();
    assert.deepEqual([stats.runsRunning, stats.runsQueued, stats.queueFull], [1, 0, 3]);

    gate.release();
    while (!(await firstBody.read()).done);
    assert.equal((await served.get(dashboardPath(OVERVIEW, late!))).status, 200, 'the refused token loads once its turn comes in time');
  } finally {
    await served.close();
  }
});

/** Waits (yielding to the event loop, bounded) until `condition` holds: for a state the host reaches on its own. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(condition(), 'the host never reached the awaited state');
}

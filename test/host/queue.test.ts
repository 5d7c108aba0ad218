/**
 * Load handled, not suffered: each data source's runs go through a bounded queue; when it is
 * full a new token gets 503 with Retry-After (page and data route alike) at once, while cached
 * pages never wait behind it. Over real HTTP with the demo dataset in a real DuckDB.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DataSource } from '../../src/host/index.js';
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
  assert.deepEqual(queue.counts(), { running: 1, queued: 1, refused: 1 });
  const forced = queue.reserve(true)!.run(async () => void order.push('forced'));
  finishFirst();
  await Promise.all([first, second, forced]);
  assert.deepEqual(order, ['first', 'second', 'forced']);
  assert.deepEqual(queue.counts(), { running: 0, queued: 0, refused: 1 });
  const unused = queue.reserve()!;
  unused.cancel();
  unused.cancel();
  assert.ok(queue.reserve() && queue.reserve(), 'a cancelled place is given back once');
  assert.throws(() => new RunQueue({ concurrency: 0 }), /queue\.concurrency must be an integer ≥ 1/);
});

test('a full queue: 503 with Retry-After for new tokens, cached pages at once, and work resumes after', async () => {
  const gate = gatedDatabase(database);
  const clock = manualClock();
  const served = await serveHost({ database: gate.database, now: clock.now, queue: { concurrency: 1, maxQueued: 1, retryAfterSeconds: 3 } });
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
    const second = await fetch(served.origin + dashboardPath(OVERVIEW, waiting!));
    const secondBody = second.body!.getReader();
    await secondBody.read(); // Loading: queued behind the first

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
    for (const reader of [firstBody, secondBody]) while (!(await reader.read()).done);
    const again = await served.get(dashboardPath(OVERVIEW, refused!));
    assert.equal(again.status, 200, 'the refused token loads once there is room');
    stats = served.host.stats();
    assert.deepEqual([stats.runsRunning, stats.runsQueued, stats.queueFull], [0, 0, 2]);
  } finally {
    await served.close();
  }
});

/**
 * A bounded queue of dashboard runs for one data source: at most `concurrency` runs at once,
 * `maxQueued` more waiting their turn, and none waiting longer than `maxWaitMs`. A run that finds
 * the queue full is refused at once, and one whose turn has not come within `maxWaitMs` is
 * refused then (the host answers both with 503 and `Retry-After`), so work never piles up behind a
 * database without bound, in number or in time, and a cached page, which needs no run, never
 * waits in it.
 * @module
 */

/** Bounds of one data source's queue. */
export interface QueueOptions {
  /** Dashboard runs at once on this data source (default 4); each runs its charts' queries together. */
  concurrency?: number;
  /** Runs waiting their turn, beyond those running (default 64); one more is refused. */
  maxQueued?: number;
  /**
   * Milliseconds a run may wait for its turn (default 3 000): one not started by then is refused
   * (503 with `Retry-After`), so in a storm the slowest answer stays near `maxWaitMs` plus one run.
   */
  maxWaitMs?: number;
}

/** A place in the queue, taken before the answer starts so a refusal can still be a 503. */
export interface QueueTicket {
  /**
   * Waits for the ticket's turn, at most the queue's `maxWaitMs`: `true` when its run may start
   * now (the turn is held until `run` settles or `cancel`), `false` when the time ran out (the
   * place is then given up and counted as refused).
   */
  turn(): Promise<boolean>;
  /** Runs `work` at the ticket's turn (unbounded in time unless `turn()` came first), and gives the place up when it settles. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Gives the place (and the turn, if it came) up unused (the run happened elsewhere). */
  cancel(): void;
}

/** Counters of a queue. */
export interface QueueCounts {
  running: number;
  queued: number;
  /** Runs refused: because the queue was full, or because their turn did not come within `maxWaitMs`. */
  refused: number;
  /** Of `refused`, those whose turn did not come within `maxWaitMs`. */
  timedOut: number;
}

/** One ticket's way through the queue. */
type Stage = 'reserved' | 'waiting' | 'holding' | 'done';

/**
 * One data source's run queue.
 *
 * @example
 * const queue = new RunQueue({ concurrency: 4, maxQueued: 64, maxWaitMs: 3_000 });
 * const ticket = queue.reserve();
 * if (!ticket || !(await ticket.turn())) return busy(); // 503 + Retry-After
 * const page = await ticket.run(() => runDashboard(…));
 */
export class RunQueue {
  readonly concurrency: number;
  readonly maxQueued: number;
  readonly maxWaitMs: number;
  /** Tickets taken, running or not: what the count bound applies to. */
  #taken = 0;
  /** Turns held: runs under way, and turns granted to tickets about to run. */
  #running = 0;
  #refused = 0;
  #timedOut = 0;
  /** Tickets waiting their turn, first come first served. */
  readonly #turns: (() => void)[] = [];

  constructor(options: QueueOptions = {}) {
    this.concurrency = bound(options.concurrency ?? 4, 'concurrency', 1);
    this.maxQueued = bound(options.maxQueued ?? 64, 'maxQueued', 0);
    this.maxWaitMs = bound(options.maxWaitMs ?? 3_000, 'maxWaitMs', 1);
  }

  /**
   * A place in the queue, or `undefined` when it is full. `force` takes one whatever the bound:
   * for a run taken over from another instance, whose viewers already wait.
   */
  reserve(force = false): QueueTicket | undefined {
    if (!force && this.#taken >= this.concurrency + this.maxQueued) {
      this.#refused++;
      return undefined;
    }
    this.#taken++;
    let stage: Stage = 'reserved';
    /** Resolves when the turn comes; set while waiting. */
    let granted: Promise<void> | undefined;
    let leave: (() => void) | undefined;
    const finish = () => {
      if (stage === 'done') return;
      if (stage === 'holding') this.#release();
      if (stage === 'waiting') leave?.();
      stage = 'done';
      this.#taken--;
    };
    const wait = (): Promise<void> => {
      if (stage !== 'reserved') return granted ?? Promise.resolve();
      stage = 'waiting';
      if (this.#running < this.concurrency) {
        this.#running++;
        stage = 'holding';
        return (granted = Promise.resolve());
      }
      granted = new Promise<void>((resolve) => {
        const grant = () => {
          this.#running++;
          stage = 'holding';
          resolve();
        };
        this.#turns.push(grant);
        leave = () => {
          const index = this.#turns.indexOf(grant);
          if (index >= 0) this.#turns.splice(index, 1);
        };
      });
      return granted;
    };
    return {
      turn: async () => {
        if (stage === 'done') throw new Error('a queue ticket runs once');
        const turn = wait();
        if (stage === 'holding') return true;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const late = new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), this.maxWaitMs);
        });
        const came = await Promise.race([turn.then(() => true as const), late]);
        clearTimeout(timer);
        if (came) return true;
        this.#refused++;
        this.#timedOut++;
        finish();
        return false;
      },
      run: async <T>(work: () => Promise<T>): Promise<T> => {
        if (stage === 'done') throw new Error('a queue ticket runs once');
        await wait();
        try {
          return await work();
        } finally {
          finish();
        }
      },
      cancel: finish,
    };
  }

  counts(): QueueCounts {
    return { running: this.#running, queued: this.#turns.length, refused: this.#refused, timedOut: this.#timedOut };
  }

  /** Gives a turn up: to the next ticket waiting, if any. */
  #release(): void {
    this.#running--;
    this.#turns.shift()?.();
  }
}

function bound(value: unknown, name: string, min: number): number {
  if (!Number.isSafeInteger(value) || (value as number) < min) throw new TypeError(`queue.${name} must be an integer ≥ ${min}, got ${String(value)}`);
  return value as number;
}

/**
 * A bounded queue of dashboard runs for one data source: at most `concurrency` runs at once and
 * `maxQueued` more waiting their turn. A run that finds it full is refused at once (the host
 * answers 503 with `Retry-After`), so work never piles up behind a database without bound, and a
 * cached page, which needs no run, never waits in it.
 * @module
 */

/** Bounds of one data source's queue. */
export interface QueueOptions {
  /** Dashboard runs at once on this data source (default 4); each runs its charts' queries together. */
  concurrency?: number;
  /** Runs waiting their turn, beyond those running (default 64); one more is refused. */
  maxQueued?: number;
}

/** A place in the queue, taken before the answer starts so a refusal can still be a 503. */
export interface QueueTicket {
  /** Runs `work` when the ticket's turn comes, and gives the place up when it settles. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Gives the place up unused (the run happened elsewhere). */
  cancel(): void;
}

/** Counters of a queue. */
export interface QueueCounts {
  running: number;
  queued: number;
  /** Runs refused because the queue was full. */
  refused: number;
}

/**
 * One data source's run queue.
 *
 * @example
 * const queue = new RunQueue({ concurrency: 4, maxQueued: 64 });
 * const ticket = queue.reserve();
 * if (!ticket) return busy(); // 503 + Retry-After
 * const page = await ticket.run(() => runDashboard(…));
 */
export class RunQueue {
  readonly concurrency: number;
  readonly maxQueued: number;
  /** Tickets taken, running or not: what the bound applies to. */
  #taken = 0;
  #running = 0;
  #refused = 0;
  readonly #turns: (() => void)[] = [];

  constructor(options: QueueOptions = {}) {
    this.concurrency = bound(options.concurrency ?? 4, 'concurrency', 1);
    this.maxQueued = bound(options.maxQueued ?? 64, 'maxQueued', 0);
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
    let used = false;
    const give = () => {
      if (used) return;
      used = true;
      this.#taken--;
    };
    return {
      run: async <T>(work: () => Promise<T>): Promise<T> => {
        if (used) throw new Error('a queue ticket runs once');
        await this.#turn();
        try {
          return await work();
        } finally {
          this.#running--;
          give();
          this.#turns.shift()?.();
        }
      },
      cancel: give,
    };
  }

  counts(): QueueCounts {
    return { running: this.#running, queued: this.#turns.length, refused: this.#refused };
  }

  /** Resolves when a run may start (at once while fewer than `concurrency` run). */
  #turn(): Promise<void> {
    if (this.#running < this.concurrency) {
      this.#running++;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.#turns.push(() => {
        this.#running++;
        resolve();
      }),
    );
  }
}

function bound(value: unknown, name: string, min: number): number {
  if (!Number.isSafeInteger(value) || (value as number) < min) throw new TypeError(`queue.${name} must be an integer ≥ ${min}, got ${String(value)}`);
  return value as number;
}

/**
 * A small bounded memo of pending or settled results, least recently used out first. The signer
 * keeps its recent tokens here so signing the same payload again costs a Map lookup, and
 * concurrent identical calls share one promise.
 * @module
 */

/** How many distinct recent payloads a signer remembers by default. */
export const DEFAULT_REUSE_MEMO_SIZE = 1_000;

/**
 * A bounded map from a key to a promise. A hit moves the entry to the most recent end; an insert
 * beyond `capacity` drops the least recently used entry; a promise whose work failed is dropped
 * (so a failure is never served again) unless a newer one already took its place: `create` is
 * handed a `forget` to call when it fails. (Watching every promise with `.catch` instead cost a
 * promise, a reaction and a microtask per entry, on the path of every token signed.)
 *
 * @example
 * const memo = new ReuseMemo<string>(2);
 * const a = memo.getOrCreate('a', () => Promise.resolve('A'));
 * memo.getOrCreate('a', () => Promise.resolve('other')) === a; // true: served from the memo
 */
export class ReuseMemo<V> {
  readonly #entries = new Map<string, Promise<V>>();
  readonly #capacity: number;
  #lastHit = false;

  constructor(capacity = DEFAULT_REUSE_MEMO_SIZE) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError('a ReuseMemo needs a capacity of at least 1');
    this.#capacity = capacity;
  }

  /** How many entries are held now (at most the capacity). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Whether the last {@link getOrCreate} served a kept promise (`true`) or called `create`.
   * Read right after the call, before anything else can call it again.
   *
   * @example
   * const token = memo.getOrCreate(key, sign);
   * const reused = memo.lastHit;
   */
  get lastHit(): boolean {
    return this.#lastHit;
  }

  /**
   * The promise kept under `key`, or the one `create(forget)` returns, which is then kept.
   * `create` must call `forget()` when its work fails (before or after it returns): the promise
   * is then not kept, or dropped if it still is.
   *
   * @example
   * await memo.getOrCreate(`${dashboard}:${envKey}`, (forget) => signFresh(dashboard, env).catch((error) => { forget(); throw error; }));
   */
  getOrCreate(key: string, create: (forget: () => void) => Promise<V>): Promise<V> {
    const entries = this.#entries;
    const hit = entries.get(key);
    this.#lastHit = hit !== undefined;
    if (hit !== undefined) {
      // Re-insert so Map order stays least-recently-used first.
      entries.delete(key);
      entries.set(key, hit);
      return hit;
    }
    let pending: Promise<V> | undefined;
    let failed = false;
    pending = create(() => {
      if (pending === undefined) failed = true; // failed before create returned: never kept
      else if (entries.get(key) === pending) entries.delete(key);
    });
    if (failed) return pending;
    entries.set(key, pending);
    if (entries.size > this.#capacity) entries.delete(entries.keys().next().value as string);
    return pending;
  }
}

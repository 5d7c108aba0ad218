/**
 * The `auto-refresh` attribute: every so many seconds (at least {@link MIN_AUTO_REFRESH_SECONDS})
 * the element calls its own `refresh()`, which shows fresh data in place. Paused while the tab is
 * hidden (`document.visibilityState`): a dashboard nobody sees costs its database nothing; on
 * show it refreshes at once if its time came meanwhile, else when it comes. Time comes from the
 * element's clock (clock.ts), so tests control it.
 * @module
 */
import { clock } from './clock.js';

/** The shortest interval: more often would mostly meet the host's once-per-10-s refresh bound. */
export const MIN_AUTO_REFRESH_SECONDS = 30;

/**
 * One element's auto-refresh timer.
 *
 * @example
 * const auto = new AutoRefresh(() => element.refresh());
 * auto.connect();
 * auto.set(60); // refresh() every minute while the tab is visible
 * auto.disconnect();
 */
export class AutoRefresh {
  readonly #refresh: () => void;
  #seconds = 0;
  /** The `clock` time of the last refresh (or of the start): the next one is due an interval later. */
  #last = 0;
  #timer: unknown;
  #connected = false;

  constructor(refresh: () => void) {
    this.#refresh = refresh;
  }

  /**
   * The attribute's value: seconds, or nothing (off). Below the minimum: a console warning, and
   * the minimum. Not a number of seconds: a console warning, and off.
   */
  set(value: number | string | null | undefined): void {
    let seconds = value == null || value === '' ? 0 : Number(value);
    if (!(seconds >= 0) || seconds === Infinity) {
      console.warn(`<chartio-embed> auto-refresh must be a number of seconds (at least ${MIN_AUTO_REFRESH_SECONDS}), got ${String(value)}: auto-refresh is off`);
      seconds = 0;
    } else if (seconds > 0 && seconds < MIN_AUTO_REFRESH_SECONDS) {
      console.warn(`<chartio-embed> auto-refresh="${String(value)}" is below ${MIN_AUTO_REFRESH_SECONDS} seconds: refreshing every ${MIN_AUTO_REFRESH_SECONDS} seconds`);
      seconds = MIN_AUTO_REFRESH_SECONDS;
    }
    if (seconds === this.#seconds) return;
    this.#seconds = seconds;
    this.#last = clock.now();
    this.#schedule();
  }

  connect(): void {
    this.#connected = true;
    this.#last = clock.now();
    document.addEventListener('visibilitychange', this.#onVisibility);
    this.#schedule();
  }

  disconnect(): void {
    this.#connected = false;
    document.removeEventListener('visibilitychange', this.#onVisibility);
    clock.clearTimeout(this.#timer);
  }

  #schedule(): void {
    clock.clearTimeout(this.#timer);
    if (!this.#seconds || !this.#connected || document.visibilityState === 'hidden') return;
    const due = Math.max(0, this.#last + this.#seconds * 1000 - clock.now());
    this.#timer = clock.setTimeout(() => {
      this.#last = clock.now();
      this.#refresh();
      this.#schedule();
    }, due);
  }

  readonly #onVisibility = (): void => this.#schedule();
}

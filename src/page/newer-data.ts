/**
 * A page shown with data older than its dashboard's max age (a cached page past it: the host
 * serves it at once and re-runs its queries in the background) asks the data route for the newer
 * data, a few times with growing pauses, and swaps it in place when it comes (then posts
 * `chartio:ready` with the new `dataTime`). It stops when the host says the data is not stale (a
 * viewer's clock ahead of the host's) or after the last try.
 * @module
 */
import { EMBED_TOKEN_PARAM } from '../protocol/claims.js';
import { CONFIG_ID, type PageConfig } from '../protocol/page-markup.js';
import { readJson } from './dom.js';
import { fetchData, isNewer, showAnswer } from './in-place.js';
import { shownDataMs } from './updated-ago.js';

/** Pauses before each ask, in ms: about 15 s in all, a run's usual time and more. */
const PAUSES = [1_000, 2_000, 4_000, 8_000];

/**
 * Starts asking when the shown data is past the page's max age; does nothing otherwise.
 *
 * @example
 * askForNewerData(38727);
 */
export function askForNewerData(dashboard: number): void {
  const maxAge = readJson<PageConfig>(CONFIG_ID)?.maxAge;
  const token = new URLSearchParams(location.search).get(EMBED_TOKEN_PARAM);
  if (!maxAge || !token || !(Date.now() - shownDataMs() >= maxAge * 1000)) return;
  void ask(dashboard, token, 0);
}

async function ask(dashboard: number, token: string, attempt: number): Promise<void> {
  if (attempt >= PAUSES.length) return;
  await new Promise((resolve) => setTimeout(resolve, PAUSES[attempt]));
  // A token shown in place meanwhile has its own data: this one's is no longer wanted.
  if (new URLSearchParams(location.search).get(EMBED_TOKEN_PARAM) !== token) return;
  try {
    const { response, answer } = await fetchData(token, false);
    if (!response.ok || answer.dashboard !== dashboard) return;
    if (isNewer(answer)) return showAnswer(answer, dashboard, token);
    if (answer.stale === false) return;
  } catch {
    // A network blip: the next try may pass.
  }
  return ask(dashboard, token, attempt + 1);
}

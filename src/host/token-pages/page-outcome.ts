/**
 * What a request for a token's dashboard gets from the page runs (`page-runs.ts`): the page at
 * once, a page being made, or a refusal with its code, and the refusals the runs themselves make
 * (a full queue, a wait too long, revocations that cannot be read, a key the host does not hold).
 * The routes (`../serve/`) turn an outcome into an HTML page or a JSON answer.
 * @module
 */
import type { EmbedClaims } from '../../protocol/index.js';
import type { HostErrorCode } from '../page/error-page.js';
import type { RenderedPage } from '../store/rendered-page.js';

/** What a request for a token's dashboard gets. */
export type PageOutcome =
  /** The complete page, at once: from this process's cache (`hit`) or the shared store's (`shared`). */
  | { readonly kind: 'ready'; readonly page: RenderedPage; readonly via: 'hit' | 'shared' }
  /**
   * The page is being made: show Loading, then the page (the promise rejects if rendering
   * failed). `run`: a new run for this token (here, or on the instance this one waits for);
   * `joined`: a run already under way here for the same token.
   */
  | { readonly kind: 'pending'; readonly page: Promise<RenderedPage>; readonly via: 'run' | 'joined'; readonly claims: EmbedClaims }
  /**
   * Refused: the error page's (or JSON error's) code, with the verifier's message as detail;
   * `claims` when the token itself was valid (a revoked one).
   */
  | { readonly kind: 'refused'; readonly code: HostErrorCode; readonly detail?: string; readonly claims?: EmbedClaims };

/** What a viewer reads for `token_key_unknown`: not which keys the host holds (that is in the host's log). */
export const KEY_UNKNOWN_DETAIL = 'The token was signed with a key this dashboard host does not hold. Sign a new token with a current key.';

/** What the host answers when a data source's queue is full (503 with `Retry-After`). */
export const QUEUE_FULL: PageOutcome = { kind: 'refused', code: 'queue_full', detail: 'Too many new dashboards are being prepared right now; this one will load when you try again.' };

/** What the host answers while it cannot read the revocation cut-offs and `revocation.onUnavailable` is `refuse` (503 with `Retry-After`). */
export const REVOCATION_UNAVAILABLE = {
  kind: 'refused',
  code: 'revocation_unavailable',
  detail: 'The dashboard host cannot check revocations right now (its shared store does not answer); it will load when you try again.',
} as const satisfies PageOutcome;

/** What the host answers when a run's turn did not come within its queue's `maxWaitMs` (503 with `Retry-After` too). */
export const QUEUE_WAIT_EXCEEDED: PageOutcome = { kind: 'refused', code: 'queue_full', detail: 'The dashboard host waited too long for its turn to prepare this dashboard; it will load when you try again.' };

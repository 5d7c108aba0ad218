/**
 * The pages the host answers with when it cannot show a dashboard. Each has a short sentence for
 * the viewer, and in small print the rule that failed (a stable code, the verifier's
 * {@link EmbedError} code for token problems), what it means and the detail. Never a stack trace.
 *
 * Each page also tells the embedding page what went wrong: it carries the host's one page script
 * (allowed by the same CSP hash as the dashboards'), which posts `chartio:error` with the code,
 * the status and whether a retry can help, read from `<main class="error">` (so the same works
 * when a streamed dashboard ends with this `<main>` after its run failed).
 * @module
 */
import type { EmbedErrorCode } from '../token-verifier.js';
import { escapeHtml, jsonForScript } from './html.js';
import { CONFIG_ID, HEAD_SCRIPT, PAGE_SCRIPT, PAGE_STYLE } from './page-assets.js';

/** Every code an error page can show. */
export type HostErrorCode =
  | EmbedErrorCode
  | 'token_missing'
  | 'token_revoked'
  | 'not_found'
  | 'method_not_allowed'
  | 'host_closed'
  | 'queue_full'
  | 'revocation_unavailable'
  | 'internal_error'
  | 'download_disabled'
  | 'chart_unavailable'
  | 'query_failed';

interface Rule {
  status: number;
  /** What the rule means, for the developer (small print). */
  sentence: string;
  /** What the viewer reads; by default one of {@link VIEWER_SENTENCES} by status. */
  viewer?: string;
}

/** What a viewer reads when the rule has no sentence of its own: by status class. */
const VIEWER_SENTENCES = {
  /** 4xx: asking again will not help; the page that embeds the dashboard must change. */
  refused: 'This dashboard can’t be shown.',
  /** 5xx: the host may manage in a moment. */
  unavailable: 'This dashboard can’t be shown right now. Try again in a moment.',
} as const;

const RULES: Partial<Record<HostErrorCode, Rule>> = {
  token_missing: { status: 401, sentence: 'This dashboard address carries no embed token (the embed_token query parameter, exactly once).' },
  token_malformed: { status: 401, sentence: 'The embed token is not a well-formed signed token.' },
  token_algorithm: { status: 401, sentence: 'The embed token is not signed with HS256, the only algorithm this host accepts.' },
  token_key_unknown: { status: 401, sentence: 'The embed token names a key id (kid) this host does not hold: it was signed with a key that was retired, or not yet added to this host.' },
  token_signature: { status: 401, sentence: 'The embed token’s signature does not match this organization’s Embed Secret: it was changed after signing, or signed with another secret.' },
  token_expired: {
    status: 401,
    sentence: 'The embed token has expired. Reload the page that embeds this dashboard to get a new one.',
    viewer: 'This dashboard’s link has expired. Reload the page to see it again.',
  },
  token_lifetime: { status: 401, sentence: 'The embed token lives longer than 24 hours, or was issued more than 24 hours ago.' },
  token_claims: { status: 401, sentence: 'The embed token’s claims are missing or malformed (organization, dashboard, env, iat and exp are required).' },
  token_revoked: { status: 401, sentence: 'The embed token was issued before a revocation cut-off set on this host (for the organization or this dashboard). New tokens pass once their signer’s reuse window has turned: up to an hour after the cut-off for 24-hour tokens.' },
  token_organization: { status: 403, sentence: 'The embed token was issued for another organization.' },
  token_dashboard: { status: 403, sentence: 'The embed token was issued for another dashboard.' },
  not_found: { status: 404, sentence: 'There is no dashboard at this address.' },
  method_not_allowed: { status: 405, sentence: 'This address answers GET requests only.' },
  host_closed: { status: 503, sentence: 'The dashboard host is shutting down. Try again in a moment.' },
  queue_full: { status: 503, sentence: 'The dashboard host is busy preparing other dashboards. Try again in a moment.' },
  revocation_unavailable: { status: 503, sentence: 'The dashboard host cannot read its revocation cut-offs from its shared store right now, and is set to refuse every token until it can (revocation.onUnavailable: "refuse"). Try again in a moment.' },
  internal_error: { status: 500, sentence: 'The dashboard could not be shown because of an error on the dashboard host.' },
  download_disabled: { status: 403, sentence: 'Downloads are turned off for this chart (its dashboard says "downloads": false, or the chart "download": false).' },
  chart_unavailable: { status: 403, sentence: 'This chart cannot run with this embed token: a Hidden Variable it needs is missing or malformed.' },
  query_failed: { status: 500, sentence: 'The chart’s query failed or took too long. The details are in the dashboard host’s log.' },
};

/** A rendered error page: its status, code and HTML. */
export interface ErrorPage {
  status: number;
  code: HostErrorCode;
  html: string;
}

/** Options of {@link renderErrorPage}. */
export interface ErrorPageOptions {
  /**
   * The origins the page posts `chartio:error` to, as the dashboards' own pages do (the host's
   * `parentOrigins`). Without them the page posts only its public code and status to whichever
   * parent frames it, which the host's `frame-ancestors` policy restricts to allowed origins.
   */
  parentOrigins?: readonly string[];
}

/**
 * The status and developer sentence of `code`'s page, without rendering it (the data route's JSON
 * errors need only these); a code without a rule of its own is `internal_error`, as its page is.
 *
 * @example
 * errorRule('token_expired'); // { code: 'token_expired', status: 401, sentence: 'The embed token has expired. …' }
 */
export function errorRule(code: HostErrorCode): { code: HostErrorCode; status: number; sentence: string } {
  const rule = RULES[code];
  return rule ? { code, status: rule.status, sentence: rule.sentence } : errorRule('internal_error');
}

/**
 * Renders the page for `code`. `detail` (the verifier's message, say) is shown escaped in the
 * small print; codes without a rule of their own become a 500 `internal_error` page.
 *
 * @example
 * const page = renderErrorPage('token_expired', 'the token expired at 2026-01-01T00:00:00.000Z', { parentOrigins: ['https://app.example.com'] });
 * page.status; // 401
 */
export function renderErrorPage(code: HostErrorCode, detail?: string, options: ErrorPageOptions = {}): ErrorPage {
  const rule = RULES[code];
  if (!rule) return renderErrorPage('internal_error', undefined, options);
  const viewer = rule.viewer ?? (rule.status >= 500 ? VIEWER_SENTENCES.unavailable : VIEWER_SENTENCES.refused);
  const note = detail ? `<p>${escapeHtml(detail)}</p>` : '';
  const config = options.parentOrigins ? `<script type="application/json" id="${CONFIG_ID}">${jsonForScript({ parentOrigins: options.parentOrigins })}</script>` : '';
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>Dashboard unavailable</title><style>${PAGE_STYLE}</style><script>${HEAD_SCRIPT}</script>` +
    `${config}<script type="module">${PAGE_SCRIPT}</script></head><body>` +
    `<main class="error" data-code="${escapeHtml(code)}" data-status="${rule.status}"><h1>${escapeHtml(viewer)}</h1>` +
    `<div class="note"><p>${escapeHtml(rule.sentence)}</p>${note}<p>Rule: <code>${escapeHtml(code)}</code> (HTTP ${rule.status})</p></div></main>` +
    '</body></html>';
  return { status: rule.status, code, html };
}

/**
 * The pages the host answers with when it cannot show a dashboard: each names the rule that
 * failed (a stable code, the verifier's {@link EmbedError} code for token problems) and says in a
 * sentence what it means. Never a stack trace.
 * @module
 */
import type { EmbedErrorCode } from '../server/errors.js';
import { escapeHtml } from './html.js';
import { PAGE_STYLE } from './page-assets.js';

/** Every code an error page can show. */
export type HostErrorCode = EmbedErrorCode | 'token_missing' | 'not_found' | 'method_not_allowed' | 'host_closed' | 'queue_full' | 'internal_error';

interface Rule {
  status: number;
  sentence: string;
}

const RULES: Partial<Record<HostErrorCode, Rule>> = {
  token_missing: { status: 401, sentence: 'This dashboard address carries no embed token (the embed_token query parameter, exactly once).' },
  token_malformed: { status: 401, sentence: 'The embed token is not a well-formed signed token.' },
  token_algorithm: { status: 401, sentence: 'The embed token is not signed with HS256, the only algorithm this host accepts.' },
  token_signature: { status: 401, sentence: 'The embed token’s signature does not match this organization’s Embed Secret: it was changed after signing, or signed with another secret.' },
  token_expired: { status: 401, sentence: 'The embed token has expired. Reload the page that embeds this dashboard to get a new one.' },
  token_lifetime: { status: 401, sentence: 'The embed token lives longer than 24 hours, or was issued more than 24 hours ago.' },
  token_claims: { status: 401, sentence: 'The embed token’s claims are missing or malformed (organization, dashboard, env, iat and exp are required).' },
  token_organization: { status: 403, sentence: 'The embed token was issued for another organization.' },
  token_dashboard: { status: 403, sentence: 'The embed token was issued for another dashboard.' },
  not_found: { status: 404, sentence: 'There is no dashboard at this address.' },
  method_not_allowed: { status: 405, sentence: 'This address answers GET requests only.' },
  host_closed: { status: 503, sentence: 'The dashboard host is shutting down. Try again in a moment.' },
  queue_full: { status: 503, sentence: 'The dashboard host is busy preparing other dashboards. Try again in a moment.' },
  internal_error: { status: 500, sentence: 'The dashboard could not be shown because of an error on the dashboard host.' },
};

/** A rendered error page: its status, code and HTML. */
export interface ErrorPage {
  status: number;
  code: HostErrorCode;
  html: string;
}

/**
 * Renders the page for `code`. `detail` (the verifier's message, say) is shown escaped below the
 * sentence; codes without a rule of their own become a 500 `internal_error` page.
 *
 * @example
 * const page = renderErrorPage('token_expired');
 * page.status; // 401
 */
export function renderErrorPage(code: HostErrorCode, detail?: string): ErrorPage {
  const rule = RULES[code];
  if (!rule) return renderErrorPage('internal_error');
  const note = detail ? `<p class="note">${escapeHtml(detail)}</p>` : '';
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>Dashboard unavailable</title><style>${PAGE_STYLE}</style></head><body>` +
    `<main class="error" data-code="${escapeHtml(code)}"><h1>This dashboard cannot be shown</h1>` +
    `<p>${escapeHtml(rule.sentence)}</p>${note}<p class="note">Rule: <code>${escapeHtml(code)}</code> (HTTP ${rule.status})</p></main>` +
    '</body></html>';
  return { status: rule.status, code, html };
}

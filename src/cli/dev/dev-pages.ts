/**
 * The dev server's own pages: the index (every dashboard, its "view as" form, and the files'
 * problems) and a dashboard's Embedding page (its embed code in Python, Ruby, JavaScript and PHP,
 * and the `<chartio-embed>` markup, filled with its own variables and the host's base URL).
 * Everything shown is escaped; the pages hold no script and no secret: the form posts the
 * variables to the dev server, which signs the token itself.
 * @module
 */
import { escapeHtml } from '../../host/page/html.js';
import type { DashboardDefinition } from '../../host/types.js';
import { normalizeEnv } from '../../protocol/index.js';
import { SNIPPET_LANGUAGES, snippetCode } from '../snippet-code.js';
import { SNIPPET_TTL_SECONDS } from '../snippet-command.js';
import { exampleEnv, fieldText } from './example-env.js';
import type { DevSnapshot } from './dev-dashboards.js';

/** The dev pages' Content-Security-Policy: no script at all, styles inline, forms to itself only. */
export const DEV_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const STYLE = 'body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}pre{background:#f4f4f4;padding:1rem;overflow:auto}.problem{color:#a00;white-space:pre-wrap}label{display:inline-block;margin-right:1rem}';

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

function problemsHtml(problems: readonly string[]): string {
  if (problems.length === 0) return '';
  return `<section><h2>Problems (the last good version of each file keeps serving)</h2>${problems.map((problem) => `<p class="problem" role="alert">${escapeHtml(problem)}</p>`).join('')}</section>`;
}

/**
 * The index page: each dashboard with its "view as" form and a link to its Embedding page.
 *
 * @example
 * indexPage({ dashboards, problems: [] }, 'http://127.0.0.1:8081');
 */
export function indexPage(snapshot: DevSnapshot, baseUrl: string): string {
  const items = [...snapshot.dashboards]
    .sort((a, b) => a.id - b.id)
    .map((dashboard) => {
      const example = exampleEnv(dashboard.variables, true);
      const fields = dashboard.variables
        .map((variable) => `<label>${escapeHtml(variable.name)}${variable.everywhere ? ' (everywhere)' : variable.required ? ' (required)' : ''} <input name="${escapeHtml(variable.name)}" value="${variable.required || variable.everywhere ? escapeHtml(fieldText(example[variable.name]!)) : ''}"></label>`)
        .join('');
      return (
        `<section><h2>${escapeHtml(dashboard.title)} <small>(${dashboard.id}, ${escapeHtml(dashboard.source)})</small></h2>` +
        `<form method="get" action="/_dev/view/${dashboard.id}"><p>View as: ${fields || 'no Hidden Variables'} <button>View</button></p></form>` +
        `<p><a href="/_dev/embed/${dashboard.id}">Embedding page: the embed code</a></p></section>`
      );
    })
    .join('');
  return page('chartio-embed dev', `<h1>chartio-embed dev</h1><p>${escapeHtml(baseUrl)}: loopback only. Tokens are signed here with a dev secret made for this run; it never reaches the browser.</p>${problemsHtml(snapshot.problems)}${items || '<p>No dashboard serves yet.</p>'}`);
}

/**
 * A dashboard's Embedding page.
 *
 * @example
 * embeddingPage(dashboard, snapshot, 16417, 'http://127.0.0.1:8081');
 */
export function embeddingPage(dashboard: DashboardDefinition, snapshot: DevSnapshot, organization: number, baseUrl: string): string {
  const normalized = normalizeEnv(exampleEnv(dashboard.variables));
  const env = normalized.ok ? normalized.env : {};
  const dashboardUrl = `${baseUrl}/d/${dashboard.id}`;
  const code = SNIPPET_LANGUAGES.map(
    (language) => `<h2>${language}</h2><pre><code>${escapeHtml(snippetCode(language, { organization, dashboard: dashboard.id, baseUrl: dashboardUrl, env, ttl: SNIPPET_TTL_SECONDS }))}</code></pre>`,
  ).join('');
  const filters = dashboard.variables.filter((variable) => !variable.everywhere).map((variable) => `\n  filter-${variable.name.toLowerCase().replaceAll('_', '-')}=""`).join('');
  const markup = `<script type="module" src="https://unpkg.com/chartio-embed/dist/browser/chartio-embed.js"></script>\n<!-- Hidden Variables marked "everywhere" (${dashboard.variables.filter((variable) => variable.everywhere).map((variable) => variable.name).join(', ') || 'none'}) come from your server's session, never from the page. -->\n<chartio-embed dashboard="${dashboard.id}" token-endpoint="/chartio-embed/token" base-url="${dashboardUrl}"${filters}></chartio-embed>`;
  const own = snapshot.problems.filter((problem) => problem.startsWith(`${dashboard.source}:`));
  return page(
    `${dashboard.title}: embedding`,
    `<p><a href="/">All dashboards</a></p><h1>Embedding ${escapeHtml(dashboard.title)} (${dashboard.id})</h1>${problemsHtml(own)}` +
      `<p>Your server signs a token for the viewer with the Embed Secret and these Hidden Variables: ${dashboard.variables.map((variable) => `<code>${escapeHtml(variable.name)}</code>`).join(', ') || 'none'}.</p>` +
      `<h2>The element</h2><pre><code>${escapeHtml(markup)}</code></pre>${code}`,
  );
}

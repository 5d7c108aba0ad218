/**
 * The demo host app's one page: filters native to the app (a date range and a user picker), a
 * "signed in as" switch, a theme and a number-format switch in the app bar, and the embedded
 * dashboard. The filters are the source of truth: the app script writes them to the element's
 * filter attributes and the element does the rest; a click on a product's bar sets the product
 * filter (through `chartio-click`).
 * @module
 */
import { FAVICON_LINK } from './favicon.js';

export interface PageModel {
  account: { id: string; name: string };
  accounts: ReadonlyArray<{ id: string; name: string }>;
  users: ReadonlyArray<{ id: string; name: string }>;
  dashboards: ReadonlyArray<{ id: number; title: string }>;
  dashboardBase: string;
}

/** The demo dataset's products: the PRODUCTS filter (a list) picks some of them. */
const PRODUCTS = ['Starter', 'Team', 'Business', 'Enterprise'];

/**
 * Renders the page. Every value from data is escaped.
 * @example
 * renderPage({ account, accounts, users, dashboards, dashboardBase: 'http://127.0.0.1:8081/d' });
 */
export function renderPage(model: PageModel): string {
  const accountOptions = model.accounts
    .map((a) => `<option value="${esc(a.id)}"${a.id === model.account.id ? ' selected' : ''}>${esc(a.name)}</option>`)
    .join('');
  const userOptions = model.users.map((u) => `<option value="${esc(u.id)}">${esc(u.name)}</option>`).join('');
  const dashboardOptions = model.dashboards.map((d) => `<option value="${d.id}">${esc(d.title)}</option>`).join('');
  const first = model.dashboards[0]!;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme Analytics · chartio-embed demo</title>
${FAVICON_LINK}
<link rel="stylesheet" href="/app.css">
<script type="module" src="/chartio-embed.js"></script>
<script type="module" src="/app.js"></script>
</head>
<body>
<header>
  <strong>Acme Analytics</strong>
  <div class="settings">
  <label>Theme
    <select id="theme"><option value="light">Light</option><option value="dark">Dark</option><option value="auto">Auto</option></select>
  </label>
  <label>Numbers
    <select id="locale"><option value="">English (US)</option><option value="en-GB">English (UK)</option><option value="de-DE">Deutsch</option><option value="fr-FR">Français</option><option value="ja-JP">日本語</option></select>
  </label>
  <form method="post" action="/session" id="session-form">
    <label>Signed in as
      <select name="account" id="account">${accountOptions}</select>
    </label>
    <noscript><button>Switch</button></noscript>
  </form>
  </div>
</header>
<main>
  <form id="filters" aria-label="Dashboard filters">
    <label>Dashboard <select id="dashboard">${dashboardOptions}</select></label>
    <label>From <input type="date" id="date-from" value="2015-01-01" min="2014-01-01" max="2015-12-31"></label>
    <label>To <input type="date" id="date-to" value="2015-12-31" min="2014-01-01" max="2015-12-31"></label>
    <label>User <select id="user"><option value="">All users</option>${userOptions}</select></label>
    <fieldset id="products"><legend>Products</legend>${PRODUCTS.map((p) => `<label><input type="checkbox" value="${p}"> ${p}</label>`).join('')}</fieldset>
    <button type="button" id="fullscreen">Full screen</button>
  </form>
  <p class="hint">Click a product's bar (or press Enter on it) to filter by that product.</p>
  <chartio-embed id="dashboard-embed" dashboard="${first.id}" token-endpoint="/embed-token"
    base-url="${esc(model.dashboardBase)}/${first.id}" sizing="auto" title="${esc(first.title)}"
    filter-date-range='["2015-01-01","2015-12-31"]'>
  </chartio-embed>
  <p class="status" id="status" aria-live="polite"></p>
  <p>The same element in <a href="/frameworks/react">React</a> · <a href="/frameworks/vue">Vue</a> · <a href="/frameworks/svelte">Svelte</a> · <a href="/frameworks/angular">Angular</a></p>
</main>
</body>
</html>`;
}

function esc(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

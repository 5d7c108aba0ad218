/**
 * The HTML around a framework page: its configuration as JSON, a mount point and its bundle.
 * The same shell for every framework, so the pages differ only in framework code.
 * @module
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FAVICON_LINK } from '../app/favicon.js';
import { CONFIG_ELEMENT_ID, type FrameworkPageConfig } from './shared/config.js';
import { FRAMEWORKS, frameworkTitle, type Framework } from './frameworks.js';

/** The demo app's stylesheet, which styles these pages too (read once, written into each page). */
const STYLE = readFileSync(fileURLToPath(new URL('../app/app.css', import.meta.url)), 'utf8');

/**
 * Renders the page for `framework` (mounted on `#app`, or on `<app-root>`, Angular's own
 * convention for the bootstrapped component's host), loading its bundle from `{scriptPath}`.
 * @example
 * renderFrameworkPage('vue', '/frameworks/vue.js', config);
 */
export function renderFrameworkPage(framework: Framework, scriptPath: string, config: FrameworkPageConfig): string {
  // `<` escaped: the JSON cannot close its script element, whatever a title holds.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>chartio-embed in ${frameworkTitle(framework)} · Acme Analytics</title>
${FAVICON_LINK}
<style>${STYLE}</style>
<script type="application/json" id="${CONFIG_ELEMENT_ID}">${json}</script>
<script type="module" src="${scriptPath}"></script>
</head>
<body>
<header>
  <strong>Acme Analytics</strong>
  <nav aria-label="Demo pages"><a href="/">Demo app</a>${FRAMEWORKS.map((name) => `<a href="${name}"${name === framework ? ' aria-current="page"' : ''}>${frameworkTitle(name)}</a>`).join('')}</nav>
</header>
<main>
<h1>chartio-embed in ${frameworkTitle(framework)}</h1>
${framework === 'angular' ? '<app-root></app-root>' : '<div id="app"></div>'}
</main>
</body>
</html>`;
}

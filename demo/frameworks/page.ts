/**
 * The HTML around a framework page: its configuration as JSON, a mount point and its bundle.
 * The same shell for every framework, so the pages differ only in framework code.
 * @module
 */
import { CONFIG_ELEMENT_ID, type FrameworkPageConfig } from './shared/config.js';
import { FRAMEWORKS, frameworkTitle, type Framework } from './frameworks.js';

const STYLE = `body{font:15px/1.4 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1rem}
nav a{margin-right:.75rem}form{display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem 0}
chartio-embed{display:block;border:1px solid #ccd;border-radius:6px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;color:#445}dd{margin:0}`;

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
<title>chartio-embed in ${frameworkTitle(framework)}</title>
<style>${STYLE}</style>
<script type="application/json" id="${CONFIG_ELEMENT_ID}">${json}</script>
<script type="module" src="${scriptPath}"></script>
</head>
<body>
<nav><a href="/">Demo app</a>${FRAMEWORKS.map((name) => `<a href="${name}">${frameworkTitle(name)}</a>`).join('')}</nav>
<h1>chartio-embed in ${frameworkTitle(framework)}</h1>
${framework === 'angular' ? '<app-root></app-root>' : '<div id="app"></div>'}
</body>
</html>`;
}

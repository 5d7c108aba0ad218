/**
 * The theme part of the page's stylesheet: the colours of the looks an embedding page chooses
 * (a theme: `light`, `dark`, or `auto`, which follows the viewer's `prefers-color-scheme`; an
 * accent colour; a font). None of it is part of the token or the host's cache: the same cached
 * page takes any look in the browser. The page runtime applies a look to the root element
 * (src/page/look.ts: from the frame URL's fragment before the first paint, then from each
 * `chartio:appearance` message); this stylesheet turns the root's attributes into colours.
 * @module
 */

/**
 * The page's colours as CSS custom properties. Text colours meet WCAG AA (4.5:1) on their
 * background in both themes (axe-core checks both in test/host/accessibility.test.ts); the chart
 * series take `--accent` first, then the palette.
 */
export const LIGHT = [
  '--bg:#fff',
  '--fg:#1f2933',
  '--muted:#52606d',
  '--faint:#616e7c',
  '--line:#e4e7eb',
  '--grid:rgb(0 0 0/.1)',
  '--veil:rgb(255 255 255/.7)',
  '--code:#f5f7fa',
  '--hover:#f0f4f8',
  '--warn-fg:#8a4b08',
  '--warn-bg:#fffaeb',
  '--accent:#2563eb',
  '--c2:#e8590c',
  '--c3:#2b8a3e',
  '--c4:#9c36b5',
  '--c5:#0b7285',
  '--c6:#c2255c',
  'color-scheme:light',
].join(';');

const DARK = [
  '--bg:#111827',
  '--fg:#e5e7eb',
  '--muted:#b6bec9',
  '--faint:#a3acb9',
  '--line:#374151',
  '--grid:rgb(255 255 255/.14)',
  '--veil:rgb(17 24 39/.75)',
  '--code:#1f2937',
  '--hover:#1f2937',
  '--warn-fg:#fcd34d',
  '--warn-bg:#3b2f0b',
  '--accent:#60a5fa',
  '--c2:#ff922b',
  '--c3:#51cf66',
  '--c4:#cc5de8',
  '--c5:#3bc9db',
  '--c6:#f783ac',
  'color-scheme:dark',
].join(';');

/**
 * The theme part of the page's stylesheet: light by default, dark when `data-theme="dark"`, and
 * with `data-theme="auto"` whichever the viewer's system prefers (the iframe's own
 * `prefers-color-scheme`). An accent or font the embedding page gives is set on the root element
 * as `--chosen-accent` / `--chosen-font`, which win over the theme's own.
 */
export const THEME_STYLE =
  `:root{${LIGHT};--font:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}` +
  `:root[data-theme=dark]{${DARK}}` +
  `@media (prefers-color-scheme:dark){:root[data-theme=auto]{${DARK}}}` +
  // The chosen accent and font, when the parent gave them (set through the CSSOM, which the CSP allows).
  ':root{--series:var(--chosen-accent,var(--accent));font-family:var(--chosen-font,var(--font))}' +
  // Until the page script has re-formatted the numbers for the chosen locale.
  ':root[data-reformat] .charts{visibility:hidden}';

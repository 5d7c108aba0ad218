/**
 * The page's look as the embedding page chooses it: a theme (`light`, `dark`, or `auto`, which
 * follows the viewer's `prefers-color-scheme`), an accent colour, a font and a locale. None of it
 * is part of the token or the host's cache: the same cached page takes any look in the browser.
 *
 * How a look reaches the page (docs/frame-protocol.md, "Appearance"):
 * - on load, in the frame URL's **fragment** (`#theme=dark&locale=de-DE&accent=%23e8590c`), which
 *   never reaches a server or a log; {@link HEAD_SCRIPT} reads it in `<head>`, before the body
 *   is parsed, so the first paint already has the theme's colours, and the charts stay hidden
 *   until the page script has re-formatted them for the locale (no flash of en-US numbers);
 * - later, in a `chartio:appearance` message from the parent, which the page script applies in
 *   place (colours, fonts, chart styles, number and date texts) with no request at all.
 * @module
 */

// The themes a page knows (anything else is `light`): the protocol's, which the element checks too.
import { THEMES } from '../../protocol/index.js';

/**
 * The page's colours as CSS custom properties. Text colours meet WCAG AA (4.5:1) on their
 * background in both themes (axe-core checks both in test/host/accessibility.test.ts); the chart
 * series take `--accent` first, then the palette.
 */
const LIGHT = [
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

/**
 * A classic script in `<head>` (it runs before the body is parsed, unlike the page module): it
 * defines `chartioLook(look)`, which applies a look's theme, accent and font to the root element
 * and returns the locale to format numbers and dates in, and applies the frame URL's fragment at
 * once. A locale other than the server's (`en-US`) marks the root `data-reformat`, which hides
 * the charts until the page script has re-formatted them. Values are checked before use: an
 * unknown theme is `light`, a colour or font the browser's CSS does not accept is left out, and
 * an invalid locale is the server's own. The page script calls `chartioLook` again for each
 * `chartio:appearance` message.
 */
export const HEAD_SCRIPT = `
function chartioLook(look) {
  const root = document.documentElement;
  const text = (value) => typeof value === "string" && value.length > 0 && value.length <= 200 ? value : undefined;
  root.dataset.theme = ${JSON.stringify(THEMES)}.includes(look.theme) ? look.theme : "light";
  for (const [name, property, value] of [["--chosen-accent", "color", text(look.accent)], ["--chosen-font", "font-family", text(look.font)]]) {
    if (value && CSS.supports(property, value)) root.style.setProperty(name, value);
    else root.style.removeProperty(name);
  }
  try {
    return text(look.locale) ? Intl.getCanonicalLocales(look.locale)[0] : "en-US";
  } catch {
    return "en-US";
  }
}
{
  const locale = chartioLook(Object.fromEntries(new URLSearchParams(location.hash.slice(1))));
  if (locale !== "en-US") document.documentElement.dataset.reformat = locale;
}
`.trim();

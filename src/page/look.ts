/**
 * The page's look as the embedding page chooses it (docs/frame-protocol.md, "Appearance"): a
 * theme, an accent colour, a font and a locale, applied to the root element. Shared by the head
 * script (the frame URL's fragment, before the first paint) and the page script (each
 * `chartio:appearance` message). Nothing of it is part of the token or the host's cache.
 * @module
 */
import { THEMES, type Theme } from '../protocol/frame-messages.js';
import { DEFAULT_LOCALE } from '../protocol/page-markup.js';

/** A look as it arrives: from a URL fragment or a message, so every field is unchecked. */
export type LookInput = Readonly<Record<string, unknown>>;

/** Longer texts are not a theme, colour, font or locale anyone means: refused before CSS sees them. */
const MAX_LOOK_TEXT = 200;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_LOOK_TEXT ? value : undefined;

/**
 * Applies a look's theme, accent and font to the root element and returns the locale to show
 * numbers and dates in. Each look is whole: what it leaves out goes back to the page's default.
 * An unknown theme is `light`; a colour or font the browser's CSS does not accept is left out
 * (set through the CSSOM, which the hash-only CSP allows); an invalid locale is the server's own.
 *
 * @example
 * applyLook({ theme: 'dark', accent: '#e8590c', locale: 'de-de' }); // 'de-DE'
 */
export function applyLook(look: LookInput): string {
  const element = document.documentElement;
  element.dataset.theme = THEMES.includes(look.theme as Theme) ? (look.theme as Theme) : 'light';
  const chosen: [string, string, string | undefined][] = [
    ['--chosen-accent', 'color', text(look.accent)],
    ['--chosen-font', 'font-family', text(look.font)],
  ];
  for (const [name, property, value] of chosen) {
    if (value && CSS.supports(property, value)) element.style.setProperty(name, value);
    else element.style.removeProperty(name);
  }
  const locale = text(look.locale);
  try {
    return (locale && Intl.getCanonicalLocales(locale)[0]) || DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

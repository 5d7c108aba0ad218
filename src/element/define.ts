/**
 * Registers `<chartio-embed>`. Guarded, so a second copy of the module (two bundles on one
 * page, a hot reload) does not throw, nor does loading it where there is no registry (Node).
 * @module
 */
// First: it must run before Lit loads (see the module).
import { hasRegistry } from './ssr-guard.js';
import { ChartioEmbedElement } from './chartio-embed.js';

/** The element's tag name. */
export const TAG_NAME = 'chartio-embed';

if (hasRegistry() && !customElements.get(TAG_NAME)) customElements.define(TAG_NAME, ChartioEmbedElement);

declare global {
  interface HTMLElementTagNameMap {
    'chartio-embed': ChartioEmbedElement;
  }
}

/**
 * Registers `<chartio-embed>`. Guarded, so a second copy of the module (two bundles on one
 * page, a hot reload) does not throw.
 * @module
 */
import { ChartioEmbedElement } from './chartio-embed.js';

/** The element's tag name. */
export const TAG_NAME = 'chartio-embed';

if (!customElements.get(TAG_NAME)) customElements.define(TAG_NAME, ChartioEmbedElement);

declare global {
  interface HTMLElementTagNameMap {
    'chartio-embed': ChartioEmbedElement;
  }
}

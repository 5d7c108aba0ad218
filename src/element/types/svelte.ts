/**
 * `chartio-embed/svelte`: types `<chartio-embed>` in Svelte 5 markup (checked by svelte-check),
 * through `SvelteHTMLElements`. Type-only: it registers nothing (import `chartio-embed` for that).
 *
 * Svelte 5 sets a prop as a property when the defined element has a setter for it, as an
 * attribute otherwise, and listens to `on` + event name (`onchartio-load` → `chartio-load`).
 *
 * @example
 * ```svelte
 * <script lang="ts">
 *   import 'chartio-embed';
 *   import type {} from 'chartio-embed/svelte';
 * </script>
 * <chartio-embed dashboard="38727" token-endpoint="/embed-token" filters={{ USER_ID: '1' }}
 *   onchartio-error={(event) => console.warn(event.detail.code)}></chartio-embed>
 * ```
 * @module
 */
import type { HTMLAttributes } from 'svelte/elements';
import type { ChartioEmbedElement } from '../chartio-embed.js';
import type { ChartioEmbedAttributes, ChartioEmbedEventProps, ChartioEmbedProperties } from './element-types.js';

/**
 * The attributes and props of `<chartio-embed>` in Svelte 5: every attribute (`refresh` too:
 * Svelte only assigns properties that have a setter), every property, one listener per event.
 *
 * @example
 * const props: ChartioEmbedSvelteAttributes = { refresh: 'proactive', fetchToken: async () => ({ token: 'a.b.c' }) };
 */
export type ChartioEmbedSvelteAttributes = HTMLAttributes<ChartioEmbedElement> &
  ChartioEmbedAttributes &
  ChartioEmbedProperties &
  ChartioEmbedEventProps;

declare module 'svelte/elements' {
  interface SvelteHTMLElements {
    'chartio-embed': ChartioEmbedSvelteAttributes;
  }
}

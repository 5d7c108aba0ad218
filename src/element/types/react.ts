/**
 * `chartio-embed/react`: types `<chartio-embed>` in React 19's JSX. Type-only: it adds the tag
 * to `React.JSX.IntrinsicElements` and registers nothing (import `chartio-embed` for that).
 *
 * React 19 sets a prop on a custom element as a property when the element has one
 * (`name in element`), as an attribute otherwise, and listens to `on` + event name
 * (`onchartio-load` → `chartio-load`). So the props are the properties with their own types, the
 * kebab-case attributes as text, and one listener prop per event. TypeScript does not check the
 * values of `filter-*` in JSX (it exempts undeclared dashed names from index signatures): keep
 * them text, or pass lists through `filters`, since React would join an array with commas.
 *
 * @example
 * ```tsx
 * import 'chartio-embed';
 * import type {} from 'chartio-embed/react';
 *
 * <chartio-embed dashboard={38727} token-endpoint="/embed-token" filters={{ USER_ID: '1' }}
 *   onchartio-error={(event) => console.warn(event.detail.code)} />;
 * ```
 * @module
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { ChartioEmbedElement } from '../chartio-embed.js';
import type {
  ChartioEmbedAttributes,
  ChartioEmbedEventProps,
  ChartioEmbedProperties,
  PropertyShadowedAttribute,
} from './element-types.js';

/**
 * The props of `<chartio-embed>` in React 19. `refresh` is left out: React would assign it to the
 * element's `refresh()` method; set `refreshMode` instead.
 *
 * @example
 * const props: ChartioEmbedReactProps = { dashboard: 38727, 'token-endpoint': '/embed-token', refreshMode: 'proactive' };
 */
export type ChartioEmbedReactProps = DetailedHTMLProps<HTMLAttributes<ChartioEmbedElement>, ChartioEmbedElement> &
  ChartioEmbedAttributes<PropertyShadowedAttribute> &
  ChartioEmbedProperties &
  ChartioEmbedEventProps;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'chartio-embed': ChartioEmbedReactProps;
    }
  }
}

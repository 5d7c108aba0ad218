/**
 * `chartio-embed/vue`: types `<chartio-embed>` in Vue 3.5 templates (checked by vue-tsc / Vue's
 * language tools), the way Vue's guide recommends for custom elements not built with Vue: a
 * `GlobalComponents` entry whose `$props` and `$emit` describe the element. Type-only: it
 * registers nothing (import `chartio-embed` for that, and tell Vue's compiler that tags with a
 * dash are custom elements, `compilerOptions.isCustomElement`).
 *
 * @example
 * ```vue
 * <script setup lang="ts">
 * import 'chartio-embed';
 * import type {} from 'chartio-embed/vue';
 * </script>
 * <template>
 *   <chartio-embed dashboard="38727" token-endpoint="/embed-token" :filters="{ USER_ID: '1' }"
 *     @chartio-error="(event) => console.warn(event.detail.code)" />
 * </template>
 * ```
 * @module
 */
import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';
import type { ChartioEmbedElement } from '../chartio-embed.js';
import type {
  ChartioEmbedAttributes,
  ChartioEmbedEventMap,
  ChartioEmbedEventName,
  ChartioEmbedProperties,
  PropertyShadowedAttribute,
} from './element-types.js';

/**
 * What a template may bind on `<chartio-embed>`: Vue's HTML attributes, the element's attributes
 * and properties. `refresh` is left out: Vue would assign it to the element's `refresh()` method
 * (it sets a property whenever `name in element`); bind `refreshMode` instead, or `^refresh`.
 *
 * @example
 * const props: ChartioEmbedVueProps = { 'token-endpoint': '/embed-token', filters: { USER_ID: '1' } };
 */
export type ChartioEmbedVueProps = HTMLAttributes &
  ChartioEmbedAttributes<PropertyShadowedAttribute> &
  ChartioEmbedProperties &
  PublicProps;

/**
 * `<chartio-embed>` as Vue's tooling reads a component: an instance whose `$props` are the
 * bindings and whose `$emit` lists the events (`@chartio-load`, …).
 *
 * @example
 * declare module 'vue' { interface GlobalComponents { 'chartio-embed': ChartioEmbedVueComponent } }
 */
export type ChartioEmbedVueComponent = new () => ChartioEmbedElement & {
  /** @deprecated For template type checking only: custom elements have no `$props`. */
  $props: ChartioEmbedVueProps;
  /** @deprecated For template type checking only: custom elements have no `$emit`. */
  $emit: EmitFn<{ [K in ChartioEmbedEventName]: (event: ChartioEmbedEventMap[K]) => void }>;
};

declare module 'vue' {
  interface GlobalComponents {
    'chartio-embed': ChartioEmbedVueComponent;
  }
}

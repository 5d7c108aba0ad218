/**
 * The element's attributes, properties and events as types, derived from the class and from
 * the event map, for the framework typings beside this module (`react.ts`, `vue.ts`,
 * `svelte.ts`). No framework is imported here, so the main entry stays framework-free and each
 * framework's typing is opted into on its own subpath (`chartio-embed/react`, …).
 * @module
 */
import type { ReactiveElement } from '@lit/reactive-element';
import type { ChartioEmbedElement } from '../chartio-embed.js';
import type { fire } from '../events.js';

/** Keys of `T` whose value is always a function: methods, which are not inputs. */
type MethodName<T> = { [K in keyof T]-?: T[K] extends (...args: never[]) => unknown ? K : never }[keyof T];

/**
 * The element's own public properties (what a framework may set), derived from the class: its
 * public members minus those of its base class (Lit's `ReactiveElement`) and minus methods. A
 * property added to the class appears here, and {@link ATTRIBUTE_NAMES} then fails to compile
 * until it says which attribute the property has.
 *
 * @example
 * const name: ChartioEmbedPropertyName = 'tokenEndpoint';
 */
export type ChartioEmbedPropertyName = Exclude<keyof ChartioEmbedElement, keyof ReactiveElement | MethodName<ChartioEmbedElement>>;

/**
 * Each property's attribute name, or `false` for a property with no attribute: the one list the
 * typings need by hand, because Lit's `static properties` is typed too widely to read names from.
 * It must match the element's `static properties` exactly; test/build/custom-elements.test.ts
 * compares the two at run time, and `satisfies` makes it list every property.
 *
 * @example
 * ATTRIBUTE_NAMES.tokenEndpoint; // 'token-endpoint'
 */
export const ATTRIBUTE_NAMES = {
  dashboard: 'dashboard',
  tokenEndpoint: 'token-endpoint',
  baseUrl: 'base-url',
  filters: false,
  fetchToken: false,
  credentials: 'credentials',
  refreshMode: 'refresh',
  loading: 'loading',
  sizing: 'sizing',
  maxHeight: 'max-height',
  timeout: 'timeout',
  frameTimeout: 'frame-timeout',
  sandbox: 'sandbox',
  allow: 'allow',
  theme: 'theme',
  locale: 'locale',
  autoRefresh: 'auto-refresh',
} as const satisfies Record<ChartioEmbedPropertyName, string | false>;

type AttributeNames = typeof ATTRIBUTE_NAMES;

/** Properties that have an attribute. */
type AttributeProperty = { [P in ChartioEmbedPropertyName]: AttributeNames[P] extends string ? P : never }[ChartioEmbedPropertyName];

/** An attribute's value as markup or a framework writes it: a number may also come as its text. */
type AttributeValue<T> = T extends number ? T | `${number}` : T;

/**
 * Every property, optional, with the type the element declares.
 *
 * @example
 * const properties: ChartioEmbedProperties = { filters: { USER_ID: '1' }, maxHeight: 2000 };
 */
export type ChartioEmbedProperties = { [P in ChartioEmbedPropertyName]?: ChartioEmbedElement[P] };

/**
 * One `filter-*` attribute per Hidden Variable (`filter-date-range` sets `DATE_RANGE`). Its value
 * is text: a JSON array of strings for a list. Arrays go through the `filters` property instead,
 * since a framework would join them with commas.
 *
 * @example
 * const filter: ChartioEmbedFilterAttributes = { 'filter-date-range': '["2014-02-11","2015-02-11"]' };
 */
export type ChartioEmbedFilterAttributes = { [name: `filter-${string}`]: string | undefined };

/**
 * The attributes, by their kebab-case names, with `filter-*`. `Unsafe` names attributes to leave
 * out: see {@link PropertyShadowedAttribute}.
 *
 * @example
 * const attributes: ChartioEmbedAttributes = { 'token-endpoint': '/embed-token', 'max-height': '2000', 'filter-user-id': '1' };
 */
export type ChartioEmbedAttributes<Unsafe extends string = never> = {
  [P in AttributeProperty as Exclude<AttributeNames[P], Unsafe>]?: AttributeValue<ChartioEmbedElement[P]>;
} & ChartioEmbedFilterAttributes;

/**
 * Attributes whose name is also a member of the element other than their own property (today
 * `refresh`, the attribute of `refreshMode` and the name of the `refresh()` method). React 19 and
 * Vue 3 set a prop as a property whenever `name in element`, so such an attribute would replace
 * the member instead of setting the attribute: their typings leave these out, and users set the
 * property (`refreshMode`) instead. Svelte 5 only uses a property when it has a setter, so it
 * keeps them.
 *
 * @example
 * const name: PropertyShadowedAttribute = 'refresh';
 */
export type PropertyShadowedAttribute = {
  [P in AttributeProperty]: AttributeNames[P] extends keyof ChartioEmbedElement
    ? AttributeNames[P] extends P
      ? never
      : AttributeNames[P]
    : never;
}[AttributeProperty];

/**
 * The events the element fires, derived from the type of its one dispatch helper.
 *
 * @example
 * const type: ChartioEmbedEventName = 'chartio-load';
 */
export type ChartioEmbedEventName = Parameters<typeof fire>[1];

/**
 * Each event's type, as `GlobalEventHandlersEventMap` declares it.
 *
 * @example
 * const onError = (event: ChartioEmbedEventMap['chartio-error']) => console.warn(event.detail.code);
 */
export type ChartioEmbedEventMap = { [K in ChartioEmbedEventName]: GlobalEventHandlersEventMap[K] };

/**
 * Listener props named `on` + the event's name, as React 19 and Svelte 5 read them on custom
 * elements (`onchartio-load` listens to `chartio-load`).
 *
 * @example
 * const props: ChartioEmbedEventProps = { 'onchartio-token': (event) => console.log(event.detail.reused) };
 */
export type ChartioEmbedEventProps = {
  [K in ChartioEmbedEventName as `on${K}`]?: ((event: ChartioEmbedEventMap[K]) => void) | undefined;
};

/**
 * Lets the element's modules load where there is no DOM (server-side rendering, a test runner in
 * Node): the Lit-bundled build (`chartio-embed/bundle`) carries Lit's browser build, whose base
 * class extends `HTMLElement` as the module loads. Here, and only where `HTMLElement` is missing,
 * it extends an empty class instead, and {@link hasRegistry} says no, so nothing is
 * registered. Lit's Node build (what the package's main entry gets under Node) extends
 * `globalThis.HTMLElement` when there is one, so it extends this class too rather than its own
 * DOM shim, and defines a registry of its own a moment later. A DOM shim installed before this
 * module (as `@lit-labs/ssr` setups do) is left alone. Imported first by define.ts, so it runs
 * before Lit.
 * @module
 */
(globalThis as { HTMLElement?: unknown }).HTMLElement ??= class {};

/**
 * Tells whether there is a custom element registry, asked when it is needed (Lit's Node build
 * may define one after this module ran).
 *
 * @example
 * if (hasRegistry()) customElements.define('chartio-embed', ChartioEmbedElement);
 */
export const hasRegistry = (): boolean => !!globalThis.customElements;

/**
 * The element's one DOM helper: its shadow DOM is a handful of nodes, built by hand rather than
 * with templates (no lit-html in the bundle) and never from HTML strings (so pages that enforce
 * Trusted Types need no policy for it).
 * @module
 */

/** Properties to assign; token lists (`part`, `sandbox`) take their text, as the DOM allows. */
export type Props<E> = { [P in keyof E]?: E[P] extends DOMTokenList ? string : E[P] };

/**
 * Creates `tag` with `props` assigned and `children` appended.
 *
 * @example
 * el('button', { textContent: 'Retry', onclick: retry });
 * el('slot', { name: 'loading' }, 'Loading…');
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props<HTMLElementTagNameMap[K]> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = Object.assign(document.createElement(tag), props);
  element.append(...children);
  return element;
}

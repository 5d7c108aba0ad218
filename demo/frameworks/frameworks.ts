/**
 * The frameworks with a page, kept apart from the build so that serving a page's HTML never
 * loads esbuild or a framework compiler (about a second of start-up the demo would otherwise pay).
 * @module
 */

/** The frameworks with a page, in the order the pages list them. */
export const FRAMEWORKS = ['react', 'vue', 'svelte', 'angular'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

const TITLES: Record<Framework, string> = { react: 'React 19', vue: 'Vue 3', svelte: 'Svelte 5', angular: 'Angular 21' };

/**
 * A framework's display name.
 * @example
 * frameworkTitle('vue'); // 'Vue 3'
 */
export function frameworkTitle(framework: Framework): string {
  return TITLES[framework];
}

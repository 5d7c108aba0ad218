/**
 * Builds the framework pages (React, Vue, Svelte, Angular) in memory with esbuild and each
 * framework's own compiler from npm: esbuild's JSX for React, `svelte/compiler`, `vue/compiler-sfc`
 * and Angular's JIT compiler (`@angular/compiler`, bundled into the page). Each bundle carries the
 * element from the working tree, as demo/element-bundle.ts does.
 * @module
 */
import { build, type Plugin } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { sveltePlugin } from './svelte-plugin.js';
import { vuePlugin } from './vue-plugin.js';
import { FRAMEWORKS, type Framework } from './frameworks.js';

export { FRAMEWORKS, type Framework } from './frameworks.js';

/** Each page's entry module and the compiler plugin it needs (React's JSX is esbuild's own). */
const PAGES: Record<Framework, { entry: string; plugins: () => Plugin[] }> = {
  react: { entry: 'react/main.tsx', plugins: () => [] },
  vue: { entry: 'vue/main.ts', plugins: () => [vuePlugin()] },
  svelte: { entry: 'svelte/main.ts', plugins: () => [sveltePlugin()] },
  angular: { entry: 'angular/main.ts', plugins: () => [] },
};

/**
 * Bundles one framework page into a single ES module (the framework, the app and the element).
 * Development builds: React's `<StrictMode>` only double-invokes in development, and each
 * framework's development warnings are what would reveal a misused custom element.
 * Any esbuild or compiler warning fails the build.
 * @example
 * const code = await buildFrameworkPage('svelte'); // serve as text/javascript
 */
export async function buildFrameworkPage(framework: Framework): Promise<string> {
  const page = PAGES[framework];
  const result = await build({
    entryPoints: [fileURLToPath(new URL(page.entry, import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    // package.json's `sideEffects` names dist/ files only, so esbuild would take the element's
    // sources (and this demo's) for side-effect free and drop `import './define.js'`, leaving
    // the tag unregistered. Built from source, every module's side effects must stay.
    ignoreAnnotations: true,
    define: {
      'process.env.NODE_ENV': '"development"',
      // Vue's bundler build asks for these flags to be set explicitly.
      __VUE_OPTIONS_API__: 'false',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
    plugins: page.plugins(),
    write: false,
    logLevel: 'silent',
  });
  if (result.warnings.length > 0) {
    throw new Error(`${framework} page: ${result.warnings.map((warning) => warning.text).join('; ')}`);
  }
  return result.outputFiles[0]!.text;
}

/**
 * Bundles every framework page, in parallel.
 * @example
 * const pages = await buildFrameworkPages();
 * pages.react; // the React page's ES module
 */
export async function buildFrameworkPages(): Promise<Record<Framework, string>> {
  const codes = await Promise.all(FRAMEWORKS.map((framework) => buildFrameworkPage(framework)));
  return Object.fromEntries(FRAMEWORKS.map((framework, index) => [framework, codes[index]!])) as Record<Framework, string>;
}

/**
 * An esbuild plugin that compiles `.svelte` files with Svelte's own compiler (`svelte/compiler`).
 * @module
 */
import { readFile } from 'node:fs/promises';
import type { Plugin, PartialMessage } from 'esbuild';
import { compile } from 'svelte/compiler';

/**
 * Compiles each imported `.svelte` component to client-side JavaScript. `dev` keeps Svelte's
 * runtime checks (the framework pages are a demo and a test bed, not a production build).
 * @example
 * await build({ entryPoints: ['main.ts'], bundle: true, plugins: [sveltePlugin()] });
 */
export function sveltePlugin(): Plugin {
  return {
    name: 'svelte',
    setup(build) {
      build.onLoad({ filter: /\.svelte$/ }, async ({ path }) => {
        const source = await readFile(path, 'utf8');
        const { js, warnings } = compile(source, { filename: path, generate: 'client', dev: true });
        return { contents: js.code, loader: 'js', warnings: warnings.map((warning): PartialMessage => ({ text: `${warning.code}: ${warning.message}` })) };
      });
    },
  };
}

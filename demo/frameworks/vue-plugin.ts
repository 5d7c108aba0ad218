/**
 * An esbuild plugin that compiles `.vue` single-file components with Vue's own SFC compiler
 * (`vue/compiler-sfc`), telling it that `<chartio-embed>` is a custom element.
 * @module
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';
import { compileScript, parse } from 'vue/compiler-sfc';

/** What Vue must leave to the browser rather than resolve as a Vue component. */
export const isCustomElement = (tag: string): boolean => tag === 'chartio-embed';

/**
 * Compiles each imported `.vue` file (`<script setup>` with its template inlined; no `<style>`
 * support: the pages share one stylesheet). `isCustomElement` goes to the parse step as well as
 * the template compiler: `compileScript` reuses the AST `parse` built, so an option given to the
 * template compiler alone is too late and the tag would be resolved as a component.
 * @example
 * await build({ entryPoints: ['main.ts'], bundle: true, plugins: [vuePlugin()] });
 */
export function vuePlugin(): Plugin {
  return {
    name: 'vue',
    setup(build) {
      build.onLoad({ filter: /\.vue$/ }, async ({ path }) => {
        const source = await readFile(path, 'utf8');
        const { descriptor, errors } = parse(source, { filename: path, templateParseOptions: { isCustomElement } });
        if (errors.length > 0) return { errors: errors.map((error) => ({ text: error.message })) };
        const id = createHash('sha256').update(path).digest('hex').slice(0, 8);
        const script = compileScript(descriptor, {
          id,
          inlineTemplate: true,
          templateOptions: { compilerOptions: { isCustomElement } },
        });
        return { contents: script.content, loader: script.lang === 'ts' ? 'ts' : 'js' };
      });
    },
  };
}

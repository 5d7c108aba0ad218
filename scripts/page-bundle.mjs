// The page runtime (src/page, TypeScript) bundled by rollup into the two scripts the host inlines
// in every page: the head script (a classic script, so an IIFE) and the page script (a module).
// Both are minified the way the element's bundle is (scripts/minify.mjs). Used by
// scripts/build-page.mjs, which writes them into src/host/page/page-runtime.generated.ts, and by
// test/build/page-runtime.test.ts, which checks that file is what the sources build to now.
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { transform } from 'esbuild';
import { minifyPlugin } from './minify.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));

/** The two entries: which file, and the output format the page needs it in. */
export const PAGE_ENTRIES = {
  head: { input: `${root}src/page/head.ts`, format: 'iife' },
  page: { input: `${root}src/page/main.ts`, format: 'es' },
};

// TypeScript to JavaScript, types erased (tsc -p tsconfig.browser.json checks the types). The
// sources import `./x.js`, as NodeNext wants: resolve those to the `.ts` beside them.
function typescriptPlugin() {
  return {
    name: 'page-typescript',
    async resolveId(source, importer) {
      if (!importer || !source.startsWith('.') || !source.endsWith('.js')) return null;
      return fileURLToPath(new URL(source.replace(/\.js$/, '.ts'), `file://${importer}`));
    },
    async transform(code, id) {
      if (!id.endsWith('.ts')) return null;
      const result = await transform(code, { loader: 'ts', target: 'es2022', format: 'esm', sourcefile: id });
      return { code: result.code, map: null };
    },
  };
}

/**
 * Bundles one entry of {@link PAGE_ENTRIES} and returns its minified code. Any rollup warning
 * (an unresolved import, a circular dependency) fails the build rather than shipping a page that
 * breaks in a browser.
 */
export async function bundlePageEntry(name) {
  const { input, format } = PAGE_ENTRIES[name];
  const bundle = await rollup({
    input,
    plugins: [typescriptPlugin(), nodeResolve({ browser: true, extensions: ['.ts', '.js'] }), minifyPlugin({ module: format === 'es', asciiOnly: true })],
    onwarn(warning) {
      throw new Error(`rollup (${name}): ${warning.message}`);
    },
  });
  try {
    const { output } = await bundle.generate({ format, compact: true });
    return { code: output[0].code.trim(), modules: bundle.cache.modules.map((module) => module.id) };
  } finally {
    await bundle.close();
  }
}

/** Bundles both entries: `{ head, page }`, each `{ code, modules }`. */
export async function bundlePage() {
  const [head, page] = await Promise.all([bundlePageEntry('head'), bundlePageEntry('page')]);
  return { head, page };
}

/**
 * The element as the demo page loads it: bundled from source with esbuild at start-up (a tenth
 * of a second), so `npm start` always shows the element as it is in the working tree.
 * @module
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

/**
 * Bundles `src/element/index.ts` with Lit into one minified ES module.
 * @example
 * const code = await bundleElement(); // serve as text/javascript
 */
export async function bundleElement(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../src/element/index.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

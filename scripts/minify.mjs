// One minifier setting for the build (rollup.config.mjs, scripts/page-bundle.mjs) and the size
// benchmark (bench/size.ts), so the benchmark measures Lit exactly the way the shipped bundle is made.
import terser from '@rollup/plugin-terser';

/**
 * The rollup plugin that minifies browser bundles. For the page's inline scripts: `module: false`
 * for a classic script (the head script), and `asciiOnly`, so a text like "Loading…" stays
 * `\u2026` in the script rather than becoming page text an HTML scan would find.
 */
export function minifyPlugin({ module = true, asciiOnly = false } = {}) {
  return terser({ ecma: 2022, module, compress: { passes: 2 }, format: { comments: false, ascii_only: asciiOnly } });
}

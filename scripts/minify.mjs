// One minifier setting for the build (rollup.config.mjs, scripts/page-bundle.mjs) and the size
// benchmark (bench/size.ts), so the benchmark measures Lit exactly the way the shipped bundle is made.
import terser from '@rollup/plugin-terser';

/**
 * The rollup plugin that minifies browser bundles. `module: false` for a classic script (the
 * page's head script), whose top level is shared with the page and must not be renamed.
 */
export function minifyPlugin(module = true) {
  return terser({ ecma: 2022, module, compress: { passes: 2 }, format: { comments: false } });
}

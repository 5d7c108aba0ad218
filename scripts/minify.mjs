// One minifier setting for the build (rollup.config.mjs) and the size benchmark (bench/size.ts),
// so the benchmark measures Lit exactly the way the shipped bundle is made.
import terser from '@rollup/plugin-terser';

/** The rollup plugin that minifies browser bundles. */
export function minifyPlugin() {
  return terser({ ecma: 2022, module: true, compress: { passes: 2 }, format: { comments: false } });
}

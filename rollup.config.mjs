// Browser bundles of the element, built from tsc's output in dist/element (so TypeScript is
// compiled once, by tsc, for every entry). Two files:
// - dist/browser/chartio-embed.js: Lit bundled, minified; what a plain HTML page loads with
//   <script type="module">, what the demo serves, and the package's `chartio-embed/bundle`
//   (typed by dist/browser/chartio-embed.d.ts, written here beside it).
// - dist/browser/chartio-embed.lit-external.js: the element's own code only, for the size
//   benchmark (not published: an app that already ships Lit imports `chartio-embed` instead).
// The dashboard page's runtime (src/page) is bundled by rollup too, but before tsc and from the
// TypeScript sources, into a module the host imports: scripts/page-bundle.mjs, scripts/build-page.mjs.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { minifyPlugin } from './scripts/minify.mjs';
import { bundleTypesPlugin } from './scripts/bundle-types.mjs';

const input = 'dist/element/index.js';
const minify = minifyPlugin();

export default [
  {
    input,
    plugins: [nodeResolve({ browser: true }), minify, bundleTypesPlugin('../element/index.js')],
    output: { file: 'dist/browser/chartio-embed.js', format: 'es' },
  },
  {
    input,
    external: (id) => id === 'lit' || id.startsWith('lit/') || id.startsWith('@lit/'),
    plugins: [nodeResolve({ browser: true }), minify],
    output: { file: 'dist/browser/chartio-embed.lit-external.js', format: 'es' },
  },
];

// The declarations of a browser bundle: the bundle is its entry module with every import inlined,
// so it exports exactly what the entry exports, and its types are the entry's types re-exported.
// Written beside the bundle (chartio-embed.js → chartio-embed.d.ts), where TypeScript and the
// package's `exports` look for them.

/**
 * The rollup plugin that writes `{bundle}.d.ts` re-exporting the declarations of `entryTypes`
 * (a path relative to the bundle, without `.d.ts`: `'../element/index.js'`).
 * @example
 * plugins: [bundleTypesPlugin('../element/index.js')]
 */
export function bundleTypesPlugin(entryTypes) {
  return {
    name: 'chartio-embed: bundle types',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || !chunk.isEntry) continue;
        this.emitFile({
          type: 'asset',
          fileName: chunk.fileName.replace(/\.js$/, '.d.ts'),
          source: `// The types of ${chunk.fileName}: the element's entry, bundled with Lit.\nexport * from '${entryTypes}';\n`,
        });
      }
    },
  };
}

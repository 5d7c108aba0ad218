/**
 * Size of the element as shipped: min + gzip and min + brotli of the built browser bundles, next
 * to Lit (its whole entry, and the reactive base class the element extends) bundled the same way
 * in this run, and the peers' SDKs measured with the same method (figures from
 * shared/reference/performance.md; their packages are not installed here).
 * @module
 */
import { readFile } from 'node:fs/promises';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { minifyPlugin } from '../scripts/minify.mjs';
import { formatNumber } from './format.js';

interface Sized { name: string; min: number; gzip: number; brotli: number; note?: string }

function sizes(name: string, code: string, note?: string): Sized {
  const bytes = Buffer.from(code);
  return {
    name,
    min: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    ...(note ? { note } : {}),
  };
}

/** `code` (an ES module re-exporting a package) bundled and minified exactly as our bundle is. */
async function bundleEntry(code: string): Promise<string> {
  const bundle = await rollup({
    input: 'entry',
    plugins: [
      { name: 'entry', resolveId: (id) => (id === 'entry' ? id : null), load: (id) => (id === 'entry' ? code : null) },
      nodeResolve({ browser: true }),
      minifyPlugin(),
    ],
  });
  const { output } = await bundle.generate({ format: 'es' });
  await bundle.close();
  return output[0].code;
}

const PEERS: Sized[] = [
  { name: '@superset-ui/embedded-sdk 0.4.0 (no UI)', min: 8_763, gzip: 3_440, brotli: 3_022, note: 'reference' },
  { name: '@looker/embed-sdk 2.0.8', min: 76_152, gzip: 16_353, brotli: 14_251, note: 'reference' },
  { name: 'powerbi-client 2.24.1', min: 227_508, gzip: 32_558, brotli: 26_776, note: 'reference' },
  { name: '@luzmo/embed 6.13.0', min: 136_827, gzip: 38_336, brotli: 33_755, note: 'reference' },
  { name: '@tableau/embedding-api 3.16.1', min: 339_251, gzip: 73_921, brotli: 58_893, note: 'reference' },
  { name: '@thoughtspot/visual-embed-sdk 1.52.0', min: 360_710, gzip: 103_194, brotli: 88_910, note: 'reference' },
];

/**
 * Prints the size table (run `npm run build` first).
 * @example
 * await benchSize(); // "## Element size" with brotli ratios to Lit alone
 */
export async function benchSize(): Promise<void> {
  const withLit = sizes('<chartio-embed>, Lit bundled', await readFile('dist/browser/chartio-embed.js', 'utf8'));
  const own = sizes('<chartio-embed>, Lit external', await readFile('dist/browser/chartio-embed.lit-external.js', 'utf8'));
  const lit = sizes('lit 3, whole entry (this run)', await bundleEntry("export * from 'lit';"));
  const reactive = sizes('@lit/reactive-element alone (this run)', await bundleEntry("export * from '@lit/reactive-element';"));
  const rows = [own, withLit, reactive, lit, ...PEERS];
  console.log('\n## Element size (min + gzip -9 / brotli q11; peers measured the same way earlier)');
  console.log('| what | min B | gzip B | brotli B | brotli ÷ Lit | target |');
  console.log('|---|---:|---:|---:|---:|---|');
  for (const row of rows) {
    const target =
      row === own ? (row.brotli <= 3_072 ? '≤ 3 KB ✓' : '≤ 3 KB ✗') : row === withLit ? (row.brotli <= 7_168 ? '≤ 7 KB ✓' : '≤ 7 KB ✗') : row.note ?? '';
    console.log(`| ${row.name} | ${formatNumber(row.min)} | ${formatNumber(row.gzip)} | ${formatNumber(row.brotli)} | ${(row.brotli / lit.brotli).toFixed(2)}× | ${target} |`);
  }
}

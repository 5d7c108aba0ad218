import type { Plugin } from 'rollup';
/** The rollup plugin that writes a bundle's `.d.ts`, re-exporting its entry's declarations. */
export function bundleTypesPlugin(entryTypes: string): Plugin;

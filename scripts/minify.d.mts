import type { Plugin } from 'rollup';
/** The rollup plugin that minifies browser bundles. */
export function minifyPlugin(): Plugin;

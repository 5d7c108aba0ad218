import type { Plugin } from 'rollup';
/** The rollup plugin that minifies browser bundles (`module: false` for a classic script). */
export function minifyPlugin(module?: boolean): Plugin;

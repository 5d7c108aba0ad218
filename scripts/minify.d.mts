import type { Plugin } from 'rollup';
/** The rollup plugin that minifies browser bundles (`module: false` for a classic script, `asciiOnly` for inline scripts). */
export function minifyPlugin(options?: { module?: boolean; asciiOnly?: boolean }): Plugin;

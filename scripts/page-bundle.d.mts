/** The two entries of the page runtime: which file, and the output format the page needs it in. */
export const PAGE_ENTRIES: Record<'head' | 'page', { input: string; format: 'iife' | 'es' }>;
/** One bundled entry: its minified code and the ids of every module in it. */
export interface PageBundle {
  code: string;
  modules: string[];
}
/** Bundles one entry of {@link PAGE_ENTRIES}. */
export function bundlePageEntry(name: 'head' | 'page'): Promise<PageBundle>;
/** Bundles both entries. */
export function bundlePage(): Promise<{ head: PageBundle; page: PageBundle }>;

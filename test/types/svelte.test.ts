/**
 * `chartio-embed/svelte`: `<chartio-embed>` as svelte-check sees Svelte 5 markup. svelte-check
 * is not part of this toolchain; the file loads the same `svelteHTML` declarations its language
 * server loads and calls `svelteHTML.createElement` the way the markup is translated to it.
 */
/// <reference path="../../node_modules/svelte/svelte-html.d.ts" />
import 'chartio-embed';
import type {} from 'chartio-embed/svelte';
import type { SvelteHTMLElements } from 'svelte/elements';
import type { ChartioEmbedElement } from 'chartio-embed';

// <chartio-embed dashboard="38727" token-endpoint="/embed-token" … onchartio-error={…}>
svelteHTML.createElement('chartio-embed', {
  dashboard: '38727',
  'token-endpoint': '/embed-token',
  'base-url': 'https://dashboards.example.com/d/38727',
  'filter-user-id': '1',
  'filter-date-range': '["2014-02-11","2015-02-11"]',
  refresh: 'proactive',
  loading: 'lazy',
  'max-height': '2000',
  'frame-timeout': '30000',
  theme: 'auto',
  locale: 'fr-FR',
  credentials: 'include',
  filters: { REGION: ['EU', 'US'] },
  fetchToken: async () => ({ token: 'a.b.c' }),
  class: 'dashboard',
  'onchartio-token': (event) => console.log(event.detail.expiresAt, event.detail.reused),
  'onchartio-load': (event) => event.detail.inPlace,
  'onchartio-error': (event) => console.warn(event.detail.phase, event.detail.code),
  'onchartio-click': (event) => console.log(event.detail.series, event.detail.value),
}) satisfies ChartioEmbedElement;

type Attributes = SvelteHTMLElements['chartio-embed'];
// @ts-expect-error -- 'big' is not a sizing
export const badSizing: Attributes = { sizing: 'big' };
// @ts-expect-error -- not a refresh mode
export const badRefresh: Attributes = { refresh: 'sometimes' };
// @ts-expect-error -- not a theme
export const badTheme: Attributes = { theme: 'sepia' };
// @ts-expect-error -- a filter attribute is text: lists go in `filters` or as JSON
export const badFilterAttribute: Attributes = { 'filter-date-range': ['2014-02-11', '2015-02-11'] };
// @ts-expect-error -- a filter value is a string or a list of strings
export const badFilters: Attributes = { filters: { USER_ID: 1 } };
svelteHTML.createElement('chartio-embed', {
  // @ts-expect-error -- the chartio-token detail is { expiresAt, reused }, not a string
  'onchartio-token': (event: CustomEvent<string>) => event.detail.length,
});
svelteHTML.createElement('chartio-embed', {
  // @ts-expect-error -- the chartio-error detail has no `reason`
  'onchartio-error': (event) => event.detail.reason,
});

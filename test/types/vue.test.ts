/**
 * `chartio-embed/vue`: the `GlobalComponents` entry Vue's language tools read to check
 * `<chartio-embed>` in templates. vue-tsc is not part of this toolchain, so this file checks the
 * two types it reads, `$props` (what a template binds) and `$emit` (what `@event` listens to),
 * the way it reads them.
 */
import 'chartio-embed';
import type {} from 'chartio-embed/vue';
import type { GlobalComponents } from 'vue';
import type { ChartioEmbedElement } from 'chartio-embed';

type Instance = InstanceType<GlobalComponents['chartio-embed']>;
type Props = Instance['$props'];
declare const emit: Instance['$emit'];

// A template ref to the tag is the element itself.
null! as Instance satisfies ChartioEmbedElement;

export const bindings: Props = {
  dashboard: '38727',
  'token-endpoint': '/embed-token',
  'base-url': 'https://dashboards.example.com/d/38727',
  'filter-user-id': '1',
  'filter-date-range': '["2014-02-11","2015-02-11"]',
  'max-height': 2000,
  'frame-timeout': 30_000,
  theme: 'dark',
  locale: 'de-DE',
  credentials: 'include',
  refreshMode: 'proactive',
  sizing: 'auto',
  filters: { REGION: ['EU', 'US'] },
  fetchToken: async () => ({ token: 'a.b.c', expiresAt: 1_700_000_000 }),
  class: ['dashboard', { wide: true }],
  style: { height: '80vh' },
  key: 'dashboard',
  title: 'Executive summary',
};

// @ts-expect-error -- 'big' is not a sizing
export const badSizing: Props = { sizing: 'big' };
// @ts-expect-error -- a filter attribute is text: lists go in `filters` or as JSON
export const badFilterAttribute: Props = { 'filter-date-range': ['2014-02-11', '2015-02-11'] };
// @ts-expect-error -- a filter value is a string or a list of strings
export const badFilters: Props = { filters: { USER_ID: 1 } };
// @ts-expect-error -- Vue would assign this to the element's refresh() method: bind refreshMode
export const badRefresh: Props = { refresh: 'proactive' };
// @ts-expect-error -- the token timeout is a number of ms
export const badTimeout: Props = { timeout: 'soon' };

emit('chartio-token', new CustomEvent('chartio-token', { detail: { expiresAt: undefined, reused: true } }));
emit('chartio-load', new CustomEvent('chartio-load', { detail: { dashboard: 38727, reused: true, inPlace: true } }));
// @ts-expect-error -- the chartio-load detail is { dashboard, reused, inPlace }
emit('chartio-load', new CustomEvent('chartio-load', { detail: null }));
emit('chartio-error', new CustomEvent('chartio-error', { detail: { phase: 'token', code: 'network', message: 'Offline' } }));
// @ts-expect-error -- the chartio-token detail is { expiresAt, reused }
emit('chartio-token', new CustomEvent('chartio-token', { detail: 'ready' }));
// @ts-expect-error -- `network` is a code, not a phase
emit('chartio-error', new CustomEvent('chartio-error', { detail: { phase: 'network', message: 'Offline' } }));
emit('chartio-click', new CustomEvent('chartio-click', { detail: { chart: 4, title: 'Orders by product', label: 'Team', series: 'completed', value: '657', row: { product: 'Team' } } }));
// @ts-expect-error -- values are raw text, not numbers
emit('chartio-click', new CustomEvent('chartio-click', { detail: { chart: 4, title: 'Orders by product', label: 'Team', series: 'completed', value: 657, row: {} } }));
// @ts-expect-error -- the element fires no such event
emit('chartio-ready', new Event('chartio-ready'));

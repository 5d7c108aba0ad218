/**
 * The element's own typing, with no framework: the tag in `HTMLElementTagNameMap`, its
 * properties, and its events in `GlobalEventHandlersEventMap`.
 */
import 'chartio-embed';
import type { ChartioClickDetail, ChartioEmbedElement, ChartioErrorDetail, ChartioLoadDetail, ChartioTokenDetail } from 'chartio-embed';

const element = document.createElement('chartio-embed');
element satisfies ChartioEmbedElement;
document.querySelector('chartio-embed')?.refresh();

element.dashboard = 38727;
element.filters = { USER_ID: '1', DATE_RANGE: ['2014-02-11', '2015-02-11'] };
element.refreshMode = 'proactive';
element.credentials = 'include';
element.frameTimeout = 30_000;
element.theme = 'auto';
element.locale = 'de-DE';
element.fullscreen() satisfies Promise<void>;
element.print() satisfies boolean;
element.fetchToken = async ({ dashboard, filters, signal }) => {
  const response = await fetch('/embed-token', { method: 'POST', body: JSON.stringify({ dashboard, filters }), signal });
  return response.json();
};
// @ts-expect-error -- not a refresh mode
element.refreshMode = 'sometimes';
// @ts-expect-error -- the built-in request's credentials are same-origin or include
element.credentials = 'always';
// @ts-expect-error -- not a theme
element.theme = 'sepia';
// @ts-expect-error -- the frame timeout is a number of ms
element.frameTimeout = '30s';
// @ts-expect-error -- a filter value is a string or a list of strings
element.filters = { USER_ID: 1 };
// @ts-expect-error -- a fetchToken resolves to a { token } answer
element.fetchToken = async () => ({ jwt: 'a.b.c' });

element.addEventListener('chartio-token', (event) => {
  event.detail satisfies ChartioTokenDetail;
  const reused: boolean = event.detail.reused;
  // @ts-expect-error -- `reused` is a boolean
  const wrong: string = event.detail.reused;
  void [reused, wrong];
});
element.addEventListener('chartio-error', (event) => {
  event.detail satisfies ChartioErrorDetail;
  // @ts-expect-error -- `network` is a code, not a phase
  if (event.detail.phase === 'network') return;
});
element.addEventListener('chartio-load', (event) => {
  event.detail satisfies ChartioLoadDetail;
  const shown: [number, boolean, boolean] = [event.detail.dashboard, event.detail.reused, event.detail.inPlace];
  // @ts-expect-error -- the chartio-load detail has no expiry (chartio-token's has)
  void event.detail.expiresAt;
  void shown;
});
element.addEventListener('chartio-click', (event) => {
  event.detail satisfies ChartioClickDetail;
  const clicked: [number, string, string | null, string | null, string | null] = [event.detail.chart, event.detail.title, event.detail.label, event.detail.series, event.detail.value];
  const product: string | null | undefined = event.detail.row.product;
  // @ts-expect-error -- values are raw text (or null), not numbers
  const value: number = event.detail.value;
  void [clicked, product, value];
});
// Events bubble: a container hears them with the same types.
document.body.addEventListener('chartio-error', (event) => void event.detail.message.length);

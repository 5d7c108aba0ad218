/**
 * The chart-drawing part of the page script (JavaScript source, joined into `PAGE_SCRIPT` by
 * page-assets.ts, which defines `byId`, `root` and `Chart` before it). It draws each line and bar
 * chart's spec with Chart.js in the page's look and locale:
 * - the value axis starts at zero unless the spec's `beginAtZero` is `false`;
 * - ticks and tooltips show values in their series' format (the `data-formats` dictionary the
 *   server rendered), in the current locale; date labels are re-formatted from their raw values;
 * - colours come from the theme's CSS custom properties (`--series` first: the accent), fonts
 *   from the root's computed `font-family`, so a theme, accent, font or locale change restyles
 *   every chart in place ({@link CHARTS_SCRIPT}'s `restyle()`), with no request.
 * It defines `locale`, `setLocale(locale, where?)`, `shown(key, value)`, `specs`, `draw(specs,
 * charts?)` and `restyle()`; the interactions part defines `pointClick`, which `draw` wires to
 * Chart.js's `onClick`.
 * @module
 */
import { DEFAULT_LOCALE } from './format-value.js';
import { REFORMAT_SOURCE } from './format-in-page.js';

/** The chart-drawing part of the page script. */
export const CHARTS_SCRIPT = `
const reformat = ${REFORMAT_SOURCE};
// The locale the page's numbers and dates are shown in: the server's until the parent asks for another.
let locale = ${JSON.stringify(DEFAULT_LOCALE)};
// Re-formats every formatted value under \`where\` (the page, or a dashboard fetched in place) for \`wanted\`.
const setLocale = (wanted, where = document) => {
  try {
    reformat(where, wanted);
    if (where === document) locale = wanted;
  } catch {
    // An invalid locale (chartioLook has checked it already): the page stays as it is.
  }
};
// Intl formatters by locale and format key, from the dictionary the server rendered (data-formats).
const formatters = new Map();
const formatterOf = (key) => {
  const id = locale + " " + key;
  let made = formatters.get(id);
  if (!made) {
    let entry;
    try { entry = JSON.parse(document.querySelector("[data-formats]")?.dataset.formats ?? "{}")[key]; } catch {}
    made = entry?.kind === "date" ? new Intl.DateTimeFormat(locale, entry.options) : new Intl.NumberFormat(locale, entry?.options ?? { maximumFractionDigits: 2 });
    formatters.set(id, made);
  }
  return made;
};
// A raw value as the viewer reads it, by its format key.
const shown = (key, value) => {
  if (value === null || value === undefined) return "\\u2014";
  const formatter = formatterOf(key);
  return formatter instanceof Intl.DateTimeFormat ? formatter.format(new Date(value)) : formatter.format(value);
};
// The line and bar charts' specs on show, by canvas id.
const specs = new Map();
const css = (name) => getComputedStyle(root).getPropertyValue(name).trim();
const styleNow = () => ({
  text: css("--muted"),
  grid: css("--grid"),
  font: getComputedStyle(root).fontFamily,
  colors: ["--series", "--c2", "--c3", "--c4", "--c5", "--c6"].map(css),
});
const labelsOf = (spec) => spec.labelFormat ? spec.labelValues.map((raw, index) => raw === null ? spec.labels[index] : shown(spec.labelFormat, raw)) : spec.labels;
const dataOf = (spec, style) => ({
  labels: labelsOf(spec),
  datasets: spec.series.map((series, index) => {
    const color = style.colors[index % style.colors.length];
    return { label: series.label, data: series.data, borderColor: color, backgroundColor: color, pointBackgroundColor: color };
  }),
});
const optionsOf = (spec, style) => {
  const font = { family: style.font };
  const axis = { ticks: { color: style.text, font }, grid: { color: style.grid }, border: { color: style.grid } };
  // The value axis in the series' format when they share one; else plain numbers in the locale.
  const key = spec.series.every((series) => series.format === spec.series[0].format) ? spec.series[0].format : "number";
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    interaction: { mode: "nearest", intersect: false, axis: "xy" },
    onClick: (event, active, chart) => active[0] && pointClick(chart, active[0].index, active[0].datasetIndex),
    scales: { x: axis, y: { ...axis, beginAtZero: spec.beginAtZero !== false, ticks: { ...axis.ticks, callback: (value) => shown(key, value) } } },
    plugins: {
      legend: { display: spec.series.length > 1, labels: { color: style.text, font } },
      tooltip: { titleFont: font, bodyFont: font, callbacks: { label: (item) => spec.series[item.datasetIndex].label + ": " + shown(spec.series[item.datasetIndex].format, item.raw) } },
    },
  };
};
// Draws each chart; one of the charts given (by canvas id) still on its canvas gets the new data instead,
// which is quicker than a new chart. Those not drawn again are let go.
const draw = (list, charts = new Map()) => {
  const style = styleNow();
  for (const spec of list ?? []) {
    const canvas = byId(spec.canvas);
    if (!canvas || !Chart) continue;
    specs.set(spec.canvas, spec);
    const chart = charts.get(spec.canvas);
    charts.delete(spec.canvas);
    if (chart?.canvas === canvas && chart.config.type === spec.type) {
      chart.data = dataOf(spec, style);
      chart.options = optionsOf(spec, style);
      chart.update("none");
      continue;
    }
    chart?.destroy();
    new Chart(canvas, { type: spec.type, data: dataOf(spec, style), options: optionsOf(spec, style) });
  }
  for (const chart of charts.values()) chart.destroy();
};
// Every chart on show again in the current look and locale (after a theme, accent, font or locale change).
const restyle = () => {
  for (const [id, spec] of specs) {
    const canvas = byId(id);
    if (!canvas) specs.delete(id);
    else if (Chart?.getChart(canvas)) draw([spec], new Map([[id, Chart.getChart(canvas)]]));
  }
};
`.trim();

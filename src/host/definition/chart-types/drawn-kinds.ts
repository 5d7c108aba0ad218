/**
 * The chart types drawn with ECharts (drawn-chart-types.ts: each declares its own fields, their
 * defaults, its row bound and its column rule) as registry entries like every other type: their
 * schema is the common fields plus their own, so the published schema, the validation and the docs'
 * field tables describe them the same way.
 * @module
 */
import { chartSchema, LAYOUT_FIELDS, QUERY_FIELDS } from './chart-fields.js';
import type { ChartKind } from './chart-kind.js';
import { DRAWN_CHART_TYPE, type DrawnChartTypeName } from './drawn-chart-types.js';
import type { ChartDefinition } from '../../types.js';

/** What each drawn type is, in the schema's words (the docs' field tables show it). */
const DESCRIPTIONS: Readonly<Record<DrawnChartTypeName, string>> = {
  line: 'Line chart: the first column gives the labels (a date or month gives a time axis), each further column one line.',
  area: 'Area chart: like a line chart, the areas under the lines filled, optionally stacked.',
  bar: 'Bar chart: the first column gives the labels, each further column one series of bars, vertical or horizontal, grouped or stacked.',
  combo: 'Bars and lines: the first column gives the labels; the series named in `lines` are lines, the others bars.',
  pie: 'Pie chart: a label column and a value column.',
  donut: 'Donut chart: a label column and a value column.',
  scatter: 'Scatter chart: an x column, a y column and an optional size column.',
  funnel: 'Funnel: a label column and a value column, in order.',
  heatmap: 'Heat map: an x column, a y column and a value column.',
};

/**
 * The registry entry of a drawn chart type.
 *
 * @example
 * drawnKind('bar').ownFields({ stacked: true }); // { beginAtZero: true, orientation: 'vertical', stacked: true }
 */
export function drawnKind(type: DrawnChartTypeName): ChartKind {
  const drawn = DRAWN_CHART_TYPE[type];
  const own = Object.keys(drawn.fields.properties);
  return {
    type,
    schema: chartSchema(type, DESCRIPTIONS[type], { ...QUERY_FIELDS, ...LAYOUT_FIELDS, ...drawn.fields.properties }),
    runsQuery: true,
    defaultMaxRows: () => drawn.maxRows,
    defaultWidth: 12,
    downloadByDefault: true,
    ownFields: (file) => {
      const fields: Record<string, unknown> = { ...drawn.defaults };
      for (const key of own) if (file[key] !== undefined) fields[key] = file[key];
      return fields as Partial<ChartDefinition>;
    },
    columnProblem: (columns, chart) => drawn.columnProblem(columns, chart as unknown as Record<string, unknown>),
  };
}

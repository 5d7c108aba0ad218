/**
 * `funnel`: one stage per row, in the query's order, the first column its label and the second
 * its value.
 * @module
 */
import { Type } from '@sinclair/typebox';
import { exactColumns, type DrawnChartType } from './drawn-chart-type.js';

/** The `funnel` chart's own fields: none. */
export const FunnelFields = Type.Object({});

/** The `funnel` chart type. */
export const funnel: DrawnChartType<typeof FunnelFields> = { fields: FunnelFields, defaults: {}, maxRows: 50, columnProblem: exactColumns(['label', 'value']) };

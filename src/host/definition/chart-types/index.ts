/**
 * The chart types a dashboard file may use, by name: one module each in this folder. A new type
 * is a module (its schema, defaults, own fields and column rules) added here and to `ChartType`
 * in ../../types.ts.
 * @module
 */
import type { ChartType } from '../../types.js';
import type { ChartKind } from './chart-kind.js';
import { drawnKind } from './drawn-kinds.js';
import { DRAWN_CHART_TYPES } from './drawn-chart-types.js';
import { numberChart } from './number.js';
import { pivotChart } from './pivot.js';
import { tableChart } from './table.js';
import { textChart } from './text.js';

export type { ChartKind } from './chart-kind.js';

/**
 * Every chart type, in the order messages and the docs list them.
 *
 * @example
 * CHART_KINDS.get('number')?.defaultWidth; // 3
 */
export const CHART_KINDS: ReadonlyMap<ChartType, ChartKind> = new Map(
  [numberChart, ...DRAWN_CHART_TYPES.map(drawnKind), tableChart, pivotChart, textChart].map((kind) => [kind.type, kind]),
);

/**
 * The chart type's module; throws for a type the registry lacks (a definition made in code).
 *
 * @example
 * chartKind('table').defaultMaxRows({}); // 100
 */
export function chartKind(type: ChartType): ChartKind {
  const kind = CHART_KINDS.get(type);
  if (!kind) throw new TypeError(`Unknown chart type ${JSON.stringify(type)}: one of ${[...CHART_KINDS.keys()].join(', ')}`);
  return kind;
}

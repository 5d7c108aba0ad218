/**
 * A compile-time check, no code: the chart fields a file may write (the chart types' TypeBox
 * schemas, chart-types/) and the fields of `ChartDefinition` (../types.ts) are the same, with the
 * same value types. A field added to one and not the other fails `tsc`, so the two cannot drift.
 * @module
 */
import type { Static } from '@sinclair/typebox';
import type { ChartDefinition } from '../types.js';
import type { AreaFields } from './chart-types/area.js';
import type { BarFields } from './chart-types/bar.js';
import type { ComboFields } from './chart-types/combo.js';
import type { ScatterFields } from './chart-types/scatter.js';
import type { DrawnChartTypeName } from './chart-types/drawn-chart-types.js';
import type { NumberChartSchema } from './chart-types/number.js';
import type { PivotChartSchema } from './chart-types/pivot.js';
import type { TableChartSchema } from './chart-types/table.js';
import type { TextChartSchema } from './chart-types/text.js';

/** Any chart as a file writes it (a drawn type's schema is the common fields plus its own: chart-types/drawn-kinds.ts). */
type FileChart =
  | Static<typeof NumberChartSchema>
  | (Static<typeof AreaFields> & { readonly type: DrawnChartTypeName })
  | Static<typeof BarFields>
  | Static<typeof ComboFields>
  | Static<typeof ScatterFields>
  | Static<typeof TableChartSchema>
  | Static<typeof PivotChartSchema>
  | Static<typeof TextChartSchema>;

type KeysOf<T> = T extends unknown ? keyof T : never;
type ValueOf<T, K extends PropertyKey> = T extends unknown ? (K extends keyof T ? T[K] : never) : never;
/** A list read-only or not is the same list here (the definition holds lists read-only). */
type Plain<T> = T extends readonly (infer E)[] ? E[] : T;
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Held by the definition only: derived at load (`variables`), or a pivot's three columns held together. */
type DefinitionOnly = 'variables' | 'pivot';
/** Written by a pivot's file, held under `pivot` in the definition. */
type PivotFields = 'rows' | 'columns' | 'value';
/** Written in a short form the definition holds expanded (checked by their own readers). */
type Expanded = 'download' | 'formats';

type FileKeys = Exclude<KeysOf<FileChart>, PivotFields>;
type DefinitionKeys = Exclude<keyof ChartDefinition, DefinitionOnly>;

/** Every key on both sides. */
export const chartKeysAgree: Same<FileKeys, DefinitionKeys> = true;
/** Every plain field's value type the same on both sides (optional or not). */
export const chartValuesAgree: {
  [K in Exclude<FileKeys, Expanded>]: Same<Plain<NonNullable<ValueOf<FileChart, K>>>, Plain<NonNullable<ChartDefinition[K]>>>;
} = { title: true, type: true, sql: true, maxRows: true, width: true, height: true, beginAtZero: true, comparison: true, sparkline: true, totals: true, markdown: true, orientation: true, stacked: true, lines: true, secondAxis: true };
/** The pivot's columns, written flat, held under `pivot`. */
export const pivotAgrees: Same<{ readonly [K in PivotFields]: ValueOf<FileChart, K> }, NonNullable<ChartDefinition['pivot']>> = true;

/**
 * The line and bar charts' specs on show, by canvas id: what the charts were drawn from, which
 * clicks, the keyboard and a restyle read back.
 * @module
 */
import type { ChartSpec } from '../protocol/page-markup.js';

/**
 * Specs by canvas id (the charts module keeps it up to date).
 *
 * @example
 * specs.get('chart-1-canvas')?.series[0]?.label; // 'revenue'
 */
export const specs = new Map<string, ChartSpec>();

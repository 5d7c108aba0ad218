/**
 * Prints benchmark rows side by side with their baseline, as ratios: absolute figures drift
 * between runs on a shared 2-core machine, ratios measured in the same run hold better.
 * @module
 */

/** One measured row: a name, its figure and the unit it is in. */
export interface Row {
  name: string;
  value: number;
  unit: string;
  /** Extra columns (p50, p99, errors…), printed as they are. */
  extra?: Record<string, string | number>;
}

/**
 * Prints a titled table, each row with its ratio to `baseline` and an optional target check.
 *
 * @example
 * printTable('Signing', rows, { baseline: 'floor', higherIsBetter: false });
 */
export function printTable(
  title: string,
  rows: readonly Row[],
  options: { baseline: string; higherIsBetter: boolean; targets?: Record<string, { ratio: number; label: string }> },
): void {
  const base = rows.find((row) => row.name === options.baseline);
  console.log(`\n## ${title}`);
  const header = ['what', 'figure', `÷ ${options.baseline}`, 'target'];
  const lines = rows.map((row) => {
    const ratio = base ? row.value / base.value : NaN;
    const target = options.targets?.[row.name];
    const met = target
      ? (options.higherIsBetter ? ratio >= target.ratio : ratio <= target.ratio)
        ? `${target.label} ✓`
        : `${target.label} ✗`
      : '';
    const extra = row.extra ? `  ${Object.entries(row.extra).map(([k, v]) => `${k} ${v}`).join(', ')}` : '';
    return [row.name, `${formatNumber(row.value)} ${row.unit}${extra}`, `${ratio.toFixed(2)}×`, met];
  });
  const widths = header.map((_, i) => Math.max(header[i]!.length, ...lines.map((line) => line[i]!.length)));
  const format = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(format(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const line of lines) console.log(format(line));
}

/** Numbers with a precision that suits their size. */
export function formatNumber(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** The median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Median milliseconds of `rounds` runs of `work`, after one to warm up.
 *
 * @example
 * await medianMs(3, () => check(config)); // 572.4
 */
export async function medianMs(rounds: number, work: () => Promise<unknown>): Promise<number> {
  await work();
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  return median(times);
}

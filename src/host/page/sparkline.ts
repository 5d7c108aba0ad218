/**
 * A sparkline: a small inline SVG line of a number chart's series, drawn on the server (no
 * script), in the accent colour, hidden from assistive technology (the value and its change say
 * it in words).
 * @module
 */

/** The sparkline's drawing box, in SVG units (it scales to the chart's width). */
const WIDTH = 120;
const HEIGHT = 32;

/**
 * The SVG of `values` (oldest first), or `''` when fewer than two are numbers.
 *
 * @example
 * sparklineSvg([3, 5, 4]); // '<svg class="sparkline" viewBox="0 0 120 32" …><polyline points="1,31 60,1 119,16" …/></svg>'
 */
export function sparklineSvg(values: readonly (number | null)[]): string {
  const numbers = values.filter((value): value is number => value !== null && Number.isFinite(value));
  if (numbers.length < 2) return '';
  const low = Math.min(...numbers);
  const span = Math.max(...numbers) - low || 1;
  const step = (WIDTH - 2) / (values.length - 1);
  const points = values
    .map((value, index) => (value === null || !Number.isFinite(value) ? undefined : `${round(1 + index * step)},${round(HEIGHT - 1 - ((value - low) / span) * (HEIGHT - 2))}`))
    .filter((point) => point !== undefined)
    .join(' ');
  return `<svg class="sparkline" viewBox="0 0 ${WIDTH} ${HEIGHT}" preserveAspectRatio="none" aria-hidden="true" focusable="false"><polyline points="${points}" fill="none" stroke-width="2" vector-effect="non-scaling-stroke"/></svg>`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * The widths (px) a drawn chart is drawn at, and the drawing heights: the page shows the
 * drawing of the largest width its box holds, scaled to the box. From 240 px up, a box never
 * shows a drawing wider than itself, so the 12 px text never shows smaller than 12 px; nor
 * larger than about 2× (a 479 px box with the 240 px drawing). See src/host/page/README.md.
 * @module
 */

/** The drawing widths, smallest first. */
export const WIDTHS = [240, 480, 900] as const;
/** The drawing heights, by width. */
export const HEIGHTS = [220, 260, 320] as const;

/**
 * Image downloads: beside each chart's "Download CSV" button (so `download: false` turns both
 * off), a "Download image" group of two buttons, SVG and PNG, for a chart drawn as SVG on the
 * server (the first `<svg>` in its `<figure>`; the page's stylesheet hides the group on a chart
 * with none, such as a table or a number). Nothing is fetched: the file is made in the page.
 * - SVG: the chart's `<svg>` as it is on show, with every colour the page's theme gives it
 *   (`var(--…)`, `currentColor`, the text's colour and font from the stylesheet) written out as
 *   the value in effect, and the page's background behind it: the file looks the same outside
 *   the page, where no stylesheet defines those colours.
 * - PNG: that SVG drawn on a canvas at {@link PNG_SCALE} pixels per CSS pixel, in the browser
 *   (the image loads from a `data:` URL, which the page's CSP `img-src` allows).
 * Progress and failures are said in a live region beside the buttons.
 * @module
 */
import { saveBlob } from './downloads.js';

/** Device pixels per CSS pixel of a PNG: sharp on a high-density screen and in print. */
export const PNG_SCALE = 2;
/** The group's label and what its status says when the image cannot be made. */
export const IMAGE_LABEL = 'Download image';
export const IMAGE_FAILED = 'The image could not be made. Try again in a moment.';

/** Presentation attributes that take a colour, whose theme variables must be written out. */
const PAINTS = ['fill', 'stroke', 'stop-color', 'flood-color', 'lighting-color', 'color'];
/** Text styles the page's stylesheet may give a chart's labels, written out on each text element. */
const TEXT_STYLES = ['fill', 'font-family', 'font-size', 'font-weight'];
const themed = (value: string | null): boolean => !!value && /var\(|currentcolor/i.test(value);

/**
 * Adds the "Download image" group after each chart's CSV download status, where it is missing:
 * on the page's first run and after an in-place update, which brings new markup.
 *
 * @example
 * addImageControls();
 */
export function addImageControls(): void {
  for (const csv of document.querySelectorAll<HTMLButtonElement>('figure.chart button.download')) {
    const actions = csv.parentElement!;
    if (actions.querySelector('.image-download')) continue;
    const group = actions.appendChild(Object.assign(document.createElement('span'), { className: 'image-download', textContent: `${IMAGE_LABEL}:` }));
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', IMAGE_LABEL);
    for (const format of ['SVG', 'PNG']) {
      const button = group.appendChild(Object.assign(document.createElement('button'), { type: 'button', className: 'download-image', textContent: format }));
      button.dataset.format = format.toLowerCase();
      // "Download image as SVG", described by the chart's title, as the CSV button is.
      button.setAttribute('aria-label', `${IMAGE_LABEL} as ${format}`);
      const title = csv.getAttribute('aria-describedby');
      if (title) button.setAttribute('aria-describedby', title);
    }
    group.appendChild(document.createElement('span')).setAttribute('role', 'status');
  }
}

/**
 * The chart's SVG as a standalone file (see the module's description): the theme's colours and
 * the text's styles written out, the page's background behind, `width` and `height` set.
 *
 * @example
 * const text = svgFile(document.querySelector('#chart-3 svg')!);
 */
export function svgFile(svg: SVGSVGElement): { text: string; width: number; height: number } {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...svg.querySelectorAll<SVGElement>('*')];
  const copies = [copy, ...copy.querySelectorAll<SVGElement>('*')];
  originals.forEach((element, index) => {
    const target = copies[index]!;
    const computed = getComputedStyle(element);
    for (const name of PAINTS) if (themed(element.getAttribute(name))) target.setAttribute(name, computed.getPropertyValue(name));
    if (element instanceof SVGTextElement) for (const name of TEXT_STYLES) target.style.setProperty(name, computed.getPropertyValue(name));
    // Inline declarations that name a theme variable: their values in effect.
    const inline = element.style;
    for (let i = 0; i < inline.length; i++) {
      const name = inline[i]!;
      if (themed(inline.getPropertyValue(name))) target.style.setProperty(name, computed.getPropertyValue(name));
    }
  });
  const box = svg.getBoundingClientRect();
  const width = Number(svg.getAttribute('width')) || Math.round(box.width);
  const height = Number(svg.getAttribute('height')) || Math.round(box.height);
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.style.setProperty('font-family', getComputedStyle(svg).fontFamily);
  const background = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  for (const [name, value] of [['width', '100%'], ['height', '100%'], ['fill', backgroundOf(svg)]]) background.setAttribute(name!, value!);
  copy.prepend(background);
  return { text: `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}`, width, height };
}

/**
 * The SVG file drawn as a PNG at `scale` device pixels per CSS pixel.
 *
 * @example
 * const png = await pngOf(svgFile(svg));
 */
export async function pngOf({ text, width, height }: { text: string; width: number; height: number }, scale = PNG_SCALE): Promise<Blob> {
  const image = new Image(width, height);
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  await image.decode();
  const canvas = Object.assign(document.createElement('canvas'), { width: Math.round(width * scale), height: Math.round(height * scale) });
  canvas.getContext('2d')!.drawImage(image, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('no PNG'))), 'image/png'));
}

/**
 * Saves the image of the chart whose button this is, in the button's format (`data-format`).
 *
 * @example
 * await saveImage(document.querySelector<HTMLButtonElement>('#chart-3 .download-image[data-format=png]')!);
 */
export async function saveImage(button: HTMLButtonElement): Promise<void> {
  const figure = button.closest('figure.chart')!;
  const status = button.parentElement!.querySelector('[role=status]')!;
  // A drawn chart holds one drawing per width; the one on show is the one the viewer sees.
  const drawings = [...figure.querySelectorAll<SVGSVGElement>('.chart-svg svg')];
  const svg = drawings.find((drawing) => drawing.getClientRects().length > 0) ?? drawings[0];
  if (!svg || button.getAttribute('aria-busy') === 'true') return;
  button.setAttribute('aria-busy', 'true');
  status.textContent = '';
  try {
    const file = svgFile(svg);
    const name = fileName(figure.querySelector('h2')?.textContent);
    if (button.dataset.format === 'png') saveBlob(await pngOf(file), `${name}.png`);
    else saveBlob(new Blob([file.text], { type: 'image/svg+xml' }), `${name}.svg`);
  } catch {
    status.textContent = IMAGE_FAILED;
  } finally {
    button.removeAttribute('aria-busy');
  }
}

/**
 * Listens for clicks (and so Enter and Space) on the image buttons of every chart, those an
 * in-place update brings too.
 *
 * @example
 * listenToImageDownloads();
 */
export function listenToImageDownloads(): void {
  addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest<HTMLButtonElement>('button.download-image') : null;
    if (button) void saveImage(button);
  });
}

/** The colour behind the chart: the first ancestor's background that is not transparent (white when none is). */
function backgroundOf(element: Element): string {
  for (let at: Element | null = element; at; at = at.parentElement) {
    const colour = getComputedStyle(at).backgroundColor;
    if (colour && colour !== 'transparent' && !/^rgba\(.*,\s*0\)$/.test(colour)) return colour;
  }
  return '#fff';
}

/** A file name from the chart's title: `Revenue by month` → `revenue-by-month`. */
function fileName(title: string | null | undefined): string {
  return (title ?? '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'chart';
}

/**
 * The interactions part of the page script (JavaScript source, joined into `PAGE_SCRIPT` by
 * page-assets.ts after the chart part; it uses `post`, `byId`, `Chart`, `specs` and `shown`):
 * - **clicks**: a click on a bar or a point (Chart.js's `onClick`, wired by `draw` to
 *   `pointClick`), a table row (a chart's table, or a line or bar chart's data table) or a
 *   number posts `chartio:click` with `{ chart, title, label, series, value, row }` to the parent
 *   (see `ClickDetail` in src/protocol/frame-messages.ts for each field by chart type);
 * - **the keyboard**: each chart is one tab stop. A number: Enter or Space. A table: its rows take
 *   turns as the tab stop (Arrow Up and Down, Home, End move), Enter or Space reports the row. A
 *   line or bar chart's canvas: Arrow Left and Right (Home, End) move along the labels, Arrow Up
 *   and Down between series, with Chart.js's tooltip on the point and its text in a live region;
 *   Enter or Space reports it. The server renders the tab stops (`tabindex`), so the page and the
 *   data route's `main` stay the same markup;
 * - **downloads**: a chart's "Download CSV" button fetches `{page path}/charts/{n}.csv` with the
 *   token in the `Authorization` header (never in a URL, where logs would keep it), and saves the
 *   answer as a file through a Blob URL; its status sits in a live region beside the button.
 * @module
 */
import { EMBED_TOKEN_PARAM } from '../../protocol/index.js';

const json = JSON.stringify;

/** The id of the live region that reads out the point the keyboard is on. */
export const POINT_STATUS_ID = 'chartio-point';

/** The interactions part of the page script. */
export const INTERACTIONS_SCRIPT = `
// A cell's raw value: what data-value carries, or the text shown as is; null for an empty (NULL) cell.
const valueOf = (cell) => cell.hasAttribute("data-null") ? null : cell.dataset.value ?? cell.textContent;
const rowOf = (tr) => {
  const names = [...tr.closest("table").tHead.rows[0].cells].map((th) => th.textContent);
  return Object.fromEntries([...tr.cells].map((cell, index) => [names[index], valueOf(cell)]));
};
const clicked = (element, label, series, value, row) => {
  const figure = element.closest("figure.chart");
  post({ type: ${json('chartio:click')}, chart: Number(figure.id.slice(6)), title: figure.querySelector("h2").textContent, label, series, value, row });
};
const rowClick = (tr) => clicked(tr, valueOf(tr.cells[0]), null, null, rowOf(tr));
const numberClick = (element) => {
  const column = element.dataset.column;
  const value = valueOf(element);
  clicked(element, null, column, value, { [column]: value });
};
// A point of a line or bar chart: its row is the same row of the chart's data table.
const pointClick = (chart, index, dataset) => {
  const tr = chart.canvas.closest("figure").querySelector(".chart-data tbody")?.rows[index];
  const series = specs.get(chart.canvas.id)?.series[dataset]?.label;
  if (!tr || series === undefined) return;
  const row = rowOf(tr);
  clicked(chart.canvas, valueOf(tr.cells[0]), series, row[series] ?? null, row);
};
const pointStatus = () => {
  let status = byId(${json(POINT_STATUS_ID)});
  if (!status) {
    status = document.body.appendChild(Object.assign(document.createElement("p"), { id: ${json(POINT_STATUS_ID)}, className: "visually-hidden" }));
    status.setAttribute("role", "status");
  }
  return status;
};
const points = new WeakMap();
const showPoint = (chart, at) => {
  const active = at ? [{ datasetIndex: at[1], index: at[0] }] : [];
  const element = at && chart.getDatasetMeta(at[1]).data[at[0]];
  chart.setActiveElements(active);
  chart.tooltip?.setActiveElements(active, { x: element?.x ?? 0, y: element?.y ?? 0 });
  chart.update("none");
};
const pointKey = (canvas, event) => {
  const chart = Chart?.getChart(canvas);
  const spec = specs.get(canvas.id);
  if (!chart || !spec) return;
  const last = spec.labels.length - 1;
  const count = spec.series.length;
  let [index, dataset] = points.get(canvas) ?? [-1, 0];
  if (event.key === "Enter" || event.key === " ") {
    event.preventDefault();
    if (index >= 0) pointClick(chart, index, dataset);
    return;
  }
  const moves = { ArrowRight: [Math.min(last, index + 1), dataset], ArrowLeft: [Math.max(0, index - 1), dataset], Home: [0, dataset], End: [last, dataset], ArrowDown: [Math.max(0, index), (dataset + 1) % count], ArrowUp: [Math.max(0, index), (dataset + count - 1) % count] };
  const at = moves[event.key];
  if (!at || last < 0) return;
  event.preventDefault();
  points.set(canvas, at);
  showPoint(chart, at);
  const series = spec.series[at[1]];
  pointStatus().textContent = chart.data.labels[at[0]] + ", " + series.label + ": " + shown(series.format, series.data[at[0]]);
};
addEventListener("keydown", (event) => {
  const target = event.target;
  if (!(target instanceof Element)) return;
  const activate = event.key === "Enter" || event.key === " ";
  if (target.matches(".chart-number .value") && activate) {
    event.preventDefault();
    numberClick(target);
  } else if (target.matches(".chart tbody tr")) {
    const rows = [...target.parentNode.rows];
    const at = rows.indexOf(target);
    const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: rows.length - 1 }[event.key];
    if (activate) {
      event.preventDefault();
      rowClick(target);
    } else if (rows[to]) {
      event.preventDefault();
      target.tabIndex = -1;
      rows[to].tabIndex = 0;
      rows[to].focus();
    }
  } else if (target.matches(".chart canvas")) {
    pointKey(target, event);
  }
});
addEventListener("focusout", (event) => {
  const chart = event.target instanceof HTMLCanvasElement && Chart?.getChart(event.target);
  if (chart) {
    points.delete(event.target);
    showPoint(chart);
  }
});

// Downloads: the token in a header, the file from a Blob.
const DOWNLOAD_FAILED = "The download failed. Try again in a moment.";
const DOWNLOAD_MESSAGES = {
  token_expired: "This dashboard\\u2019s link has expired. Reload the page to download.",
  download_disabled: "Downloads are turned off for this chart.",
  queue_full: "The dashboard host is busy. Try again in a moment.",
  revocation_unavailable: "The dashboard host can’t check this dashboard’s link right now. Try again in a moment.",
};
const save = async (button) => {
  if (button.getAttribute("aria-busy") === "true") return;
  const status = button.nextElementSibling;
  const chart = button.closest("figure.chart").id.slice(6);
  button.setAttribute("aria-busy", "true");
  status.textContent = "Preparing the download\\u2026";
  try {
    const token = new URLSearchParams(location.search).get(${json(EMBED_TOKEN_PARAM)});
    const response = await fetch(location.pathname.replace(/\\/?$/, "/charts/" + chart + ".csv"), { headers: { authorization: "Bearer " + token }, cache: "no-store" });
    if (!response.ok) throw (await response.json().catch(() => ({}))).error;
    const name = /filename\\*=UTF-8''([^;\\s]+)/i.exec(response.headers.get("content-disposition") ?? "")?.[1];
    const url = URL.createObjectURL(await response.blob());
    const link = Object.assign(document.createElement("a"), { href: url, download: name ? decodeURIComponent(name) : "chart.csv" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    const rows = response.headers.get("chartio-rows");
    status.textContent = response.headers.get("chartio-truncated") === "true" ? "Downloaded the first " + shown("number", Number(rows)) + " rows, the most a download holds." : "";
  } catch (error) {
    status.textContent = Object.hasOwn(DOWNLOAD_MESSAGES, error?.code) ? DOWNLOAD_MESSAGES[error.code] : DOWNLOAD_FAILED;
  } finally {
    button.removeAttribute("aria-busy");
  }
};
addEventListener("click", (event) => {
  const target = event.target;
  if (!(target instanceof Element)) return;
  const button = target.closest("button.download");
  const number = target.closest(".chart-number .value");
  const row = target.closest(".chart tbody tr");
  if (button) save(button);
  else if (number) numberClick(number);
  else if (row) rowClick(row);
});
`.trim();

/**
 * The one hover tooltip of the page, shared by every dashboard (display only):
 * a fixed-position element, created on first use, placed right-below the
 * cursor and flipped when it would leave the viewport. Plain DOM built with
 * textContent (run and tag names are user data). Two contents:
 *
 *   showRuns(rows, cx, cy, showSmoothed)  TensorBoard's scalar tooltip: for each
 *       run, the point nearest the cursor's x, sorted so the run whose line is
 *       vertically nearest the cursor comes first (TensorBoard's "nearest"
 *       sort), with smoothed value, value, step, time and relative time
 *   show(cx, cy, rows, title)             label / value rows (with an optional
 *       colour swatch) under a title: histograms, PR curves, HParams, ...
 *
 * The element carries both class names the styles and tests know it by
 * (sc-tooltip for the run table, db-tooltip for the rows).
 */
import { formatDuration, formatStep, formatValue, formatWallTime } from './format.js';

/**
 * @typedef {object} TooltipRunRow
 * @property {string} run
 * @property {string} color
 * @property {number} step
 * @property {number} value
 * @property {number} smoothed
 * @property {number} wallTime   seconds
 * @property {number} relative   seconds since the run's first point of this tag
 * @property {number} distance   pixels from the cursor (sort key)
 */

/**
 * @typedef {object} TooltipRow
 * @property {string} label
 * @property {string} value  already formatted
 * @property {string} [color]  a swatch before the label
 */

/** Rows of the run table at most; the rest is summed up as "+N more runs". */
const MAX_RUNS = 12;

/** @type {[string, ((r: TooltipRunRow) => string) | null][]} */
const RUN_COLUMNS = [
  ['Run', null],
  ['Smoothed', (r) => formatValue(r.smoothed)],
  ['Value', (r) => formatValue(r.value)],
  ['Step', (r) => formatStep(r.step)],
  ['Time', (r) => formatWallTime(r.wallTime)],
  ['Relative', (r) => formatDuration(r.relative)],
];

/** A coloured square, for a run or a series. */
function swatch(color, className) {
  const sw = document.createElement('span');
  sw.className = className;
  sw.style.background = color;
  return sw;
}

export class Tooltip {
  constructor() {
    /** @type {HTMLElement|null} */
    this.el = null;
  }

  /** The element, created on first use. */
  element() {
    if (!this.el) {
      this.el = document.createElement('div');
      this.el.className = 'sc-tooltip db-tooltip';
      this.el.setAttribute('role', 'tooltip');
      this.el.hidden = true;
      document.body.appendChild(this.el);
    }
    return this.el;
  }

  /**
   * Shows `content` next to the viewport point (cx, cy).
   * @param {Node[]} content
   * @param {number} cx
   * @param {number} cy
   */
  place(content, cx, cy) {
    const el = this.element();
    el.replaceChildren(...content);
    el.hidden = false;
    const { innerWidth: vw, innerHeight: vh } = window;
    const w = el.offsetWidth;
    const h = el.offsetHeight;
    let x = cx + 16;
    let y = cy + 16;
    if (x + w > vw - 8) x = Math.max(8, cx - w - 16);
    if (y + h > vh - 8) y = Math.max(8, cy - h - 16);
    el.style.transform = `translate(${x}px, ${y}px)`;
  }

  /**
   * The scalar tooltip: `rows` (sorted here, nearest first) as a table.
   * @param {TooltipRunRow[]} rows
   * @param {number} cx
   * @param {number} cy
   * @param {boolean} showSmoothed
   */
  showRuns(rows, cx, cy, showSmoothed) {
    if (!rows.length) {
      this.hide();
      return;
    }
    rows.sort((a, b) => a.distance - b.distance);
    const cols = RUN_COLUMNS.filter(([name]) => showSmoothed || name !== 'Smoothed');
    const table = document.createElement('table');
    const head = table.createTHead().insertRow();
    for (const [name] of cols) {
      const th = document.createElement('th');
      th.textContent = name;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const r of rows.slice(0, MAX_RUNS)) {
      const tr = body.insertRow();
      for (const [, format] of cols) {
        const td = tr.insertCell();
        if (format) {
          td.textContent = format(r);
          td.className = 'num';
        } else {
          td.append(swatch(r.color, 'sc-swatch'), document.createTextNode(r.run));
          td.className = 'run';
        }
      }
    }
    if (rows.length > MAX_RUNS) {
      const td = body.insertRow().insertCell();
      td.colSpan = cols.length;
      td.className = 'more';
      td.textContent = `+${rows.length - MAX_RUNS} more runs`;
    }
    this.place([table], cx, cy);
  }

  /**
   * Label / value rows under an optional title.
   * @param {number} cx
   * @param {number} cy
   * @param {TooltipRow[]} rows
   * @param {string} [title]
   */
  show(cx, cy, rows, title) {
    const content = [];
    if (title) {
      const t = document.createElement('div');
      t.className = 'db-tip-title';
      t.textContent = title;
      content.push(t);
    }
    const table = document.createElement('table');
    table.className = 'db-tip-table';
    for (const r of rows) {
      const tr = table.insertRow();
      const sw = tr.insertCell();
      if (r.color) sw.append(swatch(r.color, 'db-swatch'));
      const k = tr.insertCell();
      k.className = 'db-tip-k';
      k.textContent = r.label;
      const v = tr.insertCell();
      v.className = 'db-tip-v';
      v.textContent = r.value;
    }
    content.push(table);
    this.place(content, cx, cy);
  }

  hide() {
    if (this.el) this.el.hidden = true;
  }
}

/** The page's tooltip. */
export const tooltip = new Tooltip();

/**
 * The hover tooltip shared by all cards: one fixed-position element listing,
 * for each run, the point nearest the cursor's x, sorted so the run whose
 * line is vertically nearest the cursor comes first (TensorBoard's "nearest"
 * sort). Plain DOM, built with textContent (run names are user data).
 */
import { formatDuration, formatStep, formatValue, formatWallTime } from './format.js';

/**
 * @typedef {object} TooltipRow
 * @property {string} run
 * @property {string} color
 * @property {number} step
 * @property {number} value
 * @property {number} smoothed
 * @property {number} wallTime   seconds
 * @property {number} relative   seconds since the run's first point of this tag
 * @property {number} distance   pixels from the cursor (sort key)
 */

const COLUMNS = [
  ['Run', null],
  ['Smoothed', (r) => formatValue(r.smoothed)],
  ['Value', (r) => formatValue(r.value)],
  ['Step', (r) => formatStep(r.step)],
  ['Time', (r) => formatWallTime(r.wallTime)],
  ['Relative', (r) => formatDuration(r.relative)],
];

export class Tooltip {
  constructor() {
    this.el = document.createElement('div');
    this.el.className = 'sc-tooltip';
    this.el.setAttribute('role', 'tooltip');
    this.el.hidden = true;
    document.body.appendChild(this.el);
  }

  /**
   * Shows `rows` (sorted here, nearest first) next to the viewport point (cx, cy).
   * @param {TooltipRow[]} rows
   * @param {number} cx
   * @param {number} cy
   * @param {boolean} showSmoothed
   */
  show(rows, cx, cy, showSmoothed) {
    if (!rows.length) { this.hide(); return; }
    rows.sort((a, b) => a.distance - b.distance);
    const cols = COLUMNS.filter(([name]) => showSmoothed || name !== 'Smoothed');
    const table = document.createElement('table');
    const head = table.createTHead().insertRow();
    for (const [name] of cols) {
      const th = document.createElement('th');
      th.textContent = name;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const r of rows.slice(0, 12)) {
      const tr = body.insertRow();
      for (const [name, fmt] of cols) {
        const td = tr.insertCell();
        if (fmt) {
          td.textContent = fmt(r);
          td.className = 'num';
        } else {
          const sw = document.createElement('span');
          sw.className = 'sc-swatch';
          sw.style.background = r.color;
          td.append(sw, document.createTextNode(r.run));
          td.className = 'run';
        }
      }
    }
    if (rows.length > 12) {
      const tr = body.insertRow();
      const td = tr.insertCell();
      td.colSpan = cols.length;
      td.className = 'more';
      td.textContent = `+${rows.length - 12} more runs`;
    }
    this.el.replaceChildren(table);
    this.el.hidden = false;
    // Place right-below the cursor, flipping when it would leave the viewport.
    const { innerWidth: vw, innerHeight: vh } = window;
    const w = this.el.offsetWidth;
    const h = this.el.offsetHeight;
    let x = cx + 16;
    let y = cy + 16;
    if (x + w > vw - 8) x = Math.max(8, cx - w - 16);
    if (y + h > vh - 8) y = Math.max(8, cy - h - 16);
    this.el.style.transform = `translate(${x}px, ${y}px)`;
  }

  hide() {
    this.el.hidden = true;
  }

  destroy() {
    this.el.remove();
  }
}

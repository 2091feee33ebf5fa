/**
 * A minimal canvas chart: linear scales, "nice" ticks, grid and axes, a
 * plot-area callback for the marks, HiDPI backing store, redraw on resize,
 * and pointer hover in data coordinates. The dashboards draw their marks
 * (lines, bands, stacked histograms, parallel coordinates) themselves; this
 * file only does the frame, so each chart stays a few dozen lines.
 */
import { h } from './dom.js';
import { formatValue } from './format.js';

/** About `count` round tick values covering [lo, hi]. */
export function niceTicks(lo, hi, count = 5) {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const r = raw / mag;
  const step = (r >= 7.5 ? 10 : r >= 3.5 ? 5 : r >= 1.5 ? 2 : 1) * mag;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** [lo, hi] padded by `frac` and widened when degenerate. */
export function padDomain(lo, hi, frac = 0.05) {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi === lo) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return [lo - d, hi + d];
  }
  const d = (hi - lo) * frac;
  return [lo - d, hi + d];
}

export function linearScale(domain, range) {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  const f = (v) => r0 + (v - d0) * k;
  f.invert = (p) => (k === 0 ? d0 : d0 + (p - r0) / k);
  f.domain = domain;
  f.range = range;
  return f;
}

const FONT = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const AXIS = '#6b7280';
const GRID = '#eceff3';

export class CanvasPlot {
  /**
   * @param {{height?: number, margin?: {l,r,t,b}, xFormat?: Function, yFormat?: Function,
   *          xLabel?: string, yLabel?: string, ariaLabel?: string, xTicks?: number, yTicks?: number}} opt
   */
  constructor(opt = {}) {
    this.opt = {
      height: 200,
      margin: { l: 48, r: 12, t: 8, b: 26 },
      xFormat: formatValue,
      yFormat: formatValue,
      xTicks: 6,
      yTicks: 5,
      ...opt,
    };
    this.canvas = h('canvas.db-canvas', {
      attrs: { role: 'img', 'aria-label': opt.ariaLabel || 'chart' },
    });
    this.el = h('div.db-plot', { style: { height: `${this.opt.height}px` } }, this.canvas);
    this.x = linearScale([0, 1], [0, 1]);
    this.y = linearScale([0, 1], [0, 1]);
    this.drawFn = null;
    this.hoverFn = null;
    /** @type {Function|null} optional marks drawn over the plot, unclipped */
    this.overlay = null;
    this.width = 0;
    if (typeof ResizeObserver !== 'undefined') {
      this.ro = new ResizeObserver(() => {
        const w = Math.floor(this.el.clientWidth);
        if (w && w !== this.width) this.redraw();
      });
      this.ro.observe(this.el);
    }
    this.canvas.addEventListener('pointermove', (e) => this._hover(e));
    this.canvas.addEventListener('pointerleave', () => {
      if (this.hoverFn) this.hoverFn(null);
    });
  }

  get plotWidth() {
    return Math.max(10, this.width - this.opt.margin.l - this.opt.margin.r);
  }

  /**
   * Sets domains and the marks callback, then draws.
   * @param {{x: number[], y: number[], draw: Function, hover?: Function|null,
   *   xTickValues?: number[], yTickValues?: number[],
   *   xFormat?: (v: number) => string, yFormat?: (v: number) => string}} opt
   */
  render({ x, y, draw, hover, xTickValues, yTickValues, xFormat, yFormat }) {
    this.xd = x;
    this.yd = y;
    this.drawFn = draw;
    this.hoverFn = hover || null;
    this.xTickValues = xTickValues;
    this.yTickValues = yTickValues;
    if (xFormat) this.opt.xFormat = xFormat;
    if (yFormat) this.opt.yFormat = yFormat;
    this.redraw();
  }

  redraw() {
    if (!this.drawFn) return;
    const w = Math.floor(this.el.clientWidth) || 400;
    const hgt = this.opt.height;
    this.width = w;
    const dpr = window.devicePixelRatio || 1;
    const cw = Math.round(w * dpr);
    const ch = Math.round(hgt * dpr);
    if (this.canvas.width !== cw || this.canvas.height !== ch) {
      this.canvas.width = cw;
      this.canvas.height = ch;
      this.canvas.style.width = `${w}px`;
      this.canvas.style.height = `${hgt}px`;
    }
    const g = this.canvas.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, hgt);
    const m = this.opt.margin;
    const x0 = m.l;
    const x1 = w - m.r;
    const y0 = hgt - m.b;
    const y1 = m.t;
    this.x = linearScale(this.xd, [x0, x1]);
    this.y = linearScale(this.yd, [y0, y1]);
    g.font = FONT;
    // grid + y ticks
    const yt = this.yTickValues || niceTicks(this.yd[0], this.yd[1], this.opt.yTicks);
    g.strokeStyle = GRID;
    g.lineWidth = 1;
    g.fillStyle = AXIS;
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    for (const v of yt) {
      const py = Math.round(this.y(v)) + 0.5;
      if (py < y1 - 1 || py > y0 + 1) continue;
      g.beginPath();
      g.moveTo(x0, py);
      g.lineTo(x1, py);
      g.stroke();
      g.fillText(this.opt.yFormat(v), x0 - 6, py);
    }
    const xt =
      this.xTickValues ||
      niceTicks(
        this.xd[0],
        this.xd[1],
        Math.max(2, Math.min(this.opt.xTicks, Math.floor((x1 - x0) / 55))),
      );
    g.textAlign = 'center';
    g.textBaseline = 'top';
    for (const v of xt) {
      const px = Math.round(this.x(v)) + 0.5;
      if (px < x0 - 1 || px > x1 + 1) continue;
      g.strokeStyle = GRID;
      g.beginPath();
      g.moveTo(px, y1);
      g.lineTo(px, y0);
      g.stroke();
      g.fillText(this.opt.xFormat(v), px, y0 + 6);
    }
    g.strokeStyle = '#c4cad3';
    g.beginPath();
    g.moveTo(x0, y0 + 0.5);
    g.lineTo(x1, y0 + 0.5);
    g.stroke();
    if (this.opt.xLabel) {
      g.textAlign = 'right';
      g.textBaseline = 'bottom';
      g.fillStyle = '#9aa1ab';
      g.fillText(this.opt.xLabel, x1, hgt - 1);
    }
    g.save();
    g.beginPath();
    g.rect(x0, 0, x1 - x0, y0 + 4);
    g.clip(); // from the top: offset ridges rise above y1
    this.drawFn(g, this.x, this.y, { x0, x1, y0, y1, width: w, height: hgt });
    g.restore();
    if (this.overlay) this.overlay(g, this.x, this.y, { x0, x1, y0, y1 });
  }

  _hover(e) {
    if (!this.hoverFn) return;
    const r = this.canvas.getBoundingClientRect();
    const px = e.clientX - r.left;
    const py = e.clientY - r.top;
    const m = this.opt.margin;
    const inside =
      px >= m.l - 4 &&
      px <= this.width - m.r + 4 &&
      py >= m.t - 4 &&
      py <= this.opt.height - m.b + 4;
    this.hoverFn(
      inside
        ? {
            px,
            py,
            x: this.x.invert(px),
            y: this.y.invert(py),
            clientX: e.clientX,
            clientY: e.clientY,
          }
        : null,
    );
  }

  destroy() {
    if (this.ro) this.ro.disconnect();
    this.drawFn = null;
  }
}

/** Draws a polyline through finite points (gaps at non-finite values). */
export function strokeLine(g, xs, ys, sx, sy, color, width = 1.5, alpha = 1) {
  g.save();
  g.globalAlpha = alpha;
  g.strokeStyle = color;
  g.lineWidth = width;
  g.lineJoin = 'round';
  g.beginPath();
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    const y = ys[i];
    if (!Number.isFinite(y) || !Number.isFinite(xs[i])) {
      pen = false;
      continue;
    }
    const px = sx(xs[i]);
    const py = sy(y);
    if (pen) g.lineTo(px, py);
    else {
      g.moveTo(px, py);
      pen = true;
    }
  }
  g.stroke();
  g.restore();
}

/** Fills the band between lo and hi over xs. */
export function fillBand(g, xs, lo, hi, sx, sy, color, alpha) {
  const n = xs.length;
  if (!n) return;
  g.save();
  g.globalAlpha = alpha;
  g.fillStyle = color;
  g.beginPath();
  for (let i = 0; i < n; i++) g.lineTo(sx(xs[i]), sy(hi[i]));
  for (let i = n - 1; i >= 0; i--) g.lineTo(sx(xs[i]), sy(lo[i]));
  g.closePath();
  g.fill();
  if (n === 1) {
    // a single step: a short bar so it is visible
    g.fillRect(sx(xs[0]) - 2, sy(hi[0]), 4, sy(lo[0]) - sy(hi[0]));
  }
  g.restore();
}

/** Index of the element of sorted `xs` nearest to x. */
export function nearest(xs, x) {
  const n = xs.length;
  if (!n) return -1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(xs[lo - 1] - x) <= Math.abs(xs[lo] - x)) return lo - 1;
  return lo;
}

/** Mixes a '#rrggbb' colour with white (t=1 white) or black (t<0). */
export function tint(hex, t) {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex || '');
  if (!m) return hex;
  const n = parseInt(m[1], 16);
  const c = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((v) =>
    Math.round(t >= 0 ? v + (255 - v) * t : v * (1 + t)),
  );
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** Viridis-like ramp (5 stops), t in [0, 1]. */
const RAMP = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];
export function ramp(t) {
  if (!Number.isFinite(t)) return '#9aa1ab';
  t = Math.max(0, Math.min(1, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(t));
  const f = t - i;
  const c = RAMP[i].map((v, k) => Math.round(v + (RAMP[i + 1][k] - v) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

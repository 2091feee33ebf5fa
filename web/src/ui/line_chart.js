/**
 * A multi-series line chart for scalar series fetched through client.scalars()
 * (display only), drawn with the page's one line-chart stack, the Scalars
 * cards' (ui/chart_spec.js, ui/vega_view.js: Vega on a canvas, no eval):
 * raw (faint) and smoothed lines, optional bands (lower..upper), a dash per
 * series, and a hover listing every series at the nearest step in the shared
 * tooltip. Used by custom scalars and by the HParams session view.
 *
 * Test hooks on the element: data-series (series drawn), data-drawn ("1" once
 * drawn).
 */
import embed from 'vega-embed';
import { h } from './dom.js';
import { formatStep, formatValue } from './format.js';
import { tooltip } from './tooltip.js';
import { buildRows, padDomain, specKey } from './chart_spec.js';
import { EMBED_OPTIONS, vegaSpec } from './vega_view.js';

const DASHES = [[], [6, 3], [2, 3], [8, 3, 2, 3], [1, 2]];

/** Index of the element of sorted `xs` nearest to `x` (-1 when empty). */
function nearest(xs, x) {
  let best = -1;
  let bd = Infinity;
  for (let i = 0; i < xs.length; i++) {
    const d = Math.abs(xs[i] - x);
    if (d < bd) {
      bd = d;
      best = i;
    }
  }
  return best;
}

/**
 * @typedef {{name: string, run: string, color: string, dash?: number, x: ArrayLike<number>,
 *   value: ArrayLike<number>, smoothed?: ArrayLike<number>, lower?: ArrayLike<number>, upper?: ArrayLike<number>}} Series
 */
export class LineChart {
  /** @param {{height?: number, ariaLabel?: string}} [opt] */
  constructor({ height = 220, ariaLabel = 'chart' } = {}) {
    this.height = height;
    this.holder = h('div.db-vega');
    this.legend = h('div.db-legend');
    this.el = h(
      'div.db-line-chart',
      { attrs: { role: 'img', 'aria-label': ariaLabel } },
      this.holder,
      this.legend,
    );
    /** @type {Series[]} */
    this.series = [];
    this.smoothing = 0;
    /** @type {import('vega').View|null} */
    this.view = null;
    this.gen = 0;
    this.lastWidth = 0;
    this.holder.addEventListener('pointermove', (e) => this.hover(e));
    this.holder.addEventListener('pointerleave', () => tooltip.hide());
    this.ro =
      typeof ResizeObserver === 'undefined'
        ? null
        : new ResizeObserver(() => {
            const w = this.holder.clientWidth;
            if (w && Math.abs(w - this.lastWidth) > 2 && this.series.length) this.draw();
          });
    if (this.ro) this.ro.observe(this.holder);
  }

  /** The plot width to ask the engine for (pixel columns). */
  get width() {
    return Math.max(100, (this.holder.clientWidth || 460) - 60);
  }

  /**
   * Draws `series` (replacing what was drawn).
   * @param {Series[]} series
   * @param {{smoothing?: number}} [opt]
   */
  set(series, { smoothing = 0 } = {}) {
    this.series = series;
    this.smoothing = smoothing;
    this.el.dataset.series = String(series.length);
    this.legend.replaceChildren(
      ...series.map((s) =>
        h('span.db-legend-item', { title: s.name }, legendSwatch(s), h('span', { text: s.name })),
      ),
    );
    return this.draw();
  }

  async draw() {
    const gen = ++this.gen;
    const series = this.series;
    this.el.dataset.drawn = '0';
    let x0 = Infinity;
    let x1 = -Infinity;
    let y0 = Infinity;
    let y1 = -Infinity;
    const see = (arr) => {
      if (arr)
        for (const v of arr)
          if (Number.isFinite(v)) {
            if (v < y0) y0 = v;
            if (v > y1) y1 = v;
          }
    };
    for (const s of series) {
      if (s.x.length) {
        x0 = Math.min(x0, s.x[0]);
        x1 = Math.max(x1, s.x[s.x.length - 1]);
      }
      see(s.value);
      see(s.lower);
      see(s.upper);
    }
    if (!series.length || !(x0 <= x1)) {
      if (this.view) {
        this.view.finalize();
        this.view = null;
      }
      this.holder.replaceChildren();
      this.el.dataset.drawn = '1';
      return;
    }
    if (!(y0 <= y1)) {
      y0 = 0;
      y1 = 1;
    }
    const smoothed = this.smoothing > 0 && series.some((s) => s.smoothed);
    const width = this.holder.clientWidth || 460;
    this.lastWidth = width;
    const opt = {
      xAxis: /** @type {'step'} */ ('step'),
      yScale: /** @type {'linear'} */ ('linear'),
      runs: series.map((s) => s.name),
      colors: series.map((s) => s.color),
      dashes: series.some((s) => s.dash)
        ? series.map((s) => DASHES[(s.dash || 0) % DASHES.length])
        : undefined,
      band: series.some((s) => s.lower && s.upper),
      smoothed,
      width,
      height: this.height,
      domains: { x: x0 === x1 ? [x0 - 1, x1 + 1] : [x0, x1], y: padDomain(y0, y1, false) },
    };
    const rows = buildRows(
      series.map((s) => ({
        run: s.name,
        data: {
          x: s.x,
          value: s.value,
          smoothed: s.smoothed || s.value,
          lower: s.lower,
          upper: s.upper,
        },
      })),
      'step',
      'linear',
    );
    const holder = h('div.db-vega-inner');
    const res = await embed(holder, vegaSpec(opt, specKey(opt)), EMBED_OPTIONS);
    if (gen !== this.gen) {
      res.finalize();
      return;
    }
    await res.view.insert('points', rows).runAsync();
    if (gen !== this.gen) {
      res.finalize();
      return;
    }
    if (this.view) this.view.finalize();
    this.view = res.view;
    this.holder.replaceChildren(holder);
    this.el.dataset.drawn = '1';
  }

  /** Every series' value at the step nearest the pointer, in the shared tooltip. */
  hover(e) {
    const view = this.view;
    if (!view || !this.series.length) return;
    const rect = this.holder.getBoundingClientRect();
    const [ox] = view.origin();
    const px = e.clientX - rect.left - ox;
    if (px < 0 || px > view.width()) {
      tooltip.hide();
      return;
    }
    const x = +view.scale('x').invert(px);
    const smooth = this.smoothing > 0;
    let bestX = null;
    let bd = Infinity;
    for (const s of this.series) {
      const i = nearest(s.x, x);
      if (i < 0) continue;
      const d = Math.abs(s.x[i] - x);
      if (d < bd) {
        bd = d;
        bestX = s.x[i];
      }
    }
    if (bestX === null) return;
    const rows = [];
    for (const s of this.series) {
      const i = nearest(s.x, bestX);
      if (i < 0 || s.x[i] !== bestX) continue;
      let val = formatValue(smooth && s.smoothed ? s.smoothed[i] : s.value[i]);
      if (smooth && s.smoothed) val += ` (raw ${formatValue(s.value[i])})`;
      if (s.lower && s.upper) val += ` [${formatValue(s.lower[i])}, ${formatValue(s.upper[i])}]`;
      rows.push({ color: s.color, label: s.name, value: val });
    }
    tooltip.show(e.clientX, e.clientY, rows, `Step ${formatStep(bestX)}`);
  }

  destroy() {
    this.gen++;
    if (this.ro) this.ro.disconnect();
    if (this.view) this.view.finalize();
    this.view = null;
  }
}

/** A short line in the series' colour and dash, for the legend. */
function legendSwatch(s) {
  const c = document.createElement('canvas');
  c.width = 22;
  c.height = 8;
  c.className = 'db-legend-line';
  const g = c.getContext('2d');
  if (g) {
    g.strokeStyle = s.color;
    g.lineWidth = 2;
    g.setLineDash(DASHES[(s.dash || 0) % DASHES.length]);
    g.beginPath();
    g.moveTo(0, 4);
    g.lineTo(22, 4);
    g.stroke();
  }
  return c;
}

/**
 * A multi-series line chart card body for scalar series fetched through
 * client.scalars(): raw (faint) and smoothed lines, optional bands, nearest-
 * point hover listing every series at the hovered step. Used by custom
 * scalars and by the HParams session view.
 */
import { h } from './dom.js';
import { formatStep, formatValue } from './format.js';
import { tooltip } from './tooltip.js';
import { CanvasPlot, strokeLine, fillBand, nearest, padDomain } from './plot.js';

const DASHES = [[], [6, 3], [2, 3], [8, 3, 2, 3], [1, 2]];

/**
 * @typedef {{name: string, run: string, color: string, dash?: number, x: ArrayLike<number>,
 *   value: ArrayLike<number>, smoothed?: ArrayLike<number>, lower?: ArrayLike<number>, upper?: ArrayLike<number>}} Series
 */
export class LineChart {
  constructor({ height = 220, ariaLabel = 'chart' } = {}) {
    this.plot = new CanvasPlot({ height, ariaLabel, xFormat: formatStep });
    this.legend = h('div.db-legend');
    this.el = h('div.db-line-chart', {}, this.plot.el, this.legend);
    this.series = [];
    this.hotX = null;
  }

  /** @param {Series[]} series */
  set(series, { smoothing = 0 } = {}) {
    this.series = series;
    let x0 = Infinity; let x1 = -Infinity; let y0 = Infinity; let y1 = -Infinity;
    const see = (arr) => { if (arr) for (const v of arr) if (Number.isFinite(v)) { if (v < y0) y0 = v; if (v > y1) y1 = v; } };
    for (const s of series) {
      if (s.x.length) { x0 = Math.min(x0, s.x[0]); x1 = Math.max(x1, s.x[s.x.length - 1]); }
      see(s.value); see(s.lower); see(s.upper);
    }
    this.el.dataset.series = String(series.length);
    this.legend.replaceChildren(...series.map((s) => h('span.db-legend-item', { title: s.name },
      legendSwatch(s), h('span', { text: s.name }))));
    if (!series.length || !(x0 <= x1)) { this.plot.render({ x: [0, 1], y: [0, 1], draw: () => {} }); return; }
    const smooth = smoothing > 0;
    this.plot.render({
      x: x0 === x1 ? [x0 - 1, x1 + 1] : [x0, x1],
      y: padDomain(y0, y1, 0.05),
      draw: (g, sx, sy) => {
        for (const s of series) {
          if (s.lower && s.upper) fillBand(g, s.x, s.lower, s.upper, sx, sy, s.color, 0.18);
        }
        for (const s of series) {
          g.save(); g.setLineDash(DASHES[(s.dash || 0) % DASHES.length]);
          if (smooth && s.smoothed) {
            strokeLine(g, s.x, s.value, sx, sy, s.color, 1, 0.25);
            strokeLine(g, s.x, s.smoothed, sx, sy, s.color, 1.7, 1);
          } else strokeLine(g, s.x, s.value, sx, sy, s.color, 1.6, 1);
          g.restore();
        }
        if (this.hotX !== null) {
          const px = sx(this.hotX);
          g.strokeStyle = 'rgba(17,24,39,0.35)'; g.lineWidth = 1;
          g.beginPath(); g.moveTo(px, 0); g.lineTo(px, 2000); g.stroke();
        }
      },
      hover: (p) => {
        if (!p) { if (this.hotX !== null) { this.hotX = null; this.plot.redraw(); } tooltip.hide(); return; }
        const rows = [];
        let bestX = null; let bd = Infinity;
        for (const s of series) {
          const i = nearest(s.x, p.x);
          if (i < 0) continue;
          const d = Math.abs(s.x[i] - p.x);
          if (d < bd) { bd = d; bestX = s.x[i]; }
        }
        if (bestX === null) return;
        for (const s of series) {
          const i = nearest(s.x, bestX);
          if (i < 0 || s.x[i] !== bestX) continue;
          const v = smooth && s.smoothed ? s.smoothed[i] : s.value[i];
          let val = formatValue(v);
          if (smooth && s.smoothed) val += ` (raw ${formatValue(s.value[i])})`;
          if (s.lower && s.upper) val += ` [${formatValue(s.lower[i])}, ${formatValue(s.upper[i])}]`;
          rows.push({ color: s.color, label: s.name, value: val });
        }
        if (this.hotX !== bestX) { this.hotX = bestX; this.plot.redraw(); }
        tooltip.show(p.clientX, p.clientY, rows, `Step ${formatStep(bestX)}`);
      },
    });
  }

  get width() { return this.plot.plotWidth || 400; }
  destroy() { this.plot.destroy(); }
}

function legendSwatch(s) {
  const c = document.createElement('canvas');
  c.width = 22; c.height = 8; c.className = 'db-legend-line';
  const g = c.getContext('2d');
  if (g) {
    g.strokeStyle = s.color; g.lineWidth = 2; g.setLineDash(DASHES[(s.dash || 0) % DASHES.length]);
    g.beginPath(); g.moveTo(0, 4); g.lineTo(22, 4); g.stroke();
  }
  return c;
}

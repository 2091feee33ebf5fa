/**
 * Histograms: one card per (tag, run), every step re-binned onto 30 bins
 * shared by all steps (histogram_math.js) and drawn in TensorBoard's two
 * modes: "offset" (one ridge per step, stacked in depth by step, later steps
 * lower and in front) and "overlay" (all steps on one baseline, later steps
 * darker). Hovering picks a step and bin and shows step, bin range and count.
 */
import { h, segmented, field } from '../../ui/dom.js';
import { formatStep, formatValue } from '../../ui/format.js';
import { tooltip } from '../../ui/tooltip.js';
import {
  cardFrame,
  dashboardRoot,
  Serial,
  errorText,
  colorOf,
  mountCardGrid,
} from '../../ui/base.js';
import { rebinAll } from './histogram_math.js';
import { CanvasPlot, niceTicks, tint } from '../../ui/plot.js';

export const BINS = 30;
const HEIGHT = 260;
const RIDGE_FRAC = 0.32; // a ridge's full height, as a fraction of the plot height (offset mode)

class HistogramCard {
  constructor(entry, client, ctx, settings) {
    this.entry = entry;
    this.client = client;
    this.ctx = ctx;
    this.settings = settings;
    this.frame = cardFrame(entry, ctx, 'db-hist-card');
    this.el = this.frame.el;
    this.plot = new CanvasPlot({
      height: HEIGHT,
      ariaLabel: `Histogram of ${entry.tag} for ${entry.run}`,
    });
    this.frame.body.append(this.plot.el);
    this.data = null;
    this.hot = null; // {s, b}: hovered step index and bin
    this.loader = new Serial(() => this._load());
  }

  update(entry) {
    this.entry = entry;
  }
  load() {
    return this.loader.run();
  }

  async _load() {
    let t;
    try {
      t = await this.client.tensors(this.entry.run, this.entry.tag);
    } catch (err) {
      this.frame.setMessage(`Could not read histograms: ${errorText(err)}`, 'error');
      return;
    }
    this.data = rebinAll(t, BINS);
    this.frame.setMessage(this.data.step.length ? '' : 'No histograms');
    this.draw();
  }

  draw() {
    const d = this.data;
    if (!d || !d.step.length) return;
    const mode = this.settings.mode;
    const color = colorOf(this.ctx, this.entry.run);
    const n = d.step.length;
    const s0 = d.step[0];
    const s1 = d.step[n - 1];
    const edges = d.edges;
    const nb = edges.length - 1;
    const maxC = d.maxCount || 1;
    const plot = this.plot;
    const offset = mode === 'offset';
    const plotH = HEIGHT - 8 - 26;
    const ridge = offset ? Math.round(plotH * RIDGE_FRAC) : 0;
    plot.opt.margin = { l: 52, r: 14, t: 8 + ridge, b: 26 };
    const stepSpan = s1 - s0 || 1;
    // In offset mode the y scale is the step (earliest at the top); a ridge
    // rises `ridge` pixels above its step's baseline at the maximum count.
    const yDomain = offset ? [s1 === s0 ? s0 + 1 : s1, s0] : [0, maxC * 1.05];
    const ridgeY = (sy, s, c) => sy(d.step[s]) - (c / maxC) * ridge;
    const curveY = offset ? ridgeY : (sy, s, c) => sy(c);
    const mid = (b) => (edges[b] + edges[b + 1]) / 2;
    const ageT = (s) => (n === 1 ? 1 : (d.step[s] - s0) / stepSpan);
    this.el.dataset.curves = String(n);
    this.el.dataset.mode = mode;
    plot.canvas.dataset.curves = String(n);
    plot.render({
      x: [edges[0], edges[nb]],
      y: yDomain,
      yFormat: offset ? formatStep : formatValue,
      yTickValues: offset
        ? niceTicks(s0, s1 === s0 ? s0 + 1 : s1, 4).filter((v) => v >= s0 && v <= Math.max(s1, s0))
        : undefined,
      draw: (g, sx, sy) => {
        for (let s = 0; s < n; s++) {
          // earliest first: later steps are drawn in front
          const c = d.counts[s];
          const t = ageT(s);
          const base = offset ? sy(d.step[s]) : sy(0);
          g.beginPath();
          g.moveTo(sx(edges[0]), base);
          for (let b = 0; b < nb; b++) g.lineTo(sx(mid(b)), curveY(sy, s, c[b]));
          g.lineTo(sx(edges[nb]), base);
          if (offset) {
            g.closePath();
            g.fillStyle = tint(color, 0.85 - 0.55 * t);
            g.fill();
            g.strokeStyle = tint(color, -0.1 - 0.3 * t);
            g.lineWidth = 0.7;
            g.globalAlpha = 0.55 + 0.4 * t;
            g.stroke();
            g.globalAlpha = 1;
          } else {
            g.strokeStyle = tint(color, 0.8 - 0.8 * t);
            g.globalAlpha = 0.35 + 0.65 * t;
            g.lineWidth = s === n - 1 ? 1.8 : 1;
            g.stroke();
            g.globalAlpha = 1;
          }
        }
        const hot = this.hot;
        if (hot) {
          const c = d.counts[hot.s];
          g.beginPath();
          g.moveTo(sx(edges[0]), offset ? sy(d.step[hot.s]) : sy(0));
          for (let b = 0; b < nb; b++) g.lineTo(sx(mid(b)), curveY(sy, hot.s, c[b]));
          g.lineTo(sx(edges[nb]), offset ? sy(d.step[hot.s]) : sy(0));
          g.strokeStyle = '#111827';
          g.lineWidth = 2;
          g.stroke();
          const px = sx(mid(hot.b));
          const py = curveY(sy, hot.s, c[hot.b]);
          g.fillStyle = '#111827';
          g.beginPath();
          g.arc(px, py, 3.5, 0, Math.PI * 2);
          g.fill();
        }
      },
      hover: (p) => {
        if (!p) {
          if (this.hot) {
            this.hot = null;
            this.plot.redraw();
          }
          tooltip.hide();
          return;
        }
        const b = Math.max(
          0,
          Math.min(nb - 1, Math.floor(((p.x - edges[0]) / (edges[nb] - edges[0])) * nb)),
        );
        let s;
        if (offset) {
          // The step whose ridge is under the pointer: the earliest baseline below it, preferring front ones.
          s = 0;
          let best = Infinity;
          for (let k = 0; k < n; k++) {
            const base = plot.y(d.step[k]);
            const top = ridgeY(plot.y, k, d.counts[k][b]);
            const dist = p.py > base ? p.py - base + 1000 : p.py < top ? top - p.py : 0;
            if (dist < best || (dist === best && dist === 0)) {
              best = dist;
              s = k;
            }
          }
        } else {
          s = 0;
          let best = Infinity;
          for (let k = 0; k < n; k++) {
            const dist = Math.abs(plot.y(d.counts[k][b]) - p.py);
            if (dist <= best) {
              best = dist;
              s = k;
            }
          }
        }
        if (!this.hot || this.hot.s !== s || this.hot.b !== b) {
          this.hot = { s, b };
          this.plot.redraw();
        }
        tooltip.show(
          p.clientX,
          p.clientY,
          [
            { label: 'Step', value: formatStep(d.step[s]) },
            { label: 'Bin', value: `[${formatValue(edges[b])}, ${formatValue(edges[b + 1])})` },
            { label: 'Count', value: formatValue(d.counts[s][b]) },
          ],
          this.entry.run,
        );
      },
    });
    this.frame.meta.textContent = `${n} step${n === 1 ? '' : 's'} · ${formatStep(s0)} – ${formatStep(s1)}`;
  }

  destroy() {
    this.plot.destroy();
  }
}

export const histogramsDashboard = {
  id: 'histograms',
  title: 'Histograms',
  hasData: (tags) => tags.some((t) => t.plugin === 'histograms'),
  mount(container, client, ctx) {
    const ui = dashboardRoot(container, 'histograms', 'Histograms');
    const settings = { mode: 'offset' };
    const mode = segmented(
      [
        ['offset', 'Offset'],
        ['overlay', 'Overlay'],
      ],
      settings.mode,
      (v) => {
        settings.mode = v;
        mounted.grid.each((c) => c.draw());
      },
      'Histogram mode',
    );
    ui.toolbar.append(
      field('Mode', mode.el),
      h('span.db-spacer'),
      h('span.db-hint', {
        text: `Re-binned to ${BINS} shared bins per card; every stored step is drawn.`,
      }),
    );
    const mounted = mountCardGrid(ui, client, ctx, {
      plugin: 'histograms',
      noun: 'histograms',
      makeCard: (e) => new HistogramCard(e, client, ctx, settings),
    });
    return mounted;
  },
};

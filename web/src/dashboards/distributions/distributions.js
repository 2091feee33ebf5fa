/**
 * Distributions: one card per (tag, run) of histogram data, drawn as
 * TensorBoard does: the nine basis-point values per step, which the engine
 * computes (client.distributions: TensorBoard's compressor, float32 sums for
 * float32 tensors), as nested shaded bands (min..max, ±1.5σ, ±1σ, ±0.5σ) and
 * the median line.
 */
// The page's one formatter and tooltip (display only), under this file's short names.
import { formatValue as fmt, formatStep as fmtStep } from '../../ui/format.js';
import { tooltip } from '../../ui/tooltip.js';
import {
  cardFrame,
  dashboardRoot,
  Serial,
  errorText,
  colorOf,
  mountCardGrid,
} from '../../ui/base.js';
import { CanvasPlot, fillBand, strokeLine, nearest, padDomain } from '../../ui/plot.js';

const LABELS = ['max', '93%', '84%', '69%', 'median', '31%', '16%', '7%', 'min'];

/**
 * The engine's answer as bands for drawing (display only: a reshape):
 * bands[j][i] = value at basis point j of step i.
 * @param {{step: ArrayLike<number>, wallTime: ArrayLike<number>, basisPoints: ArrayLike<number>}} d
 */
export function bandsOf(d) {
  const n = d.step.length;
  const k = n ? d.basisPoints.length / n : 9;
  const bands = Array.from({ length: k }, (_, j) =>
    Array.from({ length: n }, (_, i) => d.basisPoints[i * k + j]),
  );
  return { step: Array.from(d.step), wallTime: Array.from(d.wallTime), bands };
}

class DistributionCard {
  constructor(entry, client, ctx) {
    this.entry = entry;
    this.client = client;
    this.ctx = ctx;
    this.frame = cardFrame(entry, ctx, 'db-dist-card');
    this.el = this.frame.el;
    this.plot = new CanvasPlot({
      height: 220,
      ariaLabel: `Distribution of ${entry.tag} for ${entry.run}`,
      xFormat: fmtStep,
    });
    this.frame.body.append(this.plot.el);
    this.hot = -1;
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
      t = await this.client.distributions(this.entry.run, this.entry.tag);
    } catch (err) {
      this.frame.setMessage(`Could not read histograms: ${errorText(err)}`, 'error');
      return;
    }
    this.data = t ? bandsOf(t) : null;
    this.frame.setMessage(this.data && this.data.step.length ? '' : 'No histograms');
    this.draw();
  }

  draw() {
    const d = this.data;
    if (!d || !d.step.length) return;
    const color = colorOf(this.ctx, this.entry.run);
    const b = d.bands;
    const k = b.length;
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of b[0]) if (v < lo) lo = v;
    for (const v of b[k - 1]) if (v > hi) hi = v;
    const xs = d.step;
    const x = xs.length > 1 ? [xs[0], xs[xs.length - 1]] : [xs[0] - 1, xs[0] + 1];
    this.el.dataset.steps = String(xs.length);
    this.plot.render({
      x,
      y: padDomain(lo, hi, 0.04),
      draw: (g, sx, sy) => {
        // Bands from the outside in, each more opaque: (0,8) (1,7) (2,6) (3,5).
        for (let j = 0; j < 4; j++)
          fillBand(g, xs, b[j], b[k - 1 - j], sx, sy, color, 0.16 + j * 0.1);
        strokeLine(g, xs, b[4], sx, sy, color, 1.6, 1);
        if (this.hot >= 0) {
          const px = sx(xs[this.hot]);
          g.strokeStyle = 'rgba(17,24,39,0.5)';
          g.lineWidth = 1;
          g.beginPath();
          g.moveTo(px, sy(hi) - 4);
          g.lineTo(px, sy(lo) + 4);
          g.stroke();
          g.fillStyle = '#111827';
          for (let j = 0; j < k; j++) {
            g.beginPath();
            g.arc(px, sy(b[j][this.hot]), 2.2, 0, Math.PI * 2);
            g.fill();
          }
        }
      },
      hover: (p) => {
        if (!p) {
          if (this.hot >= 0) {
            this.hot = -1;
            this.plot.redraw();
          }
          tooltip.hide();
          return;
        }
        const i = nearest(xs, p.x);
        if (i !== this.hot) {
          this.hot = i;
          this.plot.redraw();
        }
        const rows = [{ label: 'Step', value: fmtStep(xs[i]) }];
        for (let j = k - 1; j >= 0; j--)
          rows.push({ label: LABELS[k - 1 - j], value: fmt(b[j][i]) });
        tooltip.show(p.clientX, p.clientY, rows, this.entry.run);
      },
    });
  }

  destroy() {
    this.plot.destroy();
  }
}

export const distributionsDashboard = {
  id: 'distributions',
  title: 'Distributions',
  hasData: (tags) => tags.some((t) => t.plugin === 'histograms'),
  mount(container, client, ctx) {
    const ui = dashboardRoot(container, 'distributions', 'Distributions');
    ui.toolbar.hidden = true;
    return mountCardGrid(ui, client, ctx, {
      plugin: 'histograms',
      noun: 'histograms',
      makeCard: (e) => new DistributionCard(e, client, ctx),
    });
  },
};

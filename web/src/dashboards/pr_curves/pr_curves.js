/**
 * PR curves: one card per tag, precision against recall for every selected
 * run, each run with its own step slider (as in TensorBoard). The curves come
 * from the engine (client.prCurves): thresholds i / (n - 1), counts, precision
 * and recall, with TensorBoard's TP + FP == 0 tail trimmed.
 * Hover shows the nearest point's threshold, precision, recall and counts.
 */
import { h } from '../../ui/dom.js';
// The page's one formatter and tooltip (display only), under this file's short names.
import { formatValue as fmt, formatStep as fmtStep } from '../../ui/format.js';
import { tooltip } from '../../ui/tooltip.js';
import {
  StepSlider,
  dashboardRoot,
  Serial,
  errorText,
  colorOf,
  byTag,
  mountCardGrid,
} from '../../ui/base.js';
import { groupName as tagGroup } from '../../ui/tag_groups.js';
import { CanvasPlot, strokeLine } from '../../ui/plot.js';

class PrCard {
  constructor(entry, client, ctx) {
    this.entry = entry;
    this.client = client;
    this.ctx = ctx;
    this.runs = new Map(); // run -> {data, slider, idx, curve, el}
    this.hot = null;
    const title = h(
      'div.db-card-title',
      { title: entry.description || entry.tag },
      h('span.db-card-tag', { text: entry.displayName || entry.tag }),
    );
    this.plot = new CanvasPlot({
      height: 280,
      ariaLabel: `PR curve ${entry.tag}`,
      margin: { l: 44, r: 14, t: 10, b: 30 },
      xLabel: 'recall',
    });
    this.sliders = h('div.db-pr-sliders');
    this.msg = h('div.db-card-msg', { hidden: true });
    this.el = h(
      'article.db-card.db-pr-card',
      { dataset: { tag: entry.tag } },
      title,
      h('div.db-card-body', {}, this.plot.el),
      this.sliders,
      this.msg,
    );
    this.loader = new Serial(() => this._load());
  }

  update(entry) {
    this.entry = entry;
  }
  load() {
    return this.loader.run();
  }

  async _load() {
    const want = this.entry.runs;
    for (const [run, r] of this.runs)
      if (!want.includes(run)) {
        r.el.remove();
        this.runs.delete(run);
      }
    await Promise.all(
      want.map(async (run) => {
        let curves;
        try {
          curves = (await this.client.prCurves(run, this.entry.tag)) || [];
        } catch (err) {
          this.msg.hidden = false;
          this.msg.textContent = `Could not read ${run}: ${errorText(err)}`;
          return;
        }
        let r = this.runs.get(run);
        if (!r) {
          r = { run, data: null, idx: -1, curve: null };
          r.slider = new StepSlider((i) => {
            r.idx = i;
            r.curve = r.data[i] || null;
            this.draw();
          });
          r.el = h(
            'div.db-pr-run',
            {},
            h('span.db-swatch', { style: { background: colorOf(this.ctx, run) } }),
            h('span.db-pr-run-name', { text: run, title: run }),
            r.slider.el,
          );
          this.runs.set(run, r);
        }
        r.data = curves;
        r.slider.setSteps(
          curves.map((c) => c.step),
          curves.map((c) => c.wallTime),
        );
      }),
    );
    const ordered = want.filter((run) => this.runs.has(run)).map((run) => this.runs.get(run).el);
    this.sliders.replaceChildren(...ordered);
    this.draw();
  }

  draw() {
    const runs = [...this.runs.values()].filter((r) => r.curve && this.entry.runs.includes(r.run));
    this.el.dataset.curves = String(runs.length);
    this.plot.render({
      x: [0, 1],
      y: [0, 1.02],
      yTickValues: [0, 0.2, 0.4, 0.6, 0.8, 1],
      xTickValues: [0, 0.2, 0.4, 0.6, 0.8, 1],
      draw: (g, sx, sy) => {
        for (const r of runs)
          strokeLine(
            g,
            r.curve.recall,
            r.curve.precision,
            sx,
            sy,
            colorOf(this.ctx, r.run),
            this.hot && this.hot.r === r ? 2.6 : 1.8,
          );
        if (this.hot) {
          const c = this.hot.r.curve;
          const k = this.hot.k;
          g.fillStyle = colorOf(this.ctx, this.hot.r.run);
          g.strokeStyle = '#fff';
          g.lineWidth = 2;
          g.beginPath();
          g.arc(sx(c.recall[k]), sy(c.precision[k]), 4.5, 0, Math.PI * 2);
          g.fill();
          g.stroke();
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
        let best = null;
        let bd = Infinity;
        for (const r of runs) {
          const c = r.curve;
          for (let k = 0; k < c.recall.length; k++) {
            const dx = this.plot.x(c.recall[k]) - p.px;
            const dy = this.plot.y(c.precision[k]) - p.py;
            const dd = dx * dx + dy * dy;
            if (dd < bd) {
              bd = dd;
              best = { r, k };
            }
          }
        }
        if (!best || bd > 60 * 60) {
          if (this.hot) {
            this.hot = null;
            this.plot.redraw();
          }
          tooltip.hide();
          return;
        }
        if (!this.hot || this.hot.r !== best.r || this.hot.k !== best.k) {
          this.hot = best;
          this.plot.redraw();
        }
        const c = best.r.curve;
        const k = best.k;
        tooltip.show(
          p.clientX,
          p.clientY,
          [
            { label: 'Step', value: fmtStep(c.step) },
            { label: 'Threshold', value: fmt(c.thresholds[k]) },
            { label: 'Precision', value: fmt(c.precision[k]) },
            { label: 'Recall', value: fmt(c.recall[k]) },
            { label: 'TP', value: fmt(c.tp[k]) },
            { label: 'FP', value: fmt(c.fp[k]) },
            { label: 'TN', value: fmt(c.tn[k]) },
            { label: 'FN', value: fmt(c.fn[k]) },
          ],
          best.r.run,
        );
      },
    });
  }

  destroy() {
    this.plot.destroy();
  }
}

export const prCurvesDashboard = {
  id: 'pr_curves',
  title: 'PR Curves',
  hasData: (tags) => tags.some((t) => t.plugin === 'pr_curves'),
  mount(container, client, ctx) {
    const ui = dashboardRoot(container, 'pr_curves', 'PR Curves');
    ui.toolbar.append(
      h('span.db-hint', {
        text: 'Precision (y) against recall (x). Each run has its own step slider.',
      }),
    );
    return mountCardGrid(ui, client, ctx, {
      plugin: 'pr_curves',
      noun: 'PR curves',
      makeCard: (e) => new PrCard(e, client, ctx),
      gridOptions: { keyOf: (e) => e.tag, groupOf: (e) => tagGroup(e.tag) },
      entriesOf: byTag,
    });
  },
};

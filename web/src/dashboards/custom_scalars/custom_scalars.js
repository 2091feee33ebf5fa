/**
 * Custom scalars: the layouts logged under `custom_scalars__config__`.
 * Categories (collapsible, honouring `closed`) hold charts of two kinds:
 *   - multiline: every scalar tag matching any of the chart's regexes, for
 *     every selected run (colour by run, dash by tag);
 *   - margin: per series {value, lower, upper}, the value line inside a band.
 * Smoothing follows the shared view state (the Scalars dashboard's slider);
 * margin charts are drawn unsmoothed, like TensorBoard.
 */
import { h } from '../../ui/dom.js';
import {
  dashboardRoot,
  runSelector,
  tagSelector,
  viewState,
  Serial,
  errorText,
  colorOf,
} from '../../ui/base.js';
import { LineChart } from '../../ui/line_chart.js';

/** Compiles a layout regex as TensorBoard does (Python re.match: anchored at the start). */
export function layoutRegex(src) {
  try {
    return new RegExp(`^(?:${src})`);
  } catch {
    return null;
  }
}

/** Scalar tags matching any of `patterns` (pure). */
export function matchTags(patterns, tags) {
  const res = patterns.map(layoutRegex).filter(Boolean);
  return tags.filter((t) => res.some((r) => r.test(t)));
}

class CustomChart {
  constructor(chart, client, ctx) {
    this.chart = chart;
    this.client = client;
    this.ctx = ctx;
    this.line = new LineChart({ height: 230, ariaLabel: chart.title });
    this.msg = h('div.db-card-msg', { hidden: true });
    const kind = chart.margin ? 'margin' : 'multiline';
    const sub = chart.margin
      ? chart.margin.series.map((s) => s.value).join(', ')
      : chart.multiline
        ? chart.multiline.tags.join(' | ')
        : '';
    this.el = h(
      'article.db-card.db-cs-card',
      { dataset: { kind } },
      h('div.db-card-title', {}, h('span.db-card-tag', { text: chart.title || sub })),
      h('div.db-card-run', { title: sub }, h('code.db-cs-regex', { text: sub })),
      h('div.db-card-body', {}, this.line.el),
      this.msg,
    );
    this.gen = 0;
  }

  async refresh(scalarTags) {
    const gen = ++this.gen;
    const runOk = runSelector(this.ctx);
    const tagOk = tagSelector(this.ctx);
    const st = viewState(this.ctx);
    const smoothing = Number.isFinite(st.smoothing) ? st.smoothing : 0.6;
    const byRun = new Map();
    for (const t of scalarTags)
      if (runOk(t.run)) {
        if (!byRun.has(t.run)) byRun.set(t.run, new Set());
        byRun.get(t.run).add(t.tag);
      }
    const runs = [...byRun.keys()].sort();
    const width = Math.max(100, Math.floor(this.line.width));
    const q = { xAxis: 'step', width, smoothing };
    const series = [];
    try {
      if (this.chart.margin) {
        for (const run of runs) {
          const have = byRun.get(run);
          for (const s of this.chart.margin.series) {
            if (!have.has(s.value) || !tagOk(s.value)) continue;
            const [v, lo, hi] = await Promise.all(
              [s.value, s.lower, s.upper].map((tag) =>
                have.has(tag) ? this.client.scalars(run, tag, { ...q, smoothing: 0 }) : null,
              ),
            );
            series.push({
              name: `${run} · ${s.value}`,
              run,
              color: colorOf(this.ctx, run),
              x: v.x,
              value: v.value,
              lower: lo && lo.x.length === v.x.length ? lo.value : undefined,
              upper: hi && hi.x.length === v.x.length ? hi.value : undefined,
            });
          }
        }
      } else {
        const pats = (this.chart.multiline && this.chart.multiline.tags) || [];
        const jobs = [];
        const tagIndex = new Map();
        for (const run of runs) {
          for (const tag of matchTags(pats, [...byRun.get(run)].sort())) {
            if (!tagOk(tag)) continue;
            if (!tagIndex.has(tag)) tagIndex.set(tag, tagIndex.size);
            jobs.push({ run, tag });
          }
        }
        const res = await Promise.all(jobs.map((j) => this.client.scalars(j.run, j.tag, q)));
        jobs.forEach((j, i) =>
          series.push({
            name: `${j.run} · ${j.tag}`,
            run: j.run,
            color: colorOf(this.ctx, j.run),
            dash: tagIndex.get(j.tag),
            x: res[i].x,
            value: res[i].value,
            smoothed: res[i].smoothed,
          }),
        );
      }
    } catch (err) {
      if (gen === this.gen) {
        this.msg.hidden = false;
        this.msg.textContent = `Could not read: ${errorText(err)}`;
      }
      return;
    }
    if (gen !== this.gen) return;
    this.msg.hidden = !!series.length;
    this.msg.textContent = series.length ? '' : 'No selected run has a matching scalar tag.';
    this.line.set(series, { smoothing: this.chart.margin ? 0 : smoothing });
  }

  destroy() {
    this.gen++;
    this.line.destroy();
  }
}

export const customScalarsDashboard = {
  id: 'custom_scalars',
  title: 'Custom Scalars',
  hasData: (tags) => tags.some((t) => t.plugin === 'custom_scalars'),
  mount(container, client, ctx) {
    const ui = dashboardRoot(container, 'custom_scalars', 'Custom Scalars');
    ui.toolbar.append(
      h('span.db-hint', {
        text: 'Layouts logged with the run (custom_scalars__config__). Smoothing follows the Scalars settings.',
      }),
    );
    let layoutKey = '';
    let charts = [];
    const closed = new Set();
    let scalarTags = [];
    const refresh = new Serial(async () => {
      let layout;
      let tags;
      try {
        [layout, tags] = await Promise.all([client.customScalars(), client.tags()]);
      } catch (err) {
        ui.setEmpty(`Could not read the layout: ${errorText(err)}`);
        return;
      }
      const key = JSON.stringify(layout);
      if (key !== layoutKey) {
        layoutKey = key;
        for (const c of charts) c.destroy();
        charts = [];
        ui.content.replaceChildren();
        for (const cat of layout || []) {
          const body = h('div.db-grid.db-grid-wide');
          const head = h(
            'button.db-group-head',
            { type: 'button' },
            h('span.db-group-chevron', { text: '▾' }),
            h('span.db-group-name', { text: cat.title || 'Untitled' }),
            h('span.db-group-count', { text: String((cat.charts || []).length) }),
          );
          const sec = h('section.db-group', { dataset: { group: cat.title || '' } }, head, body);
          if (cat.closed || closed.has(cat.title)) sec.classList.add('closed');
          head.addEventListener('click', () => {
            const now = sec.classList.toggle('closed');
            if (now) closed.add(cat.title);
            else closed.delete(cat.title);
            if (!now) for (const c of charts) if (sec.contains(c.el)) c.refresh(scalarTags);
          });
          for (const chart of cat.charts || []) {
            const c = new CustomChart(chart, client, ctx);
            charts.push(c);
            body.append(c.el);
          }
          ui.content.append(sec);
        }
      }
      ui.setEmpty(layout && layout.length ? '' : 'No custom scalar layout in the selected runs.');
      scalarTags = tags.filter((t) => t.plugin === 'scalars' || t.isScalar);
      await Promise.all(charts.map((c) => c.refresh(scalarTags)));
    });
    const off = ctx.onStateChange ? ctx.onStateChange(() => refresh.run()) : null;
    refresh.run();
    return {
      update: () => refresh.run(),
      destroy() {
        if (typeof off === 'function') off();
        for (const c of charts) c.destroy();
        ui.root.remove();
      },
    };
  },
};

/**
 * HParams: sessions with their hyperparameters, status and metrics.
 *   - a filter panel: status, each hyperparameter (checkboxes for discrete
 *     values, a min/max range for numbers), each metric (range), and which
 *     columns to show;
 *   - three views of the filtered sessions: a sortable table, parallel
 *     coordinates and a scatter-plot matrix (metrics x hyperparameters), all
 *     coloured by a chosen metric;
 *   - metric values read as final (last), best (min or max by the metric's
 *     goal, guessed from its name and flippable), min or max;
 *   - selecting a session (row, line or dot) shows its metrics' scalar curves.
 * Sessions follow the shared run selection (a session is shown when its run is
 * selected, or any run below it is).
 */
import { h, segmented, field } from '../../ui/dom.js';
import { formatDuration, formatValue, formatWallTime } from '../../ui/format.js';
import { dashboardRoot, runSelector, Serial, errorText, colorOf } from '../../ui/base.js';
import {
  hparamsColumns,
  sortSessions,
  filterSessions,
  cellValue,
  distinctValues,
  numericExtent,
} from './hparams_model.js';
import { ParallelCoords, ScatterMatrix, sessionColorer } from './hparams_plots.js';
import { LineChart } from '../../ui/line_chart.js';

const STATUSES = ['success', 'failure', 'running', 'unknown'];

export const hparamsDashboard = {
  id: 'hparams',
  title: 'HParams',
  hasData: (tags) => tags.some((t) => t.plugin === 'hparams'),
  mount(container, client, ctx) {
    const ui = dashboardRoot(container, 'hparams', 'HParams');
    const st = {
      view: 'table',
      agg: 'last',
      colorBy: null,
      sort: { col: null, dir: /** @type {'asc'|'desc'} */ ('asc') },
      filters: {},
      hidden: new Set(),
      selected: null,
      goals: {},
    };
    let data = { experiment: null, sessions: [] };
    let cols = { hparams: [], metrics: [] };
    let runsWithScalars = new Set();

    const viewSeg = segmented(
      [
        ['table', 'Table'],
        ['parallel', 'Parallel coordinates'],
        ['scatter', 'Scatter plot matrix'],
      ],
      st.view,
      (v) => {
        st.view = v;
        render();
      },
      'View',
    );
    const aggSel = h(
      'select.db-select',
      { attrs: { 'aria-label': 'Metric value' } },
      ...[
        ['last', 'Final'],
        ['best', 'Best'],
        ['min', 'Min'],
        ['max', 'Max'],
      ].map(([v, l]) => h('option', { value: v, text: l })),
    );
    aggSel.addEventListener('change', () => {
      st.agg = aggSel.value;
      render();
    });
    const colorSel = h('select.db-select', { attrs: { 'aria-label': 'Colour by' } });
    colorSel.addEventListener('change', () => {
      st.colorBy = colorSel.value || null;
      render();
    });
    const countEl = h('span.db-hint');
    ui.toolbar.append(
      viewSeg.el,
      field('Metric value', aggSel),
      field('Colour by', colorSel),
      h('span.db-spacer'),
      countEl,
    );

    const panel = h('aside.db-hp-panel');
    const main = h('div.db-hp-main');
    const detail = h('div.db-hp-detail', { hidden: true });
    ui.content.append(h('div.db-hp-layout', {}, panel, h('div.db-hp-right', {}, main, detail)));
    const pc = new ParallelCoords((s) => select(s));
    const spm = new ScatterMatrix((s) => select(s));
    const detailCharts = [];

    const colById = (id) => [...cols.hparams, ...cols.metrics].find((c) => c.id === id);
    const visible = () => ({
      h: cols.hparams.filter((c) => !st.hidden.has(c.id)),
      m: cols.metrics
        .filter((c) => !st.hidden.has(c.id))
        .map((c) => ({ ...c, goal: st.goals[c.id] || c.goal })),
    });
    const goalsMap = () =>
      Object.fromEntries(cols.metrics.map((c) => [c.id, st.goals[c.id] || c.goal]));

    function shownSessions() {
      const runOk = runSelector(ctx);
      const inSel = data.sessions.filter(
        (s) =>
          runOk(s.run) || [...runsWithScalars].some((r) => r.startsWith(`${s.run}/`) && runOk(r)),
      );
      return filterSessions(inSel, st.filters, { agg: st.agg, goals: goalsMap() });
    }

    function select(s) {
      st.selected = s && st.selected === s.run ? null : s ? s.run : null;
      render();
      showDetail();
    }

    // ---------------------------------------------------------------- filter panel
    function buildPanel() {
      panel.replaceChildren();
      const sec = (title, ...kids) =>
        h('details.db-hp-sec', { open: true }, h('summary', { text: title }), ...kids);
      const statusBoxes = STATUSES.map((s) => {
        const cb = h('input', {
          type: 'checkbox',
          checked: !st.filters.status || st.filters.status.values.includes(s),
        });
        cb.addEventListener('change', () => {
          const vals = STATUSES.filter((x, i) => statusBoxes[i].querySelector('input').checked);
          st.filters.status = vals.length === STATUSES.length ? undefined : { values: vals };
          render();
        });
        return h('label.db-check', {}, cb, h('span', { text: s }));
      });
      panel.append(sec('Status', h('div.db-hp-vals.db-hp-status', {}, statusBoxes)));
      const colControls = (c, isMetric) => {
        const show = h('input', {
          type: 'checkbox',
          checked: !st.hidden.has(c.id),
          title: 'Show column',
        });
        show.addEventListener('change', () => {
          if (show.checked) st.hidden.delete(c.id);
          else st.hidden.add(c.id);
          render();
        });
        const head = h(
          'div.db-hp-col-head',
          {},
          h(
            'label.db-check',
            { title: c.description || c.label },
            show,
            h('span.db-hp-col-name', { text: c.label }),
          ),
        );
        if (isMetric) {
          const goal = h('button.db-icon-btn.db-goal', {
            type: 'button',
            title: 'Which way is better (used by "Best"); click to flip',
          });
          const setGoal = () => {
            goal.textContent = (st.goals[c.id] || c.goal) === 'min' ? '↓ lower' : '↑ higher';
          };
          goal.addEventListener('click', () => {
            st.goals[c.id] = (st.goals[c.id] || c.goal) === 'min' ? 'max' : 'min';
            setGoal();
            render();
          });
          setGoal();
          head.append(goal);
        }
        const wrap = h('div.db-hp-col', { dataset: { col: c.id } }, head);
        const discrete =
          !isMetric && (c.kind !== 'number' || (c.domain && Array.isArray(c.domain.values)));
        if (discrete) {
          const vals = distinctValues(data.sessions, c.id, c.domain);
          const boxes = vals.map((v) => {
            const cb = h('input', {
              type: 'checkbox',
              checked:
                !st.filters[c.id] || st.filters[c.id].values.some((a) => String(a) === String(v)),
            });
            cb.addEventListener('change', () => {
              const on = vals.filter(
                (_, i) => /** @type {HTMLInputElement} */ (boxes[i].firstChild).checked,
              );
              st.filters[c.id] = on.length === vals.length ? undefined : { values: on };
              render();
            });
            return h('label.db-check.db-check-val', {}, cb, h('span', { text: formatValue(v) }));
          });
          wrap.append(h('div.db-hp-vals', {}, boxes));
        } else {
          const ext = numericExtent(data.sessions, c.id, st.agg, c.goal);
          const mk = (ph, key) => {
            const inp = h('input.db-num', {
              type: 'number',
              step: 'any',
              placeholder: ph,
              attrs: { 'aria-label': `${c.label} ${key}` },
            });
            const cur = st.filters[c.id];
            if (cur && Number.isFinite(cur[key])) inp.value = String(cur[key]);
            inp.addEventListener('input', () => {
              const f = { ...(st.filters[c.id] || {}) };
              const v = inp.value === '' ? undefined : Number(inp.value);
              f[key] = Number.isFinite(v) ? v : undefined;
              st.filters[c.id] = Number.isFinite(f.min) || Number.isFinite(f.max) ? f : undefined;
              render();
            });
            return inp;
          };
          wrap.append(
            h(
              'div.db-hp-range',
              {},
              mk(ext ? `min ${formatValue(ext[0])}` : 'min', 'min'),
              h('span', { text: '–' }),
              mk(ext ? `max ${formatValue(ext[1])}` : 'max', 'max'),
            ),
          );
        }
        return wrap;
      };
      if (cols.hparams.length)
        panel.append(sec('Hyperparameters', ...cols.hparams.map((c) => colControls(c, false))));
      if (cols.metrics.length)
        panel.append(sec('Metrics', ...cols.metrics.map((c) => colControls(c, true))));
      const reset = h('button.db-btn', { type: 'button', text: 'Reset filters' });
      reset.addEventListener('click', () => {
        st.filters = {};
        st.hidden.clear();
        buildPanel();
        render();
      });
      panel.append(reset);
    }

    // ---------------------------------------------------------------- views
    function renderTable(sessions, vis) {
      const color = sessionColorer(
        sessions,
        st.colorBy ? vis.m.find((c) => c.id === st.colorBy) || colById(st.colorBy) : null,
        st.agg,
      );
      const headCols = [
        { id: 'run', label: 'Session' },
        { id: 'status', label: 'Status' },
        ...vis.h,
        ...vis.m,
      ];
      const thead = h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th.db-hp-chip-col'),
          ...headCols.map((c) => {
            const sorted = st.sort.col === c.id;
            const btn = h(
              'button.db-sort',
              { type: 'button', title: c.description || c.label },
              h('span', { text: c.label }),
              h('span.db-sort-ind', { text: sorted ? (st.sort.dir === 'asc' ? '▲' : '▼') : '' }),
            );
            btn.addEventListener('click', () => {
              st.sort = sorted
                ? { col: c.id, dir: st.sort.dir === 'asc' ? 'desc' : 'asc' }
                : {
                    col: c.id,
                    dir:
                      c.id.startsWith('m:') && (st.goals[c.id] || c.goal) === 'max'
                        ? 'desc'
                        : 'asc',
                  };
              render();
            });
            const th = h(
              'th',
              {
                className: c.id.startsWith('m:')
                  ? 'db-num-col db-metric-col'
                  : c.kind === 'number'
                    ? 'db-num-col'
                    : '',
                attrs: {
                  'aria-sort': sorted
                    ? st.sort.dir === 'asc'
                      ? 'ascending'
                      : 'descending'
                    : 'none',
                },
              },
              btn,
            );
            if (c.id.startsWith('m:'))
              th.append(
                h('div.db-th-sub', {
                  text:
                    st.agg === 'best'
                      ? `best (${(st.goals[c.id] || c.goal) === 'min' ? 'min' : 'max'})`
                      : st.agg === 'last'
                        ? 'final'
                        : st.agg,
                }),
              );
            return th;
          }),
        ),
      );
      const goalOf = (id) => st.goals[id] || (colById(id) || {}).goal;
      const sorted = sortSessions(sessions, { ...st.sort, agg: st.agg, goal: goalOf(st.sort.col) });
      const tbody = h('tbody');
      for (const s of sorted) {
        const tr = h(
          'tr.db-hp-row',
          {
            dataset: { run: s.run },
            attrs: { 'aria-selected': String(st.selected === s.run), tabindex: '0' },
          },
          h('td.db-hp-chip-col', {}, h('span.db-chip', { style: { background: color(s) } })),
        );
        for (const c of headCols) {
          const v = cellValue(s, c.id, st.agg, goalOf(c.id));
          if (c.id === 'status') {
            tr.append(h('td', {}, h(`span.db-status.db-status-${v}`, { text: v })));
            continue;
          }
          if (c.id === 'run') {
            tr.append(
              h(
                'td.db-hp-run',
                { title: s.run },
                h('span', { text: s.groupName && s.groupName !== s.run ? s.groupName : s.run }),
              ),
            );
            continue;
          }
          const td = h('td', {
            className: typeof v === 'number' ? 'db-num-col' : '',
            text: v === null ? '—' : formatValue(v),
          });
          if (c.id.startsWith('m:')) {
            const m = s.metrics && s.metrics[c.key];
            if (m)
              td.title = `final ${formatValue(m.last)} @ step ${m.step} · min ${formatValue(m.min)} · max ${formatValue(m.max)} · ${m.count} points`;
          }
          tr.append(td);
        }
        tr.addEventListener('click', () => select(s));
        tr.addEventListener('keydown', (e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            select(s);
          }
        });
        tbody.append(tr);
      }
      return h('div.db-table-wrap', {}, h('table.db-table.db-hp-table', {}, thead, tbody));
    }

    function render() {
      const vis = visible();
      const sessions = shownSessions();
      countEl.textContent = `${sessions.length} of ${data.sessions.length} sessions`;
      const colorCol = st.colorBy
        ? vis.m.find((c) => c.id === st.colorBy) || colById(st.colorBy)
        : null;
      const sel = data.sessions.find((s) => s.run === st.selected) || null;
      main.dataset.view = st.view;
      if (st.view === 'table') main.replaceChildren(renderTable(sessions, vis));
      else if (st.view === 'parallel') {
        main.replaceChildren(h('div.db-plot-card', {}, pc.el, legend(colorCol, sessions)));
        pc.set({ sessions, cols: [...vis.h, ...vis.m], agg: st.agg, colorCol, selected: sel });
      } else {
        main.replaceChildren(h('div.db-plot-card', {}, spm.el, legend(colorCol, sessions)));
        spm.set({ sessions, hcols: vis.h, mcols: vis.m, agg: st.agg, colorCol, selected: sel });
      }
      if (!sessions.length)
        main.append(
          h('div.db-msg', {
            text: data.sessions.length ? 'No session passes the filters.' : 'No sessions.',
          }),
        );
    }

    function legend(colorCol, sessions) {
      if (!colorCol) return h('div.db-legend');
      const vals = sessions
        .map((s) => cellValue(s, colorCol.id, st.agg, colorCol.goal))
        .filter((v) => typeof v === 'number' && Number.isFinite(v));
      return h(
        'div.db-legend.db-ramp-legend',
        {},
        h('span', { text: `${colorCol.label}: ` }),
        h('span', { text: vals.length ? formatValue(Math.min(...vals)) : '' }),
        h('span.db-ramp'),
        h('span', { text: vals.length ? formatValue(Math.max(...vals)) : '' }),
        h('span.db-hint', { text: 'Click a line or dot to see its curves.' }),
      );
    }

    async function showDetail() {
      for (const c of detailCharts) c.destroy();
      detailCharts.length = 0;
      const s = data.sessions.find((x) => x.run === st.selected);
      if (!s) {
        detail.hidden = true;
        detail.replaceChildren();
        return;
      }
      detail.hidden = false;
      const close = h('button.db-icon-btn', {
        type: 'button',
        text: '×',
        title: 'Close',
        attrs: { 'aria-label': 'Close session' },
      });
      close.addEventListener('click', () => select(null));
      const hp = h(
        'div.db-hp-kv',
        {},
        ...cols.hparams.map((c) =>
          h(
            'span.db-kv',
            {},
            h('span.db-k', { text: c.label }),
            h('span.db-v', { text: formatValue(cellValue(s, c.id)) }),
          ),
        ),
      );
      const timing = [
        s.startTime ? `started ${formatWallTime(s.startTime)}` : '',
        s.endTime && s.startTime ? `ran ${formatDuration(s.endTime - s.startTime)}` : '',
      ]
        .filter(Boolean)
        .join(' · ');
      const grid = h('div.db-grid');
      detail.replaceChildren(
        h(
          'div.db-hp-detail-head',
          {},
          h('span.db-swatch', { style: { background: colorOf(ctx, s.run) } }),
          h('strong', { text: s.groupName || s.run }),
          h(`span.db-status.db-status-${s.status}`, { text: s.status }),
          h('span.db-hint', { text: timing }),
          h('span.db-spacer'),
          close,
        ),
        hp,
        grid,
      );
      detail.dataset.session = s.run;
      const tags = await client.tags();
      const have = new Set(
        tags
          .filter((t) => t.plugin === 'scalars' || t.isScalar)
          .map((t) => `${t.run}\u0000${t.tag}`),
      );
      const jobs = cols.metrics.map((c) => {
        const cand = [c.group ? `${s.run}/${c.group}` : s.run, s.run];
        const run = cand.find((r) => have.has(`${r}\u0000${c.tag}`));
        return { c, run };
      });
      for (const { c, run } of jobs) {
        const chart = new LineChart({ height: 170, ariaLabel: `${c.label} for ${s.run}` });
        detailCharts.push(chart);
        const card = h(
          'article.db-card.db-hp-curve',
          { dataset: { metric: c.key } },
          h('div.db-card-title', {}, h('span.db-card-tag', { text: c.label })),
          h('div.db-card-body', {}, chart.el),
        );
        grid.append(card);
        if (!run) {
          card.append(h('div.db-card-msg', { text: 'No scalar series for this metric.' }));
          chart.set([]);
          continue;
        }
        try {
          const r = await client.scalars(run, c.tag, { xAxis: 'step', width: 400, smoothing: 0 });
          if (st.selected !== s.run) return;
          chart.set([
            { name: `${run} · ${c.tag}`, run, color: colorOf(ctx, s.run), x: r.x, value: r.value },
          ]);
        } catch (err) {
          card.append(
            h('div.db-card-msg.db-card-msg-error', { text: `Could not read: ${errorText(err)}` }),
          );
        }
      }
    }

    /** The layout key of the data last shown: the colour menu is rebuilt when it changes. */
    let shownKey = null;
    const refresh = new Serial(async () => {
      let tags;
      try {
        [data, tags] = await Promise.all([client.hparams(), client.tags()]);
      } catch (err) {
        ui.setEmpty(`Could not read hparams: ${errorText(err)}`);
        return;
      }
      runsWithScalars = new Set(tags.map((t) => t.run));
      const key = JSON.stringify([
        data.experiment,
        data.sessions.map((s) => Object.keys(s.hparams || {}).concat(Object.keys(s.metrics || {}))),
      ]);
      cols = hparamsColumns(data);
      if (key !== shownKey) {
        shownKey = key;
        colorSel.replaceChildren(
          h('option', { value: '', text: 'None' }),
          ...cols.metrics.map((c) => h('option', { value: c.id, text: c.label })),
        );
        if (st.colorBy === null && cols.metrics.length) st.colorBy = cols.metrics[0].id;
        colorSel.value = st.colorBy || '';
        buildPanel();
      }
      ui.setEmpty(data.sessions.length ? '' : 'No hparams sessions in the loaded runs.');
      render();
    });
    const off = ctx.onStateChange ? ctx.onStateChange(() => render()) : null;
    refresh.run();
    return {
      update: () => refresh.run(),
      destroy() {
        if (typeof off === 'function') off();
        pc.destroy();
        spm.destroy();
        for (const c of detailCharts) c.destroy();
        ui.root.remove();
      },
    };
  },
};

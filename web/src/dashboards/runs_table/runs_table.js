/**
 * Runs table: one row per selected run with the last, min and max of a chosen
 * scalar tag, its point count, the run's last step, first and last wall time,
 * and the writer (file version and writer from client.files()). Sortable by
 * any column; missing values sort last.
 */
import { h, field } from '../../ui/dom.js';
import { formatStep, formatValue, formatWallTime } from '../../ui/format.js';
import { dashboardRoot, runSelector, Serial, errorText, colorOf, cmp } from '../../ui/base.js';

/** Default tag: a loss if there is one, else the most common scalar tag. */
export function defaultTag(scalarTags) {
  const count = new Map();
  for (const t of scalarTags) count.set(t.tag, (count.get(t.tag) || 0) + 1);
  const names = [...count.keys()].sort();
  return (
    names.find((t) => /(^|\/)loss$/i.test(t)) ||
    names.find((t) => /loss/i.test(t)) ||
    names.sort((a, b) => count.get(b) - count.get(a) || cmp(a, b))[0] ||
    null
  );
}

/** Sorts rows by a key; null/undefined/NaN always last (pure). */
export function sortRows(rows, key, dir) {
  const sign = dir === 'desc' ? -1 : 1;
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      const x = a.r[key];
      const y = b.r[key];
      const xm = x === null || x === undefined || Number.isNaN(x);
      const ym = y === null || y === undefined || Number.isNaN(y);
      if (xm || ym) return xm === ym ? a.i - b.i : xm ? 1 : -1;
      const c =
        typeof x === 'number' && typeof y === 'number'
          ? x - y
          : String(x).localeCompare(String(y), 'en', { numeric: true });
      return sign * c || a.i - b.i;
    })
    .map((o) => o.r);
}

const COLUMNS = [
  ['run', 'Run', 'text'],
  ['last', 'Last', 'num'],
  ['min', 'Min', 'num'],
  ['max', 'Max', 'num'],
  ['points', 'Points', 'num'],
  ['lastStep', 'Last step', 'step'],
  ['firstTime', 'First time', 'time'],
  ['lastTime', 'Last time', 'time'],
  ['writer', 'Writer', 'text'],
];

export const runsTableDashboard = {
  id: 'runs_table',
  title: 'Runs',
  hasData: (tags) => tags.length > 0,
  mount(container, client, ctx) {
    const ui = dashboardRoot(container, 'runs_table', 'Runs');
    const st = { tag: null, sort: { key: 'run', dir: 'asc' } };
    const tagSel = h('select.db-select', { attrs: { 'aria-label': 'Scalar tag' } });
    tagSel.addEventListener('change', () => {
      st.tag = tagSel.value;
      refresh.run();
    });
    const count = h('span.db-hint');
    ui.toolbar.append(field('Scalar tag', tagSel), h('span.db-spacer'), count);
    const wrap = h('div.db-table-wrap');
    ui.content.append(wrap);
    let rows = [];

    function render() {
      const thead = h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...COLUMNS.map(([key, label, kind]) => {
            const on = st.sort.key === key;
            const btn = h(
              'button.db-sort',
              { type: 'button' },
              h('span', { text: label }),
              h('span.db-sort-ind', { text: on ? (st.sort.dir === 'asc' ? '▲' : '▼') : '' }),
            );
            btn.addEventListener('click', () => {
              st.sort = on
                ? { key, dir: st.sort.dir === 'asc' ? 'desc' : 'asc' }
                : { key, dir: 'asc' };
              render();
            });
            return h(
              'th',
              {
                className: kind === 'text' ? '' : 'db-num-col',
                attrs: {
                  'aria-sort': on ? (st.sort.dir === 'asc' ? 'ascending' : 'descending') : 'none',
                },
              },
              btn,
            );
          }),
        ),
      );
      const tbody = h('tbody');
      for (const r of sortRows(rows, st.sort.key, st.sort.dir)) {
        const tr = h('tr', { dataset: { run: r.run } });
        for (const [key, , kind] of COLUMNS) {
          const v = r[key];
          if (key === 'run') {
            tr.append(
              h(
                'td.db-run-cell',
                { title: r.run },
                h('span.db-swatch', { style: { background: colorOf(ctx, r.run) } }),
                h('span', { text: r.run }),
              ),
            );
            continue;
          }
          const text =
            v === null || v === undefined
              ? '—'
              : kind === 'num'
                ? formatValue(v)
                : kind === 'step'
                  ? formatStep(v)
                  : kind === 'time'
                    ? formatWallTime(v)
                    : String(v);
          tr.append(
            h('td', {
              className: kind === 'text' ? 'db-writer' : 'db-num-col',
              text,
              title: key === 'writer' ? r.writerTitle : undefined,
            }),
          );
        }
        tbody.append(tr);
      }
      wrap.replaceChildren(h('table.db-table.db-runs-table', {}, thead, tbody));
    }

    const refresh = new Serial(async () => {
      let tags;
      let files;
      try {
        [tags, files] = await Promise.all([client.tags(), client.files ? client.files() : []]);
      } catch (err) {
        ui.setEmpty(`Could not read runs: ${errorText(err)}`);
        return;
      }
      const runOk = runSelector(ctx);
      const scalarTags = tags.filter((t) => t.plugin === 'scalars' || t.isScalar);
      const tagNames = [...new Set(scalarTags.map((t) => t.tag))].sort();
      if (!st.tag || !tagNames.includes(st.tag)) st.tag = defaultTag(scalarTags);
      const opts = tagNames.join('\u0000');
      if (tagSel.dataset.opts !== opts) {
        tagSel.replaceChildren(...tagNames.map((t) => h('option', { value: t, text: t })));
        tagSel.dataset.opts = opts;
      }
      tagSel.value = st.tag || '';
      const runs = [...new Set(tags.map((t) => t.run))].filter(runOk).sort();
      const byRun = new Map(
        runs.map((r) => [
          r,
          {
            run: r,
            last: null,
            min: null,
            max: null,
            points: null,
            lastStep: null,
            firstTime: null,
            lastTime: null,
            writer: null,
            writerTitle: null,
          },
        ]),
      );
      for (const t of tags) {
        const r = byRun.get(t.run);
        if (!r) continue;
        if (Number.isFinite(t.lastStep) && (r.lastStep === null || t.lastStep > r.lastStep))
          r.lastStep = t.lastStep;
        if (
          Number.isFinite(t.firstWallTime) &&
          (r.firstTime === null || t.firstWallTime < r.firstTime)
        )
          r.firstTime = t.firstWallTime;
        if (Number.isFinite(t.lastWallTime) && (r.lastTime === null || t.lastWallTime > r.lastTime))
          r.lastTime = t.lastWallTime;
      }
      const writers = new Map();
      for (const f of files || []) {
        const r = byRun.get(f.run);
        if (!r) continue;
        if (
          Number.isFinite(f.firstWallTime) &&
          f.firstWallTime > 0 &&
          (r.firstTime === null || f.firstWallTime < r.firstTime)
        )
          r.firstTime = f.firstWallTime;
        const w = [f.writer, f.fileVersion].filter(Boolean).join(' · ');
        if (!writers.has(f.run)) writers.set(f.run, new Set());
        if (w) writers.get(f.run).add(w);
      }
      for (const [run, set] of writers) {
        const r = byRun.get(run);
        r.writer = [...set].join('; ') || null;
        r.writerTitle = r.writer;
      }
      await Promise.all(
        [...byRun.values()].map(async (r) => {
          const has = scalarTags.find((t) => t.run === r.run && t.tag === st.tag);
          if (!has) return;
          try {
            const s = await client.scalars(r.run, st.tag, {
              xAxis: 'step',
              width: 1,
              smoothing: 0,
            });
            const n = s.value.length;
            r.last = n ? s.value[n - 1] : null;
            r.min = Number.isFinite(s.yMin) ? s.yMin : null;
            r.max = Number.isFinite(s.yMax) ? s.yMax : null;
            r.points = s.total ?? has.points;
            if (
              n &&
              Number.isFinite(s.wallTime[n - 1]) &&
              (r.lastTime === null || s.wallTime[n - 1] > r.lastTime)
            )
              r.lastTime = s.wallTime[n - 1];
          } catch {
            /* leave blanks */
          }
        }),
      );
      rows = [...byRun.values()];
      count.textContent = `${rows.length} run${rows.length === 1 ? '' : 's'}`;
      ui.setEmpty(rows.length ? '' : 'No selected runs.');
      render();
    });
    const off = ctx.onStateChange ? ctx.onStateChange(() => refresh.run()) : null;
    refresh.run();
    return {
      update: () => refresh.run(),
      destroy() {
        if (typeof off === 'function') off();
        ui.root.remove();
      },
    };
  },
};

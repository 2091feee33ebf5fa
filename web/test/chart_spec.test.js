// Chart spec builder, rows, domains, and download formatting.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as vl from 'vega-lite';
import {
  RAW_OPACITY,
  buildRows,
  buildSpec,
  computeDomains,
  padDomain,
  specKey,
  toPlotX,
  fromPlotX,
  toVega,
} from '../src/ui/chart_spec.js';
import { CSV_HEADER, downloadName, toCsv, toJson } from '../src/dashboards/scalars/download.js';
import { groupName, groupTags } from '../src/ui/tag_groups.js';

const base = {
  xAxis: 'step',
  yScale: 'linear',
  runs: ['a', 'b'],
  colors: ['#111111', '#222222'],
  smoothed: true,
  width: 400,
  height: 200,
  domains: { x: [0, 10], y: [0, 1] },
};

test('spec: smoothed line on top of a faint raw line, colour by run with fixed colours', () => {
  const s = buildSpec(base);
  assert.equal(s.layer.length, 2);
  assert.equal(s.layer[0].encoding.y.field, 'value');
  assert.equal(s.layer[0].mark.opacity, RAW_OPACITY);
  assert.equal(s.layer[1].encoding.y.field, 'smoothed');
  assert.equal(s.layer[1].mark.opacity, undefined);
  assert.deepEqual(s.encoding.color.scale, { domain: ['a', 'b'], range: ['#111111', '#222222'] });
  assert.equal(s.encoding.color.field, 'run');
  assert.equal(s.encoding.x.field, 'x');
  assert.equal(s.encoding.x.sort, null);
  assert.deepEqual(s.encoding.x.scale.domain, { expr: 'xd' });
  assert.deepEqual(s.layer[1].encoding.y.scale.domain, { expr: 'yd' });
  assert.deepEqual(s.params, [
    { name: 'xd', value: [0, 10] },
    { name: 'yd', value: [0, 1] },
  ]);
  assert.deepEqual(s.data, { name: 'points', format: { parse: null } });
  assert.deepEqual(s.encoding.order, { value: null }); // keep the engine's x order
  assert.equal(s.layer[0].mark.aria, false);
});

test('spec: no smoothing draws only the raw line at full opacity', () => {
  const s = buildSpec({ ...base, smoothed: false });
  assert.equal(s.layer.length, 1);
  assert.equal(s.layer[0].encoding.y.field, 'value');
  assert.equal(s.layer[0].mark.opacity, undefined);
});

test('spec: axis kinds and log scale', () => {
  assert.equal(buildSpec(base).encoding.x.type, 'quantitative');
  assert.equal(buildSpec({ ...base, xAxis: 'wall' }).encoding.x.type, 'temporal');
  const rel = buildSpec({ ...base, xAxis: 'relative' });
  assert.equal(rel.encoding.x.type, 'quantitative');
  assert.match(rel.encoding.x.axis.labelExpr, /min/);
  assert.equal(buildSpec({ ...base, yScale: 'log' }).layer[0].encoding.y.scale.type, 'log');
});

test('spec compiles with Vega-Lite; domains become signals', () => {
  for (const xAxis of ['step', 'relative', 'wall']) {
    for (const yScale of ['linear', 'log']) {
      const { spec } = vl.compile(buildSpec({ ...base, xAxis, yScale }));
      const x = spec.scales.find((sc) => sc.name === 'x');
      const y = spec.scales.find((sc) => sc.name === 'y');
      assert.deepEqual(x.domain, { signal: 'xd' });
      assert.deepEqual(y.domain, { signal: 'yd' });
      assert.equal(x.type, xAxis === 'wall' ? 'time' : 'linear');
      assert.equal(y.type, yScale);
      assert.equal(spec.marks.length > 0, true);
    }
  }
});

test('toVega: no per-row expression left in the line marks', () => {
  const v = toVega(buildSpec(base));
  const lines = [];
  const walk = (ms) =>
    (ms || []).forEach((m) => {
      if (m.type === 'line') lines.push(m);
      walk(m.marks);
    });
  walk(v.marks);
  assert.equal(lines.length, 2);
  for (const m of lines) {
    const u = m.encode.update;
    assert.equal(u.description, undefined);
    assert.equal(m.sort, undefined);
    assert.deepEqual(u.defined, { field: u.y.field === 'value' ? 'dv' : 'ds' });
    for (const ch of Object.values(u)) assert.equal(ch.signal, undefined);
  }
  assert.deepEqual(
    v.data.map((d) => d.transform),
    [undefined],
  );
});

test('specKey ignores data and domains, not shape', () => {
  const k = specKey(base);
  assert.equal(specKey({ ...base, domains: { x: [5, 6], y: [1, 2] } }), k);
  assert.notEqual(specKey({ ...base, yScale: 'log' }), k);
  assert.notEqual(specKey({ ...base, runs: ['a'] }), k);
  assert.notEqual(specKey({ ...base, width: 401 }), k);
});

const series = (x, value, extra = {}) => ({
  x: Float64Array.from(x),
  value: Float64Array.from(value),
  smoothed: Float64Array.from(value),
  yMin: Math.min(...value.filter(Number.isFinite)),
  yMax: Math.max(...value.filter(Number.isFinite)),
  p05: 0,
  p95: 0,
  ...extra,
});

test('rows: one per point, wall time in ms, invalid values null', () => {
  const rows = buildRows([{ run: 'r', data: series([1, 2, 3], [0.5, NaN, -1]) }], 'wall', 'log');
  assert.equal(rows.length, 3);
  assert.deepEqual(rows[0], { run: 'r', x: 1000, value: 0.5, smoothed: 0.5, dv: true, ds: true });
  assert.equal(rows[1].dv, false);
  assert.equal(rows[1].value, null);
  assert.equal(rows[2].value, null); // <= 0 on a log scale
  assert.equal(buildRows([{ run: 'r', data: series([1], [-1]) }], 'step', 'linear')[0].value, -1);
  assert.equal(fromPlotX(toPlotX(12.5, 'wall'), 'wall'), 12.5);
});

test('domains: x extent over runs, zoom wins; y percentiles with 20% padding', () => {
  const r1 = series([0, 5], [1, 2], { p05: 1, p95: 2 });
  const r2 = series([2, 9], [0, 100], { p05: 0.5, p95: 3 });
  const d = computeDomains([r1, r2], {
    xAxis: 'step',
    yScale: 'linear',
    ignoreOutliers: true,
    zoom: null,
  });
  assert.deepEqual(d.x, [0, 9]);
  assert.deepEqual(d.y, padDomain(0.5, 3, false));
  const d2 = computeDomains([r1, r2], {
    xAxis: 'step',
    yScale: 'linear',
    ignoreOutliers: false,
    zoom: [3, 4],
  });
  assert.deepEqual(d2.x, [3, 4]);
  assert.deepEqual(d2.y, padDomain(0, 100, false));
  assert.deepEqual(padDomain(0, 10, false), [-2, 12]);
  const w = computeDomains([r1], {
    xAxis: 'wall',
    yScale: 'linear',
    ignoreOutliers: true,
    zoom: null,
  });
  assert.deepEqual(w.x, [0, 5000]);
});

test('domains: log scale stays positive; empty and flat inputs stay valid', () => {
  const r = series([0, 1, 2], [-1, 0, 4], { p05: -1, p95: 4 });
  const d = computeDomains([r], { xAxis: 'step', yScale: 'log', ignoreOutliers: true, zoom: null });
  assert.ok(d.y[0] > 0 && d.y[1] > d.y[0]);
  const e = computeDomains([], {
    xAxis: 'step',
    yScale: 'linear',
    ignoreOutliers: true,
    zoom: null,
  });
  assert.ok(e.x[0] < e.x[1] && e.y[0] < e.y[1]);
  const f = computeDomains([series([3], [7], { p05: 7, p95: 7 })], {
    xAxis: 'step',
    yScale: 'linear',
    ignoreOutliers: true,
    zoom: null,
  });
  assert.ok(f.x[0] < 3 && f.x[1] > 3 && f.y[0] < 7 && f.y[1] > 7);
});

test('CSV: exact header, one row per point, full precision, Python spellings', () => {
  const csv = toCsv({
    wallTime: [1700000000.123456, 1700000001.5, 1700000002],
    step: [0, 10, 20],
    value: [0.1 + 0.2, NaN, -Infinity],
  });
  const lines = csv.trimEnd().split('\n');
  assert.equal(lines[0], 'Wall time,Step,Value');
  assert.equal(CSV_HEADER, 'Wall time,Step,Value');
  assert.equal(lines.length, 4);
  assert.equal(lines[1], '1700000000.123456,0,0.30000000000000004');
  assert.equal(lines[2], '1700000001.5,10,nan');
  assert.equal(lines[3], '1700000002,20,-inf');
  assert.ok(csv.endsWith('\n'));
});

test('JSON: [wall, step, value] triples, non-finite as null', () => {
  const j = JSON.parse(toJson({ wallTime: [1.5, 2], step: [1, 2], value: [3, NaN] }));
  assert.deepEqual(j, [
    [1.5, 1, 3],
    [2, 2, null],
  ]);
});

test('download names', () => {
  assert.equal(downloadName('exp/run 1', 'loss/train', 'csv'), 'run-exp_run_1-tag-loss_train.csv');
});

test('tag groups: prefix before the first "/", regex filter, natural order', () => {
  assert.equal(groupName('loss/train/a'), 'loss');
  assert.equal(groupName('lr'), 'lr');
  const g = groupTags(['loss/b', 'acc', 'loss/a', 'layer10/x', 'layer2/x'], /./i);
  assert.deepEqual(
    g.map((x) => x.name),
    ['acc', 'layer2', 'layer10', 'loss'],
  );
  assert.deepEqual(g[3].tags, ['loss/a', 'loss/b']);
  assert.deepEqual(
    groupTags(['Loss/a', 'acc'], /LOSS/i).map((x) => x.name),
    ['Loss'],
  );
  assert.equal(groupTags(['a', 'b'], null).length, 2);
});

test('fast encode (closure-compiled, no eval) draws exactly what the interpreter draws', async () => {
  const vega = await import('vega');
  const { expressionInterpreter } = await import('vega-interpreter');
  const { fastInterpreter } = await import('../src/ui/fast_encode.js');
  const { toVega } = await import('../src/ui/chart_spec.js');
  const data = (run, k) => ({
    x: Float64Array.from({ length: 50 }, (_, i) => i),
    value: Float64Array.from({ length: 50 }, (_, i) => (i === 7 ? NaN : Math.sin(i / 5) + k)),
    smoothed: Float64Array.from({ length: 50 }, (_, i) => (i === 7 ? NaN : Math.cos(i / 5) + k)),
  });
  const rows = buildRows(
    [
      { run: 'a', data: data('a', 0) },
      { run: 'b', data: data('b', 2) },
    ],
    'step',
    'linear',
  );
  const spec = toVega(buildSpec({ ...base, domains: { x: [0, 49], y: [-1, 3] } }));
  spec.data[0].values = rows;
  const scene = async (expr) => {
    const view = new vega.View(vega.parse(structuredClone(spec), null, { ast: true }), {
      expr,
      renderer: 'none',
    });
    await view.runAsync();
    const out = [];
    const walk = (node) => {
      if (node.marktype === 'line')
        out.push(node.items.map((i) => [i.x, i.y, i.defined, i.stroke, i.opacity, i.strokeWidth]));
      for (const it of node.items || []) if (it.items) it.items.forEach(walk);
    };
    walk(view.scenegraph().root);
    view.finalize();
    return out;
  };
  const fast = await scene(fastInterpreter);
  const slow = await scene(expressionInterpreter);
  assert.equal(fast.length, 4); // 2 runs x (raw, smoothed)
  assert.equal(fast.flat().length, 4 * 50);
  assert.deepEqual(fast, slow);
  assert.equal(fast.flat().filter((i) => i[2] === false).length, 4); // the NaN point, per line
});

test("one line-chart stack: bands and dashes for the other dashboards' charts", () => {
  const rows = buildRows(
    [
      {
        run: 'm',
        data: { x: [1, 2], value: [1, 2], smoothed: [1, 2], lower: [0, NaN], upper: [2, 3] },
      },
    ],
    'step',
    'linear',
  );
  assert.deepEqual(
    rows.map((r) => [r.lower, r.upper]),
    [
      [0, 2],
      [null, null],
    ],
    'a band point is drawn only when both ends are',
  );
  const opt = {
    xAxis: 'step',
    yScale: 'linear',
    runs: ['a', 'b'],
    colors: ['#111111', '#222222'],
    smoothed: false,
    width: 300,
    height: 200,
    domains: { x: [0, 1], y: [0, 1] },
    band: true,
    dashes: [[], [6, 3]],
  };
  const spec = buildSpec(opt);
  assert.equal(spec.layer[0].mark.type, 'area', 'the band is drawn first, under the lines');
  assert.deepEqual(spec.layer[1].encoding.strokeDash.scale.range, [[], [6, 3]]);
  assert.notEqual(specKey(opt), specKey({ ...opt, band: false }));
  const vega = toVega(spec);
  assert.ok(vega.marks.length > 0, 'compiles');
});

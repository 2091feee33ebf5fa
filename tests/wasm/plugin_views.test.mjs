// The plugin views the page draws, answered by the engine (the page's own
// JavaScript versions are gone): distributions (TensorBoard's compressor, with
// float32 sums for float32 tensors), PR curves (the TP + FP == 0 tail trimmed)
// and text (the first 2-D slice above rank 2, with TensorBoard's warning).

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import test from 'node:test';

import { ProtoWriter, frameRecord, encodeEvent, concat } from '../support/tfrecord.mjs';

const require = createRequire(import.meta.url);
const { loadModule } = require('./helpers.cjs');

const DT_FLOAT = 1;
const DT_DOUBLE = 2;
const DT_STRING = 7;

// One Event holding one tensor value: numbers (as float32 or float64
// tensor_content) or strings (string_val), with the plugin's metadata.
function tensorEvent({ step, tag, plugin, dtype, shape, numbers, strings }) {
  const t = new ProtoWriter();
  t.int(1, dtype);
  const sh = new ProtoWriter();
  for (const d of shape) sh.lenDelim(2, new ProtoWriter().int(1, d).finish());
  t.lenDelim(2, sh.finish());
  if (numbers) {
    const Arr = dtype === DT_FLOAT ? Float32Array : Float64Array;
    t.lenDelim(4, new Uint8Array(Arr.from(numbers).buffer));
  }
  for (const s of strings || []) t.lenDelim(8, s);
  const meta = new ProtoWriter()
    .lenDelim(1, new ProtoWriter().lenDelim(1, plugin).finish())
    .int(4, 2);
  const value = new ProtoWriter()
    .lenDelim(1, tag)
    .lenDelim(9, meta.finish())
    .lenDelim(8, t.finish());
  const ev = new ProtoWriter().double(1, 1000 + step);
  if (step) ev.int(2, step);
  ev.lenDelim(5, new ProtoWriter().lenDelim(1, value.finish()).finish());
  return frameRecord(ev.finish());
}

// An engine holding one file of `events`; runs fn(engine, module).
async function withEvents(events, fn) {
  const mod = await loadModule();
  const e = new mod.Engine();
  try {
    const id = e.openFile('r/events.out.tfevents.1');
    e.push(
      id,
      concat([
        frameRecord(encodeEvent({ wallTime: 1000, fileVersion: 'brain.Event:2' })),
        ...events,
      ]),
    );
    e.endOfData(id);
    return await fn(e, mod);
  } finally {
    e.delete();
  }
}

const close = (a, b, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} != ${b}`);
const BPS = [0, 668, 1587, 3085, 5000, 6915, 8413, 9332, 10000];
const hist = (tag, rows, { step = 0, dtype = DT_DOUBLE } = {}) =>
  tensorEvent({
    step,
    tag,
    plugin: 'histograms',
    dtype,
    shape: [rows.length / 3, 3],
    numbers: rows,
  });

// The nine values of step i of a distributions() answer.
const at = (d, i) => [...d.basisPoints.subarray(9 * i, 9 * i + 9)];

test("distributions: the basis points are TensorBoard's", async () => {
  const mod = await loadModule();
  assert.deepEqual(mod.distributionBasisPoints(), BPS);
});

test('distributions: interpolation inside the bucket of each basis point', () =>
  withEvents(
    [
      hist('two', [0, 1, 1, 1, 2, 1]), // cumulative weights 5000, 10000
      hist('one', [-2, 2, 10]),
      hist('gaps', [-1, 0, 0, 0, 1, 4, 1, 2, 0, 2, 3, 4, 3, 4, 0]),
      hist('zero', [0, 1, 0, 1, 5, 0]),
      hist('mass', [3, 3, 7]),
      hist('steps', [0, 1, 1, 1, 2, 1], { step: 0 }),
      hist('steps', [-2, 2, 10], { step: 10 }),
    ],
    (e) => {
      const want = [0, 0.1336, 0.3174, 0.617, 1, 1.383, 1.6826, 1.8664, 2];
      at(e.distributions('r', 'two'), 0).forEach((x, i) => close(x, want[i]));
      at(e.distributions('r', 'one'), 0).forEach((x, i) => close(x, -2 + (4 * BPS[i]) / 10000));
      // Empty buckets are skipped (no division by zero); bp 0 falls in the first
      // non-empty bucket, whose left edge is then the histogram's min (-1).
      const gaps = at(e.distributions('r', 'gaps'), 0);
      close(gaps[0], -1);
      close(gaps[4], 2);
      close(gaps[8], 4);
      for (let i = 1; i < 9; i++) assert.ok(gaps[i] >= gaps[i - 1], 'monotone');
      assert.deepEqual(
        at(e.distributions('r', 'zero'), 0),
        BPS.map(() => 5),
      ); // zero counts: the max
      at(e.distributions('r', 'mass'), 0).forEach((x) => close(x, 3));
      const steps = e.distributions('r', 'steps');
      assert.deepEqual([...steps.step], [0, 10]);
      assert.deepEqual([...steps.wallTime], [1000, 1010]);
      close(at(steps, 0)[4], 1);
      close(at(steps, 1)[4], 0);
      close(at(steps, 1)[0], -2);
      close(at(steps, 1)[8], 2);
      assert.equal(e.distributions('r', 'nope'), null);
    },
  ));

test('distributions: a normal-like histogram has its median at the mean and symmetric bands', () => {
  const k = 200;
  const lo = -5;
  const hi = 5;
  const w = (hi - lo) / k;
  const rows = [];
  for (let i = 0; i < k; i++) {
    const c = lo + w * (i + 0.5);
    rows.push(lo + w * i, lo + w * (i + 1), 1e6 * Math.exp((-c * c) / 2));
  }
  return withEvents([hist('normal', rows)], (e) => {
    const v = at(e.distributions('r', 'normal'), 0);
    close(v[4], 0, 1e-6);
    close(v[5], 0.5, 0.01);
    close(v[6], 1, 0.01);
    close(v[7], 1.5, 0.01);
    close(v[3], -0.5, 0.01);
    close(v[2], -1, 0.01);
    close(v[1], -1.5, 0.01);
  });
});

// The corrected behaviour: a float32 histogram is weighted in float32, as numpy
// does, so three equal counts put bp 5000 at 1.50000004..., not 1.5 (the page's
// former JavaScript summed in float64).
test('distributions: float32 histograms are summed in float32', () =>
  withEvents(
    [
      hist('f32', [0, 1, 1, 1, 2, 1, 2, 3, 1], { dtype: DT_FLOAT }),
      hist('f64', [0, 1, 1, 1, 2, 1, 2, 3, 1], { dtype: DT_DOUBLE }),
    ],
    (e) => {
      const w1 = Math.fround(10000 / 3);
      const w2 = Math.fround(w1 + w1);
      assert.equal(at(e.distributions('r', 'f32'), 0)[4], 1 + (5000 - w1) / (w2 - w1));
      assert.notEqual(at(e.distributions('r', 'f32'), 0)[4], 1.5);
      assert.equal(at(e.distributions('r', 'f64'), 0)[4], 1.5);
    },
  ));

const pr = (tag, rows, step) =>
  tensorEvent({
    step,
    tag,
    plugin: 'pr_curves',
    dtype: DT_FLOAT,
    shape: [6, rows.length / 6],
    numbers: rows,
  });

test('PR curves: rows TP, FP, TN, FN, precision, recall; thresholds i / (n - 1)', () => {
  const row = [
    10, 5, 1, /* FP */ 8, 2, 1, /* TN */ 0, 6, 8, /* FN */ 0, 5, 10, /* P */ 0.5, 0.75, 0.5,
    /* R */ 1, 0.5, 0.25,
  ];
  return withEvents(
    [
      pr('pr', row, 0),
      pr(
        'pr',
        row.map((x, i) => (i < 12 ? x * 2 : x)),
        1,
      ),
    ],
    (e) => {
      const c = e.prCurves('r', 'pr');
      assert.equal(c.length, 2);
      assert.deepEqual([...c[0].thresholds], [0, 0.5, 1]);
      assert.deepEqual([...c[0].tp], [10, 5, 1]);
      assert.deepEqual([...c[0].fp], [8, 2, 1]);
      assert.deepEqual([...c[0].tn], [0, 6, 8]);
      assert.deepEqual([...c[0].fn], [0, 5, 10]);
      assert.deepEqual([...c[0].precision], [0.5, 0.75, 0.5]);
      assert.deepEqual([...c[0].recall], [1, 0.5, 0.25]);
      assert.deepEqual([...c[1].tp], [20, 10, 2]);
      assert.equal(c[1].step, 1);
      assert.equal(c[1].wallTime, 1001);
      assert.equal(e.prCurves('r', 'nope'), null);
    },
  );
});

// The corrected behaviour: thresholds past the last one with TP + FP > 0 are
// dropped, as TensorBoard does (the page's former JavaScript kept them, drawing
// a spurious line to precision 0, recall 0).
test('PR curves: the TP + FP == 0 tail is trimmed', () =>
  withEvents(
    [
      pr(
        'pr',
        [
          10, 8, 5, 0, 0, /* FP */ 10, 4, 1, 0, 0, /* TN */ 0, 6, 9, 10, 10, /* FN */ 0, 2, 5, 10,
          10, /* P */ 0.5, 0.5, 0.5, 0, 0, /* R */ 1, 0.75, 0.5, 0, 0,
        ],
        0,
      ),
      pr('zero', new Array(18).fill(0), 0),
    ],
    (e) => {
      const [c] = e.prCurves('r', 'pr');
      assert.deepEqual([...c.thresholds], [0, 0.25, 0.5]);
      assert.deepEqual([...c.recall], [1, 0.75, 0.5]);
      assert.deepEqual([...e.prCurves('r', 'zero')[0].thresholds], [0]); // at least the first
    },
  ));

const enc = (s) => new TextEncoder().encode(s);
const text = (tag, strings, shape) =>
  tensorEvent({ step: 0, tag, plugin: 'text', dtype: DT_STRING, shape, strings: strings.map(enc) });

test('text: Markdown at rank 0, one column at rank 1, rows at rank 2', () =>
  withEvents(
    [
      text('md', ['# Title'], []),
      text('list', ['a', 'b', 'c'], [3]),
      text('table', ['a', 'b', 'c', 'd', 'e', 'f'], [2, 3]),
    ],
    (e) => {
      const md = e.text('r', 'md', 0);
      assert.equal(md.kind, 'markdown');
      assert.equal(md.markdown, '# Title');
      assert.equal(md.rank, 0);
      assert.deepEqual(e.text('r', 'list', 0).rows, [['a'], ['b'], ['c']]);
      const table = e.text('r', 'table', 0);
      assert.equal(table.kind, 'table');
      assert.deepEqual(table.shape, [2, 3]);
      assert.deepEqual(table.rows, [
        ['a', 'b', 'c'],
        ['d', 'e', 'f'],
      ]);
      assert.equal(table.warning, '');
      assert.equal(e.text('r', 'table', 1), null);
    },
  ));

// The corrected behaviour: above rank 2, TensorBoard shows the first 2-D slice
// with a warning (the page's former JavaScript flattened every slice into rows).
test('text: a rank-3 tensor shows its first 2-D slice, with the warning', () =>
  withEvents(
    [
      text('cube', ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], [2, 2, 2]),
      text('thin', ['a', 'b', 'c', 'd'], [2, 1, 2]),
    ],
    (e) => {
      const cube = e.text('r', 'cube', 0);
      assert.equal(cube.rank, 3);
      assert.deepEqual(cube.rows, [
        ['a', 'b'],
        ['c', 'd'],
      ]);
      assert.match(cube.warning, /dimensionality 3/);
      assert.match(cube.warning, /2d slice/);
      assert.deepEqual(e.text('r', 'thin', 0).rows, [['a', 'b']]);
    },
  ));

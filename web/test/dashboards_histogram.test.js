// node --test: re-binning histograms onto shared bins (src/dashboards/histograms/histogram_math.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  rebin,
  rebinAll,
  sharedEdges,
  histogramRange,
  histogramTotal,
} from '../src/dashboards/histograms/histogram_math.js';

const close = (a, b, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} != ${b}`);
const sum = (a) => a.reduce((x, y) => x + y, 0);

test('sharedEdges: equal bins, degenerate ranges widened', () => {
  assert.deepEqual([...sharedEdges(0, 4, 4)], [0, 1, 2, 3, 4]);
  const e = sharedEdges(3, 3, 2);
  assert.ok(e[0] < 3 && e[2] > 3);
  const z = sharedEdges(0, 0, 2);
  assert.deepEqual([...z], [-0.5, 0, 0.5]);
});

test('rebin spreads counts by overlap and conserves the total', () => {
  const edges = sharedEdges(0, 4, 4);
  // one bucket [0.5, 2.5) with 8: 1/4 in bin 0, 1/2 in bin 1, 1/4 in bin 2
  const c = rebin([0.5, 2.5, 8], 0, 3, edges);
  assert.deepEqual([...c], [2, 4, 2, 0]);
});

test('rebin: zero-width bucket lands whole in its bin; values at the max go to the last bin', () => {
  const edges = sharedEdges(0, 4, 4);
  assert.deepEqual([...rebin([1.5, 1.5, 3], 0, 3, edges)], [0, 3, 0, 0]);
  assert.deepEqual([...rebin([4, 4, 2], 0, 3, edges)], [0, 0, 0, 2]);
});

test('rebin ignores empty and non-finite buckets', () => {
  const edges = sharedEdges(0, 2, 2);
  const c = rebin([0, 1, 0, NaN, 1, 5, 1, 2, 3], 0, 9, edges);
  assert.deepEqual([...c], [0, 3]);
});

test('rebin keeps mass outside the edges at the ends', () => {
  const edges = sharedEdges(0, 2, 2);
  const c = rebin([-2, 2, 4], 0, 3, edges); // half of it below 0
  close(sum(c), 4);
  close(c[0], 3);
  close(c[1], 1);
});

test('histogramRange skips empty buckets at either end', () => {
  const t = {
    numbers: Float64Array.of(-10, -5, 0, -5, 0, 2, 0, 5, 3, 5, 10, 0),
    offsets: Uint32Array.of(0, 12),
  };
  assert.deepEqual(histogramRange(t), [-5, 5]);
  assert.equal(
    histogramRange({ numbers: Float64Array.of(0, 1, 0), offsets: Uint32Array.of(0, 3) }),
    null,
  );
});

test('rebinAll: shared edges across steps, totals conserved per step', () => {
  const t = {
    step: Float64Array.of(0, 1, 2),
    wallTime: Float64Array.of(0, 0, 0),
    numbers: Float64Array.of(0, 1, 10, 1, 2, 10, /* step 1 */ 2, 4, 6, /* step 2 */ -1, -1, 3),
    offsets: Uint32Array.of(0, 6, 9, 12),
  };
  const r = rebinAll(t, 5);
  assert.equal(r.edges[0], -1);
  assert.equal(r.edges[5], 4);
  assert.equal(r.counts.length, 3);
  r.counts.forEach((c, i) =>
    close(sum(c), histogramTotal(t.numbers, t.offsets[i], t.offsets[i + 1])),
  );
  assert.deepEqual([...r.counts[2]], [3, 0, 0, 0, 0]);
  assert.equal(r.maxCount, 10);
});

test('rebinAll of no data', () => {
  const r = rebinAll(
    {
      step: new Float64Array(0),
      wallTime: new Float64Array(0),
      numbers: new Float64Array(0),
      offsets: Uint32Array.of(0),
    },
    4,
  );
  assert.equal(r.counts.length, 0);
  assert.equal(r.edges.length, 5);
});

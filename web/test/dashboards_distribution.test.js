// node --test: basis-point compression of histograms (src/dashboards/distributions/distribution_math.js),
// following tensorboard/plugins/distribution/compressor.py.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compressHistogram, distributionSeries, NORMAL_HISTOGRAM_BPS } from '../src/dashboards/distributions/distribution_math.js';

const close = (a, b, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} != ${b}`);

test('basis points are TensorBoard\'s', () => {
  assert.deepEqual([...NORMAL_HISTOGRAM_BPS], [0, 668, 1587, 3085, 5000, 6915, 8413, 9332, 10000]);
});

test('two equal buckets: linear interpolation in the bucket holding each basis point', () => {
  // [[0,1,1],[1,2,1]]: cumulative weights 5000, 10000.
  const v = compressHistogram([0, 1, 1, 1, 2, 1]);
  const want = [0, 0.1336, 0.3174, 0.617, 1, 1.383, 1.6826, 1.8664, 2];
  v.forEach((x, i) => close(x, want[i]));
});

test('a single bucket spreads from min to max', () => {
  const v = compressHistogram([-2, 2, 10]);
  NORMAL_HISTOGRAM_BPS.forEach((bp, i) => close(v[i], -2 + (4 * bp) / 10000));
});

test('empty buckets are skipped (no division by zero) and min/max come from the ends', () => {
  // [[-1,0,0],[0,1,4],[1,2,0],[2,3,4],[3,4,0]]
  const v = compressHistogram([-1, 0, 0, 0, 1, 4, 1, 2, 0, 2, 3, 4, 3, 4, 0]);
  // Basis point 0 falls in the first non-empty bucket; lhs is the histogram min (-1) there
  // because the cumulative weight before it is 0 (compressor.py: `not cumsum_prev`).
  close(v[0], -1);
  close(v[4], 2); // 5000: exactly the end of bucket [0,1]: searchsorted(side=right) moves on; bucket [1,2] is empty; [2,3] at its left edge
  close(v[8], 4); // max
  for (let i = 1; i < v.length; i++) assert.ok(v[i] >= v[i - 1], 'monotone');
});

test('empty histogram gives zeros; zero counts give the max', () => {
  assert.deepEqual(compressHistogram([]), NORMAL_HISTOGRAM_BPS.map(() => 0));
  assert.deepEqual(compressHistogram([0, 1, 0, 1, 5, 0]), NORMAL_HISTOGRAM_BPS.map(() => 5));
});

test('a point mass (zero-width bucket) gives that value everywhere', () => {
  const v = compressHistogram([3, 3, 7]);
  v.forEach((x) => close(x, 3));
});

test('a normal-like histogram: median near the mean, bands symmetric', () => {
  const k = 200; const lo = -5; const hi = 5; const w = (hi - lo) / k;
  const nums = [];
  for (let i = 0; i < k; i++) {
    const c = lo + w * (i + 0.5);
    nums.push(lo + w * i, lo + w * (i + 1), 1e6 * Math.exp(-c * c / 2));
  }
  const v = compressHistogram(nums);
  close(v[4], 0, 1e-6);
  close(v[5], 0.5, 0.01); close(v[6], 1, 0.01); close(v[7], 1.5, 0.01);
  close(v[3], -0.5, 0.01); close(v[2], -1, 0.01); close(v[1], -1.5, 0.01);
});

test('distributionSeries compresses each step of a tensors() result', () => {
  const t = {
    step: Float64Array.of(0, 10), wallTime: Float64Array.of(1, 2),
    numbers: Float64Array.of(0, 1, 1, 1, 2, 1, -2, 2, 10), offsets: Uint32Array.of(0, 6, 9),
  };
  const d = distributionSeries(t);
  assert.deepEqual(d.step, [0, 10]);
  assert.equal(d.bands.length, 9);
  close(d.bands[4][0], 1); close(d.bands[4][1], 0);
  close(d.bands[0][1], -2); close(d.bands[8][1], 2);
});

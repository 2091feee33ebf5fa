// Smoothing: the JS reference matches TensorBoard's debiased EMA.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  smooth,
  clampSmoothing,
  DEFAULT_SMOOTHING,
  MAX_SMOOTHING,
} from '../src/dashboards/scalars/smoothing.js';

/** The formula written out independently, element by element. */
function reference(ys, w) {
  let last = 0;
  let n = 0;
  return ys.map((y) => {
    if (!Number.isFinite(y)) return y;
    last = last * w + (1 - w) * y;
    n += 1;
    return w === 1 ? last : last / (1 - w ** n);
  });
}

test('matches the reference formula on random data', () => {
  const ys = Array.from({ length: 500 }, (_, i) => Math.sin(i / 7) * 3 + (i % 5));
  for (const w of [0.1, 0.6, 0.9, 0.99, 0.999]) {
    const got = smooth(ys, w);
    const want = reference(ys, w);
    for (let i = 0; i < ys.length; i++)
      assert.ok(Math.abs(got[i] - want[i]) < 1e-12, `w=${w} i=${i}`);
  }
});

test('hand-computed values', () => {
  // w = 0.5: 1st = 1; 2nd: last = 0.25*... -> (0.5*0.5*1 + 0.5*3) / (1 - 0.25) = 2.333...
  const s = smooth([1, 3], 0.5);
  assert.equal(s[0], 1);
  assert.ok(Math.abs(s[1] - 1.75 / 0.75) < 1e-12);
});

test('first smoothed value equals the first raw value (debiasing)', () => {
  for (const w of [0, 0.3, 0.6, 0.999]) assert.ok(Math.abs(smooth([42.5, 1], w)[0] - 42.5) < 1e-9);
});

test('w = 0 is the identity', () => {
  const ys = [3, -1, 7.5, 0, 1e10];
  assert.deepEqual([...smooth(ys, 0)], ys);
});

test('non-finite values pass through and do not advance the average', () => {
  const ys = [1, NaN, 3, Infinity, -Infinity, 5];
  const s = smooth(ys, 0.6);
  assert.ok(Number.isNaN(s[1]));
  assert.equal(s[3], Infinity);
  assert.equal(s[4], -Infinity);
  const clean = smooth([1, 3, 5], 0.6);
  assert.equal(s[0], clean[0]);
  assert.equal(s[2], clean[1]);
  assert.equal(s[5], clean[2]);
});

test('constant series stays constant', () => {
  const s = smooth(new Array(100).fill(0.25), 0.95);
  for (const v of s) assert.ok(Math.abs(v - 0.25) < 1e-12);
});

test('w = 1 does not divide (TensorBoard quirk)', () => {
  assert.deepEqual([...smooth([2, 4], 1)], [0, 0]);
});

test('empty input and typed arrays', () => {
  assert.equal(smooth([], 0.6).length, 0);
  assert.ok(smooth(new Float32Array([1, 2]), 0.6) instanceof Float64Array);
});

test('clampSmoothing', () => {
  assert.equal(clampSmoothing(2), MAX_SMOOTHING);
  assert.equal(clampSmoothing(-1), 0);
  assert.equal(clampSmoothing('0.3'), 0.3);
  assert.equal(clampSmoothing('abc'), DEFAULT_SMOOTHING);
  assert.equal(DEFAULT_SMOOTHING, 0.6);
});

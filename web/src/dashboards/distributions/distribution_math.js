/**
 * Distributions from histograms, as TensorBoard's compressor does it
 * (tensorboard/plugins/distribution/compressor.py): the values at nine basis
 * points of the cumulative count, by linear interpolation inside the bucket
 * where each basis point falls. Basis points 0 and 10000 are the min and the
 * max; the others are where mean ±0.5, ±1 and ±1.5 standard deviations would
 * fall under a normal distribution.
 */

export const NORMAL_HISTOGRAM_BPS = Object.freeze([0, 668, 1587, 3085, 5000, 6915, 8413, 9332, 10000]);

/**
 * Compresses one histogram.
 * @param {ArrayLike<number>} numbers the [k, 3] tensor's elements, row-major: left, right, count
 * @param {number} [start] index of the first element in `numbers`
 * @param {number} [end] one past the last element
 * @param {readonly number[]} [bps]
 * @returns {number[]} one value per basis point
 */
export function compressHistogram(numbers, start = 0, end = numbers.length, bps = NORMAL_HISTOGRAM_BPS) {
  const k = Math.floor((end - start) / 3);
  if (k <= 0) return bps.map(() => 0);
  const minmin = numbers[start];
  const maxmax = numbers[start + 3 * (k - 1) + 1];
  let total = 0;
  for (let i = 0; i < k; i++) total += numbers[start + 3 * i + 2];
  const scale = bps[bps.length - 1] / (total || 1);
  const weights = new Float64Array(k); // cumulative, in basis points
  let acc = 0;
  for (let i = 0; i < k; i++) { acc += numbers[start + 3 * i + 2] * scale; weights[i] = acc; }
  const right = (i) => numbers[start + 3 * i + 1];

  const out = [];
  let b = 0;
  while (b < bps.length) {
    const bp = bps[b];
    let i = searchRight(weights, bp);
    let found = false;
    for (; i < k; i++) {
      const cum = weights[i];
      const prev = i > 0 ? weights[i - 1] : 0;
      if (cum === prev) continue; // an empty bucket: nothing to interpolate in
      const lhs = !i || !prev ? minmin : Math.max(right(i - 1), minmin);
      const rhs = Math.min(right(i), maxmax);
      out.push(lhs + ((bp - prev) * (rhs - lhs)) / (cum - prev));
      found = true;
      break;
    }
    if (!found) break;
    b += 1;
  }
  while (out.length < bps.length) out.push(maxmax);
  return out;
}

/** numpy.searchsorted(a, v, side='right'): the first index with a[i] > v. */
function searchRight(a, v) {
  let lo = 0; let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] <= v) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/**
 * Compresses every histogram of a `client.tensors()` result.
 * @param {{step: ArrayLike<number>, wallTime: ArrayLike<number>, numbers: ArrayLike<number>, offsets: ArrayLike<number>}} t
 * @returns {{step: number[], wallTime: number[], bands: number[][]}} bands[j][i] = value at basis point j, step i
 */
export function distributionSeries(t, bps = NORMAL_HISTOGRAM_BPS) {
  const n = t.step.length;
  const bands = bps.map(() => new Array(n));
  for (let i = 0; i < n; i++) {
    const v = compressHistogram(t.numbers, t.offsets[i], t.offsets[i + 1], bps);
    for (let j = 0; j < bps.length; j++) bands[j][i] = v[j];
  }
  return { step: Array.from(t.step), wallTime: Array.from(t.wallTime), bands };
}

/**
 * Re-binning histograms onto bins shared by every step, so curves of
 * different steps are comparable and can be stacked (offset view) or
 * overlaid. Counts of a source bucket are spread over the shared bins in
 * proportion to overlap, reading the bucket as uniform; a zero-width bucket
 * (all values equal) lands whole in the bin holding its value.
 */

/**
 * The range covered by all histograms (non-empty buckets only, so leading and
 * trailing empty buckets written by some loaders do not stretch the axis).
 * @param {{numbers: ArrayLike<number>, offsets: ArrayLike<number>}} t
 * @returns {[number, number]|null}
 */
export function histogramRange(t) {
  let lo = Infinity;
  let hi = -Infinity;
  const n = t.offsets.length - 1;
  for (let s = 0; s < n; s++) {
    for (let o = t.offsets[s]; o + 2 < t.offsets[s + 1]; o += 3) {
      if (!(t.numbers[o + 2] > 0)) continue;
      const l = t.numbers[o];
      const r = t.numbers[o + 1];
      if (Number.isFinite(l) && l < lo) lo = l;
      if (Number.isFinite(r) && r > hi) hi = r;
    }
  }
  if (!(lo <= hi)) return null;
  return [lo, hi];
}

/**
 * `count` equal bins over [lo, hi]; a degenerate range is widened so the bins
 * have positive width. Returns count + 1 edges.
 */
export function sharedEdges(lo, hi, count = 30) {
  if (!(hi > lo)) {
    const d = lo === 0 ? 0.5 : Math.abs(lo) * 0.05;
    lo -= d;
    hi += d;
  }
  const edges = new Float64Array(count + 1);
  for (let i = 0; i <= count; i++) edges[i] = lo + ((hi - lo) * i) / count;
  edges[count] = hi;
  return edges;
}

/**
 * Spreads the buckets in numbers[start, end) (rows of left, right, count)
 * over the bins given by `edges` (sorted, equal width).
 * @returns {Float64Array} counts per shared bin (length edges.length - 1)
 */
export function rebin(numbers, start, end, edges) {
  const nb = edges.length - 1;
  const out = new Float64Array(nb);
  const lo = edges[0];
  const hi = edges[nb];
  const w = (hi - lo) / nb;
  const binOf = (x) => Math.min(nb - 1, Math.max(0, Math.floor((x - lo) / w)));
  for (let o = start; o + 2 < end; o += 3) {
    const l = numbers[o];
    const r = numbers[o + 1];
    const c = numbers[o + 2];
    if (!(c > 0) || !Number.isFinite(l) || !Number.isFinite(r)) continue;
    if (!(r > l)) {
      out[binOf(l)] += c;
      continue;
    }
    const a = Math.max(l, lo);
    const b = Math.min(r, hi);
    if (!(b > a)) {
      out[binOf(r <= lo ? lo : hi)] += c;
      continue;
    } // outside: clamp
    const density = c / (r - l);
    // Mass outside [lo, hi] (only when edges were narrowed) goes to the ends.
    if (l < lo) out[0] += (lo - l) * density;
    if (r > hi) out[nb - 1] += (r - hi) * density;
    for (let k = binOf(a); k < nb && edges[k] < b; k++) {
      const ov = Math.min(b, edges[k + 1]) - Math.max(a, edges[k]);
      if (ov > 0) out[k] += ov * density;
    }
  }
  return out;
}

/**
 * Re-bins every step of a `client.tensors()` histogram result onto shared bins.
 * @param {{step: ArrayLike<number>, wallTime: ArrayLike<number>, numbers: ArrayLike<number>, offsets: ArrayLike<number>}} t
 * @param {number} [bins]
 * @returns {{edges: Float64Array, step: number[], wallTime: number[], counts: Float64Array[], maxCount: number}}
 */
export function rebinAll(t, bins = 30) {
  const range = histogramRange(t) || [0, 0];
  const edges = sharedEdges(range[0], range[1], bins);
  const counts = [];
  let maxCount = 0;
  for (let s = 0; s < t.step.length; s++) {
    const c = rebin(t.numbers, t.offsets[s], t.offsets[s + 1], edges);
    for (const v of c) if (v > maxCount) maxCount = v;
    counts.push(c);
  }
  return { edges, step: Array.from(t.step), wallTime: Array.from(t.wallTime), counts, maxCount };
}

/** Sum of counts in numbers[start, end) (a histogram's total). */
export function histogramTotal(numbers, start, end) {
  let s = 0;
  for (let o = start; o + 2 < end; o += 3) s += numbers[o + 2];
  return s;
}

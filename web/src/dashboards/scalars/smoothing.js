/**
 * TensorBoard's scalar smoothing: a debiased exponential moving average.
 *
 * This is the JavaScript reference of what the engine computes on the full
 * series before it reduces points for display (see
 * /work/shared/reference/tensorboard-format.md, section 5):
 *
 *   last = 0, n = 0
 *   for each finite y:  last = last * w + (1 - w) * y;  n += 1
 *                       smoothed = last / (1 - w^n)      (no division when w = 1)
 *   a non-finite y (NaN, +-Infinity) passes through unchanged and does not
 *   advance the average.
 *
 * The debiasing divides out the weight the zero start value would otherwise
 * carry, so the first smoothed value equals the first raw value for any w < 1.
 * Used by the unit tests, the fake client, and anywhere the UI needs a smoothed
 * value the engine did not send.
 */

/** Largest weight the UI offers (TensorBoard caps the slider there too). */
export const MAX_SMOOTHING = 0.999;
/** TensorBoard's default smoothing weight. */
export const DEFAULT_SMOOTHING = 0.6;

/**
 * Clamps a smoothing weight to [0, MAX_SMOOTHING]; anything non-numeric
 * becomes the default.
 * @param {unknown} w
 * @returns {number}
 */
export function clampSmoothing(w) {
  const x = typeof w === 'number' ? w : Number.parseFloat(String(w));
  if (!Number.isFinite(x)) return DEFAULT_SMOOTHING;
  return Math.min(MAX_SMOOTHING, Math.max(0, x));
}

/**
 * Smooths `values` with weight `w` (the raw weight, not clamped: w = 1 is
 * allowed and yields the undivided accumulator, like TensorBoard).
 * @param {ArrayLike<number>} values
 * @param {number} w in [0, 1]
 * @returns {Float64Array} same length as `values`
 */
export function smooth(values, w) {
  const n = values.length;
  const out = new Float64Array(n);
  let last = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const y = values[i];
    if (!Number.isFinite(y)) {
      out[i] = y;
      continue;
    }
    last = last * w + (1 - w) * y;
    count += 1;
    const debias = w === 1 ? 1 : 1 - Math.pow(w, count);
    out[i] = last / debias;
  }
  return out;
}

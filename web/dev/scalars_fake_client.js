/**
 * A stand-in for the DataClient, for developing and testing the Scalars
 * dashboard without the wasm engine. It follows the DataClient contract:
 * full-resolution series in memory, smoothing on the full series, then
 * min/max reduction per pixel column of the requested x-range.
 */
import { smooth } from '../src/dashboards/scalars/smoothing.js';

function mulberry32(seed) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function percentile(sorted, q) {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[i];
}

/**
 * Min/max per pixel column: for each of `width` columns over [x0, x1], keep
 * the first point, the min and the max (in x order), and always the last.
 * Returns the kept indices.
 */
export function reduceMinMax(x, y, lo, hi, x0, x1, width) {
  const n = hi - lo;
  if (n <= 2 * width) return Array.from({ length: n }, (_, i) => lo + i);
  const keep = [];
  const span = x1 - x0 || 1;
  let col = -1; let iMin = -1; let iMax = -1;
  const flush = () => {
    if (iMin < 0) return;
    if (iMin === iMax) keep.push(iMin);
    else keep.push(Math.min(iMin, iMax), Math.max(iMin, iMax));
  };
  for (let i = lo; i < hi; i++) {
    const c = Math.min(width - 1, Math.floor(((x[i] - x0) / span) * width));
    if (c !== col) { flush(); col = c; iMin = iMax = i; continue; }
    if (!(y[i] >= y[iMin])) iMin = i;
    if (!(y[i] <= y[iMax])) iMax = i;
  }
  flush();
  return keep;
}

export class FakeClient extends EventTarget {
  /** @param {{runs?: number, tags?: string[], points?: number, seed?: number}} [opt] */
  constructor(opt = {}) {
    super();
    const rnd = mulberry32(opt.seed ?? 7);
    const nRuns = opt.runs ?? 4;
    const tags = opt.tags ?? ['loss/train', 'loss/eval', 'metrics/accuracy', 'metrics/f1',
      'lr', 'grad_norm/layer1', 'grad_norm/layer2', 'grad_norm/layer3', 'throughput'];
    const points = opt.points ?? 2000;
    this.data = new Map(); // run -> tag -> {step, wallTime, value}
    this._runs = [];
    const t0 = 1.7e9;
    for (let r = 0; r < nRuns; r++) {
      const run = r === 0 ? 'baseline' : `lr_${(0.1 / 2 ** r).toPrecision(2)}/seed_${r}`;
      this._runs.push(run);
      const m = new Map();
      tags.forEach((tag, k) => {
        const n = points - Math.floor(rnd() * points * 0.3);
        const step = new Float64Array(n); const wallTime = new Float64Array(n); const value = new Float64Array(n);
        let t = t0 + r * 3600;
        for (let i = 0; i < n; i++) {
          step[i] = i * 10;
          t += 0.5 + rnd();
          wallTime[i] = t;
          const p = i / n;
          const noise = (rnd() - 0.5) * 0.3;
          let v;
          if (tag.startsWith('loss')) v = 2.5 * Math.exp(-4 * p * (1 + r * 0.3)) + 0.2 + noise * 0.5;
          else if (tag.startsWith('metrics')) v = 0.95 - 0.6 * Math.exp(-5 * p * (1 + r * 0.2)) + noise * 0.1;
          else if (tag === 'lr') v = 0.1 / 2 ** r * (1 - p);
          else v = Math.abs(1 + k * 0.2 + noise * 0.6 + Math.sin(p * (6 + r)) * 0.3 + r * 0.15);
          if (i === Math.floor(n / 2) && tag === 'loss/train') v = 40; // an outlier spike
          value[i] = v;
        }
        m.set(tag, { step, wallTime, value });
      });
      this.data.set(run, m);
    }
    this.calls = 0;
  }

  async runs() { return [...this._runs]; }

  async tags() {
    const out = [];
    for (const [run, m] of this.data) {
      for (const [tag, s] of m) {
        const n = s.step.length;
        out.push({
          run, tag, plugin: 'scalars', dataClass: 'scalar', displayName: tag === 'lr' ? 'Learning rate' : '',
          description: '', points: n, firstStep: s.step[0], lastStep: s.step[n - 1],
          firstWallTime: s.wallTime[0], lastWallTime: s.wallTime[n - 1], isScalar: true,
        });
      }
    }
    return out;
  }

  async scalarsFull(run, tag) {
    const s = this.data.get(run)?.get(tag);
    if (!s) throw new Error(`no series ${run} ${tag}`);
    return { step: s.step.slice(), wallTime: s.wallTime.slice(), value: s.value.slice() };
  }

  async scalars(run, tag, { xAxis = 'step', x0 = null, x1 = null, width = 500, smoothing = 0.6 } = {}) {
    this.calls++;
    const s = this.data.get(run)?.get(tag);
    if (!s) throw new Error(`no series ${run} ${tag}`);
    const n = s.step.length;
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = xAxis === 'step' ? s.step[i] : xAxis === 'wall' ? s.wallTime[i] : s.wallTime[i] - s.wallTime[0];
    }
    const sm = smooth(s.value, smoothing);
    let lo = 0; let hi = n;
    if (x0 !== null) while (lo < n && x[lo] < x0) lo++;
    if (x1 !== null) while (hi > lo && x[hi - 1] > x1) hi--;
    const a = x0 ?? x[0]; const b = x1 ?? x[n - 1];
    const keep = reduceMinMax(x, s.value, lo, hi, a, b, Math.max(1, Math.floor(width)));
    const pick = (arr) => Float64Array.from(keep, (i) => arr[i]);
    const vals = Array.from(s.value.subarray(lo, hi)).filter(Number.isFinite).sort((p, q) => p - q);
    await new Promise((r) => setTimeout(r, 5));
    return {
      x: pick(x), step: pick(s.step), wallTime: pick(s.wallTime), value: pick(s.value), smoothed: pick(sm),
      total: hi - lo, yMin: vals[0], yMax: vals[vals.length - 1],
      p05: percentile(vals, 0.05), p95: percentile(vals, 0.95),
    };
  }
}

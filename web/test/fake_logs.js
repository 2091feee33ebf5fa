/**
 * Demo logs for the dev pages and tests: realistic data for every dashboard
 * (scalars, images, audio, text, histograms, distributions, PR curves, hparams,
 * custom scalars, runs table), seeded into the one fake engine
 * (test/fake_engine.js), which the real worker handlers and DataClient then
 * serve through the real protocol. Deterministic (seeded); works in Node and
 * in the browser. Images are real PNG (and one BMP) files, audio real WAVs.
 *
 *   const client = await createFakeClient({hostile: true});  // a DataClient
 *   // hostile: adds a text tag with hostile Markdown
 *   // scalars: {runs, points, tags}: more scalar runs, for the Scalars dev page
 */
import './fake_engine.js';
import { DataClient } from '../src/engine/client.js';
import { serveRpc } from '../src/engine/protocol.js';
import { createHandlers } from '../src/engine/worker.js';

function mulberry32(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const enc = new TextEncoder();

// ------------------------------------------------------------------ PNG / BMP / WAV writers

const CRC32 = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();
function crc32(b) {
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = CRC32[(c ^ b[i]) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function concat(parts) {
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
function u32be(v) {
  return Uint8Array.of(v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
}

/**
 * A PNG (8-bit RGB) of `rgb` (w*h*3 bytes), zlib with stored blocks: valid,
 * uncompressed, no dependency.
 */
export function encodePng(w, h, rgb) {
  const raw = new Uint8Array(h * (1 + w * 3));
  for (let y = 0; y < h; y++) {
    raw[y * (1 + w * 3)] = 0;
    raw.set(rgb.subarray(y * w * 3, (y + 1) * w * 3), y * (1 + w * 3) + 1);
  }
  const blocks = [Uint8Array.of(0x78, 0x01)];
  for (let o = 0; o < raw.length || o === 0; o += 65535) {
    const len = Math.min(65535, raw.length - o);
    const last = o + len >= raw.length ? 1 : 0;
    blocks.push(
      Uint8Array.of(last, len & 255, len >> 8, ~len & 255, (~len >> 8) & 255),
      raw.subarray(o, o + len),
    );
    if (last) break;
  }
  let a = 1;
  let b = 0;
  for (let i = 0; i < raw.length; i++) {
    a = (a + raw[i]) % 65521;
    b = (b + a) % 65521;
  }
  blocks.push(u32be(((b << 16) | a) >>> 0));
  const chunk = (type, data) => {
    const td = concat([enc.encode(type), data]);
    return concat([u32be(data.length), td, u32be(crc32(td))]);
  };
  const ihdr = concat([u32be(w), u32be(h), Uint8Array.of(8, 2, 0, 0, 0)]);
  return concat([
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk('IHDR', ihdr),
    chunk('IDAT', concat(blocks)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** A 24-bit BMP of `rgb`. */
export function encodeBmp(w, h, rgb) {
  const row = (w * 3 + 3) & ~3;
  const size = 54 + row * h;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  out[0] = 0x42;
  out[1] = 0x4d;
  dv.setUint32(2, size, true);
  dv.setUint32(10, 54, true);
  dv.setUint32(14, 40, true);
  dv.setInt32(18, w, true);
  dv.setInt32(22, h, true);
  dv.setUint16(26, 1, true);
  dv.setUint16(28, 24, true);
  dv.setUint32(34, row * h, true);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const s = ((h - 1 - y) * w + x) * 3;
      const d = 54 + y * row + x * 3;
      out[d] = rgb[s + 2];
      out[d + 1] = rgb[s + 1];
      out[d + 2] = rgb[s];
    }
  }
  return out;
}

/** A 16-bit PCM mono WAV of `samples` in [-1, 1]. */
export function encodeWav(samples, rate) {
  const n = samples.length;
  const out = new Uint8Array(44 + n * 2);
  const dv = new DataView(out.buffer);
  out.set(enc.encode('RIFF'), 0);
  dv.setUint32(4, 36 + n * 2, true);
  out.set(enc.encode('WAVE'), 8);
  out.set(enc.encode('fmt '), 12);
  dv.setUint32(16, 16, true);
  dv.setUint16(20, 1, true);
  dv.setUint16(22, 1, true);
  dv.setUint32(24, rate, true);
  dv.setUint32(28, rate * 2, true);
  dv.setUint16(32, 2, true);
  dv.setUint16(34, 16, true);
  out.set(enc.encode('data'), 36);
  dv.setUint32(40, n * 2, true);
  for (let i = 0; i < n; i++)
    dv.setInt16(44 + i * 2, Math.max(-1, Math.min(1, samples[i])) * 32767, true);
  return out;
}

/** A test picture: a gradient with a moving disc; deterministic in (seed, step, k). */
export function testPicture(w, h, seed, step, k) {
  const rgb = new Uint8Array(w * h * 3);
  const cx = w * (0.2 + 0.6 * ((step * 0.07 + k * 0.3) % 1));
  const cy = h * (0.5 + 0.25 * Math.sin(step * 0.3 + seed));
  const r = Math.min(w, h) * 0.22;
  const hue = [(seed * 97) % 256, (seed * 57 + 80) % 256, (seed * 31 + 160) % 256];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const inside = (x - cx) ** 2 + (y - cy) ** 2 < r * r;
      const g = (x / w) * 0.6 + (y / h) * 0.4;
      rgb[i] = inside ? 255 - hue[0] / 2 : Math.round(hue[0] * g);
      rgb[i + 1] = inside ? 240 : Math.round(hue[1] * (1 - g) + 30);
      rgb[i + 2] = inside ? hue[2] / 3 : Math.round(180 * g + 40);
      if ((x >> 3) % 2 === (y >> 3) % 2 && !inside) rgb[i + 2] = Math.min(255, rgb[i + 2] + 25);
    }
  }
  return rgb;
}

/** Standard normal CDF (Abramowitz-Stegun 7.1.26 erf). */
function normCdf(z) {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

// ------------------------------------------------------------------ the fake

export const HOSTILE_MARKDOWN = [
  '# Hostile log',
  '',
  'Plain **bold** and a [safe link](https://example.com/docs).',
  '',
  '<script>window.__pwned = (window.__pwned || 0) + 1; fetch("http://evil.example/s")</script>',
  '<img src="http://evil.example/beacon.png" onerror="window.__pwned = (window.__pwned || 0) + 10">',
  '<img src="x" onerror="window.__pwned = (window.__pwned || 0) + 100">',
  '![remote](https://evil.example/remote.png)',
  '<a href="javascript:window.__pwned=1000">click me</a> [md js](javascript:window.__pwned=1000)',
  '<iframe src="https://evil.example/frame"></iframe>',
  '<form action="https://evil.example/post"><input name="q" value="x"><button>go</button></form>',
  '<div style="background:url(https://evil.example/bg.png)">styled div</div>',
  '<style>body { background: url(https://evil.example/css.png) }</style>',
  '<svg onload="window.__pwned=10000"><circle r="5"/></svg>',
  '<link rel="stylesheet" href="https://evil.example/x.css">',
  '<video poster="https://evil.example/poster.png" src="https://evil.example/v.mp4"></video>',
  '<img srcset="https://evil.example/srcset.png 1x" alt="srcset">',
  '<object data="https://evil.example/o.swf"></object><embed src="https://evil.example/e.swf">',
  '<details open ontoggle="window.__pwned=100000"><summary>details</summary>inside</details>',
  '<p onclick="window.__pwned=1">para with onclick</p>',
  '<div class="tb-drop-overlay db-root">a fake app overlay</div>',
  '',
  '![inline data image](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==)',
].join('\n\n');

/** The demo logs: every series, and the hparams and custom-scalars views. */
export class FakeLogs {
  /**
   * @param {{seed?: number, hostile?: boolean, histSteps?: number,
   *   scalars?: {runs?: number, points?: number, tags?: string[]}}} [opt]
   */
  constructor(opt = {}) {
    this.rnd = mulberry32(opt.seed ?? 11);
    this.runsList = ['mnist/adam', 'mnist/sgd', 'cifar/resnet18'];
    this.sessionRuns = [];
    this.series = new Map(); // `${run}\0${tag}` -> {plugin, dataClass, step, wallTime, points: [...]} | scalar {value}
    this.t0 = 1.7e9;
    this._buildScalars();
    if (opt.scalars) this._buildManyScalars(opt.scalars);
    this._buildImages();
    this._buildAudio();
    this._buildText(opt.hostile !== false);
    this._buildHistograms(opt.histSteps ?? 60);
    this._buildPr();
    this._buildHparams();
    this._buildCustomScalars();
  }

  _put(run, tag, rec) {
    this.series.set(`${run}\u0000${tag}`, { run, tag, displayName: '', description: '', ...rec });
  }
  _get(run, tag) {
    const s = this.series.get(`${run}\u0000${tag}`);
    if (!s) throw new Error(`no data for run ${run} tag ${tag}`);
    return s;
  }

  _times(n, r, dt = 2) {
    const wall = new Float64Array(n);
    let t = this.t0 + r * 1800;
    for (let i = 0; i < n; i++) {
      t += dt * (0.6 + this.rnd());
      wall[i] = t;
    }
    return wall;
  }

  _scalar(run, tag, n, stepEvery, f, r) {
    const step = Float64Array.from({ length: n }, (_, i) => i * stepEvery);
    const value = Float64Array.from({ length: n }, (_, i) => f(i / n, i));
    this._put(run, tag, {
      plugin: 'scalars',
      dataClass: 'scalar',
      isScalar: true,
      step,
      wallTime: this._times(n, r),
      value,
    });
  }

  _buildScalars() {
    this.runsList.forEach((run, r) => {
      const speed = [1, 0.55, 0.8][r];
      const noise = () => this.rnd() - 0.5;
      this._scalar(
        run,
        'loss/train',
        400,
        25,
        (p) => 2.3 * Math.exp(-5 * p * speed) + 0.08 + 0.06 * noise(),
        r,
      );
      this._scalar(
        run,
        'loss/eval',
        40,
        250,
        (p) => 2.3 * Math.exp(-4.5 * p * speed) + 0.14 + 0.03 * noise(),
        r,
      );
      this._scalar(
        run,
        'accuracy',
        40,
        250,
        (p) => 0.98 - 0.88 * Math.exp(-5 * p * speed) + 0.01 * noise(),
        r,
      );
      this._scalar(run, 'margin/mean', 100, 100, (p, i) => Math.sin(i / 9 + r) * 0.6 + 2 * p, r);
      this._scalar(
        run,
        'margin/lower',
        100,
        100,
        (p, i) => Math.sin(i / 9 + r) * 0.6 + 2 * p - 0.4 - 0.2 * (1 - p),
        r,
      );
      this._scalar(
        run,
        'margin/upper',
        100,
        100,
        (p, i) => Math.sin(i / 9 + r) * 0.6 + 2 * p + 0.4 + 0.2 * (1 - p),
        r,
      );
    });
  }

  _buildImages() {
    this.runsList.forEach((run, r) => {
      const n = 24 + r * 6;
      const step = Float64Array.from({ length: n }, (_, i) => i * 100 + (i > 10 ? 7 : 0));
      const points = [];
      for (let i = 0; i < n; i++) {
        const k = 3;
        const w = 96;
        const hh = 64;
        const imgs = [];
        for (let j = 0; j < k; j++) imgs.push(encodePng(w, hh, testPicture(w, hh, r + 1, i, j)));
        points.push([enc.encode(String(w)), enc.encode(String(hh)), ...imgs]);
      }
      this._put(run, 'input/samples', {
        plugin: 'images',
        dataClass: 'blob_sequence',
        step,
        wallTime: this._times(n, r, 50),
        points,
        displayName: 'Input samples',
      });
      if (r === 0) {
        const m = 5;
        const pts = [];
        for (let i = 0; i < m; i++) {
          const w = 48;
          const hh = 48;
          pts.push([
            enc.encode(String(w)),
            enc.encode(String(hh)),
            encodeBmp(w, hh, testPicture(w, hh, 7, i * 3, 0)),
          ]);
        }
        this._put(run, 'debug/attention_map', {
          plugin: 'images',
          dataClass: 'blob_sequence',
          step: Float64Array.from({ length: m }, (_, i) => i * 1000),
          wallTime: this._times(m, r, 500),
          points: pts,
        });
      }
    });
  }

  _buildAudio() {
    const rate = 16000;
    this.runsList.slice(0, 2).forEach((run, r) => {
      const n = 8;
      const points = [];
      for (let i = 0; i < n; i++) {
        const clips = [];
        for (let j = 0; j < 2; j++) {
          const f0 = 220 * 2 ** ((i + j * 4 + r * 2) / 12);
          const len = Math.round(rate * (0.6 + 0.2 * j));
          const s = new Float32Array(len);
          for (let t = 0; t < len; t++)
            s[t] =
              0.4 * Math.sin((2 * Math.PI * f0 * t) / rate) * Math.min(1, t / 400, (len - t) / 400);
          clips.push(encodeWav(s, rate), enc.encode(j === 0 ? `**tone** ${f0.toFixed(1)} Hz` : ''));
        }
        points.push(clips);
      }
      this._put(run, 'audio/generated', {
        plugin: 'audio',
        dataClass: 'blob_sequence',
        step: Float64Array.from({ length: n }, (_, i) => i * 500),
        wallTime: this._times(n, r, 30),
        points,
        shape: [2, 2],
      });
    });
  }

  _buildText(hostile) {
    const run = this.runsList[0];
    const notes = [];
    const n = 6;
    for (let i = 0; i < n; i++) {
      notes.push([
        enc.encode(
          [
            `## Epoch ${i + 1} notes`,
            '',
            `Training with **Adam**, lr \`1e-3\`, batch 128. Loss went *down* to ${(2.3 * Math.exp(-i / 2)).toFixed(3)}.`,
            '',
            '- augmentations: random crop, flip',
            `- checkpoint: \`ckpt-${(i + 1) * 1000}\``,
            '',
            '| metric | value |',
            '| --- | ---: |',
            `| accuracy | ${(0.5 + i * 0.08).toFixed(3)} |`,
            `| f1 | ${(0.45 + i * 0.08).toFixed(3)} |`,
            '',
            '```python',
            'model.fit(x, y, epochs=10)',
            '```',
          ].join('\n'),
        ),
      ]);
    }
    this._put(run, 'notes', {
      plugin: 'text',
      dataClass: 'tensor',
      step: Float64Array.from({ length: n }, (_, i) => i * 1000),
      wallTime: this._times(n, 0, 100),
      points: notes,
      shape: [],
    });
    const words = ['the', 'cat', 'sat', 'on', 'a', 'mat', '<b>not bold</b>', 'ünïcødé'];
    const preds = [];
    for (let i = 0; i < 4; i++) {
      const cells = [];
      for (let rr = 0; rr < 3; rr++) {
        cells.push(
          enc.encode(`sample ${rr}`),
          enc.encode(words.slice(rr, rr + 3 + i).join(' ')),
          enc.encode((0.5 + 0.1 * i + 0.05 * rr).toFixed(2)),
        );
      }
      preds.push(cells);
    }
    this._put(this.runsList[1], 'predictions/table', {
      plugin: 'text',
      dataClass: 'tensor',
      step: Float64Array.from({ length: 4 }, (_, i) => i * 2000),
      wallTime: this._times(4, 1, 100),
      points: preds,
      shape: [3, 3],
    });
    this._put(this.runsList[1], 'predictions/labels', {
      plugin: 'text',
      dataClass: 'tensor',
      step: Float64Array.of(0, 5000),
      wallTime: this._times(2, 1, 100),
      points: [words.map((w) => enc.encode(w)), words.slice(2).map((w) => enc.encode(w))],
      shape: [words.length],
    });
    if (hostile) {
      this._put(this.runsList[2], 'hostile/markdown', {
        plugin: 'text',
        dataClass: 'tensor',
        step: Float64Array.of(1),
        wallTime: this._times(1, 2),
        points: [[enc.encode(HOSTILE_MARKDOWN)]],
        shape: [],
      });
    }
  }

  _buildHistograms(n) {
    this.runsList.forEach((run, r) => {
      for (const [tag, kind] of [
        ['weights/dense1', 0],
        ['activations/relu', 1],
      ]) {
        if (r === 2 && kind === 1) continue;
        const step = Float64Array.from({ length: n }, (_, i) => i * 50);
        const rows = [];
        for (let i = 0; i < n; i++) {
          const p = i / n;
          const k = 30;
          const mu = kind === 0 ? 0.3 * p * (r + 1) : 0.6 + p;
          const sd = kind === 0 ? 0.2 + 0.6 * p : 0.3 + 0.1 * r;
          const lo = mu - 3.2 * sd - 0.1 * this.rnd();
          const hi = mu + 3.2 * sd + 0.1 * this.rnd();
          const w = (hi - lo) / k;
          const b = [];
          for (let j = 0; j < k; j++) {
            const c = lo + w * (j + 0.5);
            let d = Math.exp(-(((c - mu) / sd) ** 2) / 2);
            if (kind === 1) d = c < 0.05 ? 0 : d + (j === 0 ? 0 : 0);
            if (kind === 0 && r === 1)
              d += 0.5 * Math.exp(-(((c - mu - 1.5 * sd) / (sd / 3)) ** 2) / 2);
            b.push(lo + w * j, lo + w * (j + 1), Math.round(1000 * d * (0.9 + 0.2 * this.rnd())));
          }
          rows.push(Float64Array.from(b));
        }
        this._put(run, tag, {
          plugin: 'histograms',
          dataClass: 'tensor',
          step,
          wallTime: this._times(n, r, 20),
          rows,
          rowShape: (row) => [row.length / 3, 3],
        });
      }
    });
  }

  _buildPr() {
    const th = 51;
    this.runsList.forEach((run, r) => {
      for (const tag of ['pr/cat', 'pr/dog']) {
        const n = 10;
        const step = Float64Array.from({ length: n }, (_, i) => i * 100);
        const rows = [];
        for (let i = 0; i < n; i++) {
          const skill = 0.4 + 0.5 * (i / n) * [1, 0.7, 0.85][r] + (tag === 'pr/dog' ? -0.1 : 0);
          const pos = 500;
          const neg = 500;
          const tp = [];
          const fp = [];
          const tn = [];
          const fn = [];
          const prec = [];
          const rec = [];
          for (let t = 0; t < th; t++) {
            const thr = t / (th - 1);
            // Scores: positives ~ N(0.5 + d, 0.18), negatives ~ N(0.5 - d, 0.18).
            const d = 0.25 * skill;
            const TP = Math.round(pos * (1 - normCdf((thr - 0.5 - d) / 0.18)));
            const FP = Math.round(neg * (1 - normCdf((thr - 0.5 + d) / 0.18)));
            tp.push(TP);
            fp.push(FP);
            tn.push(neg - FP);
            fn.push(pos - TP);
            prec.push(TP + FP > 0 ? TP / (TP + FP) : 1);
            rec.push(TP / pos);
          }
          rows.push(Float64Array.from([...tp, ...fp, ...tn, ...fn, ...prec, ...rec]));
        }
        this._put(run, tag, {
          plugin: 'pr_curves',
          dataClass: 'tensor',
          step,
          wallTime: this._times(n, r, 40),
          rows,
          rowShape: () => [6, th],
        });
      }
    });
  }

  _buildHparams() {
    const lrs = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2];
    const opts = ['adam', 'sgd', 'rmsprop'];
    this.hp = {
      experiment: {
        hparamInfos: [
          {
            name: 'lr',
            displayName: 'Learning rate',
            description: 'Initial learning rate',
            type: 'float64',
            domain: { min: 1e-4, max: 1e-2 },
          },
          {
            name: 'optimizer',
            displayName: '',
            description: '',
            type: 'string',
            domain: { values: opts },
          },
          {
            name: 'dropout',
            displayName: 'Dropout',
            description: '',
            type: 'float64',
            domain: { min: 0, max: 0.5 },
          },
          {
            name: 'batch_norm',
            displayName: '',
            description: '',
            type: 'bool',
            domain: { values: [false, true] },
          },
          {
            name: 'layers',
            displayName: '',
            description: '',
            type: 'float64',
            domain: { values: [2, 4, 8] },
          },
        ],
        metricInfos: [
          {
            group: 'validation',
            tag: 'epoch_accuracy',
            displayName: 'Val accuracy',
            description: '',
          },
          { group: 'validation', tag: 'epoch_loss', displayName: 'Val loss', description: '' },
          { group: 'train', tag: 'epoch_loss', displayName: 'Train loss', description: '' },
        ],
      },
      sessions: [],
    };
    for (let i = 0; i < 12; i++) {
      const lr = lrs[i % lrs.length];
      const opt = opts[i % 3];
      const dropout = [0, 0.1, 0.2, 0.3, 0.5][(i * 7) % 5];
      const bn = i % 4 < 2;
      const layers = [2, 4, 8][(i * 5) % 3];
      const q =
        1 -
        Math.abs(Math.log10(lr) + 3) / 2.5 +
        (opt === 'adam' ? 0.1 : 0) -
        dropout * 0.3 +
        (bn ? 0.05 : 0) +
        layers * 0.01;
      const run = `hparams/session_${String(i).padStart(2, '0')}`;
      this.sessionRuns.push(run, `${run}/train`, `${run}/validation`);
      const status = i === 10 ? 'running' : i === 7 ? 'failure' : 'success';
      const n = status === 'failure' ? 6 : 20;
      const metrics = {};
      const mk = (group, tag, f, r) => {
        const rr = group ? `${run}/${group}` : run;
        this._scalar(rr, tag, n, 1, f, r);
        const v = this._get(rr, tag).value;
        const arr = Array.from(v);
        metrics[`${group}/${tag}`] = {
          last: arr[n - 1],
          min: Math.min(...arr),
          max: Math.max(...arr),
          step: n - 1,
          count: n,
        };
      };
      mk(
        'validation',
        'epoch_accuracy',
        (p) =>
          Math.max(
            0.1,
            Math.min(0.99, 0.5 + 0.45 * q * (1 - Math.exp(-4 * p)) + 0.02 * (this.rnd() - 0.5)),
          ),
        3,
      );
      mk(
        'validation',
        'epoch_loss',
        (p) => 1.5 * Math.exp(-3 * p * Math.max(0.1, q)) + 0.2 + 0.05 * this.rnd(),
        3,
      );
      mk(
        'train',
        'epoch_loss',
        (p) => 1.4 * Math.exp(-3.5 * p * Math.max(0.1, q)) + 0.1 + 0.03 * this.rnd(),
        3,
      );
      this.hp.sessions.push({
        run,
        groupName: run,
        hparams: { lr, optimizer: opt, dropout, batch_norm: bn, layers },
        status,
        startTime: this.t0 + i * 600,
        endTime: status === 'running' ? 0 : this.t0 + i * 600 + 500,
        metrics,
      });
      this._put(run, '_hparams_/session_start_info', {
        plugin: 'hparams',
        dataClass: 'tensor',
        step: Float64Array.of(0),
        wallTime: Float64Array.of(this.t0 + i * 600),
        points: [[]],
      });
    }
    this._put('hparams', '_hparams_/experiment', {
      plugin: 'hparams',
      dataClass: 'tensor',
      step: Float64Array.of(0),
      wallTime: Float64Array.of(this.t0),
      points: [[]],
    });
  }

  _buildCustomScalars() {
    this.layout = [
      {
        title: 'Losses',
        closed: false,
        charts: [
          { title: 'Train vs eval loss', multiline: { tags: ['loss/.*'] } },
          { title: 'Accuracy', multiline: { tags: ['^accuracy$'] } },
        ],
      },
      {
        title: 'Margins',
        closed: false,
        charts: [
          {
            title: 'Margin with bounds',
            margin: {
              series: [{ value: 'margin/mean', lower: 'margin/lower', upper: 'margin/upper' }],
            },
          },
        ],
      },
      {
        title: 'Nothing matches',
        closed: true,
        charts: [{ title: 'Missing', multiline: { tags: ['no_such_tag'] } }],
      },
    ];
    this._put(this.runsList[0], 'custom_scalars__config__', {
      plugin: 'custom_scalars',
      dataClass: 'tensor',
      step: Float64Array.of(0),
      wallTime: Float64Array.of(this.t0),
      points: [[]],
    });
  }

  /** More scalar runs: `runs` runs of `points` points per tag (an outlier spike in loss/train). */
  _buildManyScalars({ runs = 4, points = 2000, tags } = {}) {
    const names = tags || [
      'loss/train',
      'loss/eval',
      'metrics/accuracy',
      'metrics/f1',
      'lr',
      'grad_norm/layer1',
      'grad_norm/layer2',
      'grad_norm/layer3',
      'throughput',
    ];
    for (let r = 0; r < runs; r++) {
      const run = r === 0 ? 'baseline' : `lr_${(0.1 / 2 ** r).toPrecision(2)}/seed_${r}`;
      names.forEach((tag, k) => {
        const n = points - Math.floor(this.rnd() * points * 0.3);
        this._scalar(
          run,
          tag,
          n,
          10,
          (p, i) => {
            const noise = (this.rnd() - 0.5) * 0.3;
            if (i === Math.floor(n / 2) && tag === 'loss/train') return 40;
            if (tag.startsWith('loss'))
              return 2.5 * Math.exp(-4 * p * (1 + r * 0.3)) + 0.2 + noise * 0.5;
            if (tag.startsWith('metrics'))
              return 0.95 - 0.6 * Math.exp(-5 * p * (1 + r * 0.2)) + noise * 0.1;
            if (tag === 'lr') return (0.1 / 2 ** r) * (1 - p);
            return Math.abs(1 + k * 0.2 + noise * 0.6 + Math.sin(p * (6 + r)) * 0.3 + r * 0.15);
          },
          r,
        );
      });
    }
  }

  /** Puts every series and view into a fake engine (TbviewFakeEngine). */
  seedInto(engine) {
    for (const s of this.series.values()) engine.seed(s);
    engine.seedViews({ hparams: { ...this.hp, errors: [] }, customScalars: this.layout });
  }
}

/**
 * A DataClient over the real protocol, answered by the fake engine holding
 * these demo logs (the worker's handlers run on this thread, over a
 * MessageChannel).
 * @param {ConstructorParameters<typeof FakeLogs>[0]} [opt]
 */
export async function createFakeClient(opt = {}) {
  const logs = new FakeLogs(opt);
  const FakeEngine = globalThis.TbviewFakeEngine;
  class DemoEngine extends FakeEngine {
    constructor() {
      super();
      logs.seedInto(this);
    }
  }
  const { port1, port2 } = new MessageChannel();
  serveRpc(
    port2,
    createHandlers(async () => ({ Engine: DemoEngine, fake: true })),
  );
  const client = new DataClient({ port: port1, wasmUrl: 'fake' });
  await client.ready;
  return client;
}

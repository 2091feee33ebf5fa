// The one fake engine: a small JavaScript stand-in for the wasm engine
// (web/public/wasm/tbview_web.js), with the same API: `createTbviewModule() ->
// Promise<{Engine}>`, and an Engine with every method the worker calls
// (openFile/push/endOfData/failFile/setFileStatus/files/runs/tags/scalars/scalarsFull/
// tensorSteps/tensor/tensors/distributions/prCurves/text/blob/hparams/customScalars/
// stats/shrink). Behind the
// real worker handlers and DataClient it speaks the real protocol: the Node unit
// tests, the dev pages (web/dev, through test/fake_logs.js) and, when the wasm
// module is not built, the e2e tests all use it.
//
// Two ways data gets in:
// - push(): it understands what the worker and client tests need: TFRecord
//   framing with both CRCs, Event wall_time/step/file_version/source_metadata,
//   and Summary values with simple_value or a one-element float/double tensor;
//   any other value is counted as a point of a non-scalar tag. It does not
//   unpack archives. Restart rule as the real engine: a step lower than the last
//   stored step drops that tag's stored points with step >= it.
// - seed(): whole series given as columns (scalars, images, audio, text,
//   histograms, PR curves) and the hparams and custom-scalars views, for the
//   dashboards' demo logs (test/fake_logs.js), which would be long to encode as
//   events. Its answers are only as faithful as the demo needs.
//
// Deliberately written with no import/export so that it is at once an ES module
// (`import './fake_engine.js'` then globalThis.createTbviewModule or
// globalThis.TbviewFakeEngine) and a classic script (the e2e tests serve it in
// place of the wasm script when the wasm module has not been built). It is never
// part of the built app.
(function () {
  'use strict';

  const CRC_TABLE = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    CRC_TABLE[i] = c >>> 0;
  }
  function maskedCrc(bytes, start, end) {
    let c = 0xffffffff;
    for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
    c = (c ^ 0xffffffff) >>> 0;
    return ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;
  }

  // ---- minimal protobuf reading
  class Reader {
    constructor(buf, start = 0, end = buf.length) {
      this.b = buf;
      this.p = start;
      this.end = end;
      this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    more() {
      return this.p < this.end;
    }
    varint() {
      let result = 0,
        mul = 1,
        byte;
      do {
        if (this.p >= this.end) throw new Error('truncated varint');
        byte = this.b[this.p++];
        result += (byte & 0x7f) * mul;
        mul *= 128;
      } while (byte & 0x80);
      // int64 negative numbers come as 10-byte varints; fold them back.
      return result >= 2 ** 63 ? result - 2 ** 64 : result;
    }
    skip(wire) {
      if (wire === 0) this.varint();
      else if (wire === 1) this.p += 8;
      else if (wire === 5) this.p += 4;
      else if (wire === 2) {
        const n = this.varint();
        this.p += n;
      } else throw new Error('bad wire type ' + wire);
      if (this.p > this.end) throw new Error('truncated field');
    }
    sub() {
      const n = this.varint();
      const r = new Reader(this.b, this.p, this.p + n);
      this.p += n;
      if (this.p > this.end) throw new Error('truncated');
      return r;
    }
    str() {
      const r = this.sub();
      return new TextDecoder().decode(this.b.subarray(r.p, r.end));
    }
    f64() {
      const v = this.dv.getFloat64(this.p, true);
      this.p += 8;
      return v;
    }
    f32() {
      const v = this.dv.getFloat32(this.p, true);
      this.p += 4;
      return v;
    }
  }

  function parseMetadata(r) {
    const m = { plugin: '', displayName: '', description: '', dataClass: 0 };
    while (r.more()) {
      const k = r.varint(),
        f = k >>> 3,
        w = k & 7;
      if (f === 1 && w === 2) {
        const pd = r.sub();
        while (pd.more()) {
          const k2 = pd.varint();
          if (k2 >>> 3 === 1 && (k2 & 7) === 2) m.plugin = pd.str();
          else pd.skip(k2 & 7);
        }
      } else if (f === 2 && w === 2) m.displayName = r.str();
      else if (f === 3 && w === 2) m.description = r.str();
      else if (f === 4 && w === 0) m.dataClass = r.varint();
      else r.skip(w);
    }
    return m;
  }

  // Returns the number in a one-element float/double tensor, else undefined.
  function tensorScalar(r) {
    let dtype = 0,
      vals = [],
      content = null;
    while (r.more()) {
      const k = r.varint(),
        f = k >>> 3,
        w = k & 7;
      if (f === 1 && w === 0) dtype = r.varint();
      else if (f === 4 && w === 2) {
        const s = r.sub();
        content = s;
      } else if (f === 5 && w === 2) {
        const s = r.sub();
        while (s.more()) vals.push(s.f32());
      } else if (f === 5 && w === 5) vals.push(r.f32());
      else if (f === 6 && w === 2) {
        const s = r.sub();
        while (s.more()) vals.push(s.f64());
      } else if (f === 6 && w === 1) vals.push(r.f64());
      else r.skip(w);
    }
    if (content) {
      const n = content.end - content.p;
      if (dtype === 1 && n === 4) return content.f32();
      if (dtype === 2 && n === 8) return content.f64();
      return undefined;
    }
    return vals.length === 1 ? vals[0] : undefined;
  }

  function parseEvent(r) {
    const ev = { wallTime: 0, step: 0, fileVersion: null, writer: '', values: [] };
    while (r.more()) {
      const k = r.varint(),
        f = k >>> 3,
        w = k & 7;
      if (f === 1 && w === 1) ev.wallTime = r.f64();
      else if (f === 2 && w === 0) ev.step = r.varint();
      else if (f === 3 && w === 2) ev.fileVersion = r.str();
      else if (f === 10 && w === 2) {
        const s = r.sub();
        while (s.more()) {
          const k2 = s.varint();
          if (k2 >>> 3 === 1 && (k2 & 7) === 2) ev.writer = s.str();
          else s.skip(k2 & 7);
        }
      } else if (f === 5 && w === 2) {
        const sum = r.sub();
        while (sum.more()) {
          const k2 = sum.varint();
          if (k2 >>> 3 !== 1 || (k2 & 7) !== 2) {
            sum.skip(k2 & 7);
            continue;
          }
          const vr = sum.sub();
          const v = {
            tag: '',
            nodeName: '',
            simple: undefined,
            tensor: undefined,
            other: '',
            meta: null,
          };
          while (vr.more()) {
            const k3 = vr.varint(),
              f3 = k3 >>> 3,
              w3 = k3 & 7;
            if (f3 === 1 && w3 === 2) v.tag = vr.str();
            else if (f3 === 7 && w3 === 2) v.nodeName = vr.str();
            else if (f3 === 2 && w3 === 5) v.simple = vr.f32();
            else if (f3 === 8 && w3 === 2) {
              v.tensor = tensorScalar(vr.sub());
              v.other = v.other || 'tensor';
            } else if (f3 === 9 && w3 === 2) v.meta = parseMetadata(vr.sub());
            else if (f3 === 4 && w3 === 2) {
              vr.skip(w3);
              v.other = 'images';
            } else if (f3 === 5 && w3 === 2) {
              vr.skip(w3);
              v.other = 'histograms';
            } else if (f3 === 6 && w3 === 2) {
              vr.skip(w3);
              v.other = 'audio';
            } else vr.skip(w3);
          }
          if (!v.tag) v.tag = v.nodeName;
          ev.values.push(v);
        }
      } else r.skip(w);
    }
    return ev;
  }

  function describe(bytes) {
    if (bytes.length === 0) return 'empty file';
    const head = new TextDecoder().decode(bytes.subarray(0, 64));
    if (head.startsWith('version https://git-lfs')) return 'a Git LFS pointer, not the file itself';
    if (bytes[0] === 0x1f && bytes[1] === 0x8b)
      return 'gzip data (the fake engine does not unpack archives)';
    if (bytes[0] === 0x50 && bytes[1] === 0x4b)
      return 'a zip archive (the fake engine does not unpack archives)';
    if (/^[\t\n\r\x20-\x7e]*$/.test(head)) return 'text, not an event file';
    return 'not a TFRecord file (bad length CRC in the first record)';
  }

  const nowSort = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

  function runOfPath(p) {
    const i = p.lastIndexOf('/');
    return i < 0 ? '.' : p.slice(0, i);
  }

  class Engine {
    constructor() {
      this._files = [];
      this._byPath = new Map();
      this._series = new Map();
    }

    openFile(path) {
      if (this._byPath.has(path)) {
        const f = this._files[this._byPath.get(path)];
        if (f.status !== 'not_event' && f.status !== 'corrupt') f.status = 'loading';
        return f.id;
      }
      const id = this._files.length;
      this._files.push({
        id,
        path,
        run: runOfPath(path),
        bytes: 0,
        records: 0,
        badCrc: 0,
        badEvents: 0,
        status: 'loading',
        message: '',
        fileVersion: '',
        writer: '',
        firstWallTime: 0,
        _buf: new Uint8Array(0),
        _done: false,
        _head: null,
      });
      this._byPath.set(path, id);
      return id;
    }

    push(id, chunk) {
      const f = this._files[id];
      if (!f) throw new Error('no file ' + id);
      f.bytes += chunk.length;
      if (f._done) return;
      if (!f._head) f._head = chunk.slice(0, 64);
      const buf = new Uint8Array(f._buf.length + chunk.length);
      buf.set(f._buf);
      buf.set(chunk, f._buf.length);
      let p = 0;
      const dv = new DataView(buf.buffer);
      while (buf.length - p >= 12) {
        const len = dv.getUint32(p, true) + dv.getUint32(p + 4, true) * 2 ** 32;
        if (dv.getUint32(p + 8, true) !== maskedCrc(buf, p, p + 8)) {
          f._done = true;
          if (f.records === 0 && f.badCrc === 0) {
            f.status = 'not_event';
            f.message = describe(buf.subarray(0, 64));
          } else {
            f.status = 'corrupt';
            f.message = `bad length CRC at record ${f.records + f.badCrc + 1} (offset ${f.bytes - chunk.length - f._buf.length + p})`;
          }
          f._buf = new Uint8Array(0);
          return;
        }
        if (buf.length - p < 16 + len) break;
        const s = p + 12,
          e = s + len;
        p = e + 4;
        if (dv.getUint32(e, true) !== maskedCrc(buf, s, e)) {
          f.badCrc++;
          continue;
        }
        let ev;
        try {
          ev = parseEvent(new Reader(buf, s, e));
        } catch (err) {
          f.badEvents++;
          continue;
        }
        if (f.records === 0) f.firstWallTime = ev.wallTime;
        f.records++;
        if (ev.fileVersion && !f.fileVersion) f.fileVersion = ev.fileVersion;
        if (ev.writer && !f.writer) f.writer = ev.writer;
        for (const v of ev.values) this._add(f.run, v, ev);
      }
      f._buf = buf.slice(p);
    }

    _add(run, v, ev) {
      const key = run + '\u0000' + v.tag;
      let s = this._series.get(key);
      if (!s) {
        const m = v.meta || { plugin: '', displayName: '', description: '', dataClass: 0 };
        let isScalar = v.simple !== undefined || (m.plugin === 'scalars' && v.tensor !== undefined);
        s = {
          run,
          tag: v.tag,
          plugin: m.plugin || (v.simple !== undefined ? 'scalars' : v.other),
          dataClass: m.dataClass || (isScalar ? 1 : 0),
          displayName: m.displayName || (v.meta ? '' : v.tag),
          description: m.description,
          isScalar,
          step: [],
          wallTime: [],
          value: [],
        };
        this._series.set(key, s);
      }
      const y = v.simple !== undefined ? v.simple : v.tensor;
      if (s.isScalar && y === undefined) return;
      const st = s.step;
      if (st.length && ev.step < st[st.length - 1]) {
        const keep = st.map((x) => x < ev.step);
        s.step = st.filter((_, i) => keep[i]);
        s.wallTime = s.wallTime.filter((_, i) => keep[i]);
        s.value = s.value.filter((_, i) => keep[i]);
      }
      s.step.push(ev.step);
      s.wallTime.push(ev.wallTime);
      s.value.push(y === undefined ? NaN : y);
    }

    endOfData(id) {
      const f = this._files[id];
      if (f.status === 'loading') {
        f.status = f._buf.length ? 'waiting' : 'ok';
        if (f.bytes === 0) {
          f.status = 'not_event';
          f.message = 'empty file';
        } else if (f.status === 'waiting' && f.records === 0 && f.badCrc === 0) {
          f.status = 'not_event';
          f.message = describe(f._head); // shorter than one record
        }
        if (f.status === 'waiting') f.message = `ends inside a record (${f._buf.length} bytes)`;
      }
    }

    failFile(id, msg) {
      const f = this._files[id];
      f.status = 'corrupt';
      f.message = String(msg);
      f._done = true;
      f._buf = new Uint8Array(0);
    }

    // A status only the caller sees happen ('cancelled', 'read_error'), as the
    // engine's setFileStatus: the message names the file and the status.
    setFileStatus(id, status, detail) {
      const f = this._files[id];
      const words =
        { cancelled: 'cancelled: ', read_error: 'read error: ', corrupt: 'corrupt: ' }[status] ??
        '';
      f.status = status;
      f.message = `${f.path}: ${words}${detail}`;
      f._detail = String(detail);
      f._done = true;
      f._buf = new Uint8Array(0);
    }

    files() {
      // detail: the message without the path and the status words (the fake's
      // own messages have neither).
      return this._files.map(({ _buf, _done, _head, _detail, ...pub }) => ({
        ...pub,
        detail: _detail ?? pub.message,
      }));
    }

    runs() {
      const set = new Set();
      for (const f of this._files) if (f.records > 0) set.add(f.run);
      for (const s of this._series.values()) if (s.seeded) set.add(s.run);
      return [...set].sort(nowSort);
    }

    tags() {
      return [...this._series.values()]
        .sort((a, b) => nowSort(a.run, b.run) || nowSort(a.tag, b.tag))
        .map((s) => ({
          run: s.run,
          tag: s.tag,
          plugin: s.plugin,
          dataClass: s.dataClass,
          displayName: s.displayName,
          description: s.description,
          points: s.step.length,
          firstStep: s.step[0] ?? 0,
          lastStep: s.step[s.step.length - 1] ?? 0,
          firstWallTime: s.wallTime[0] ?? 0,
          lastWallTime: s.wallTime[s.wallTime.length - 1] ?? 0,
          isScalar: s.isScalar,
        }));
    }

    _get(run, tag) {
      const s = this._series.get(run + '\u0000' + tag);
      return s && s.isScalar ? s : null;
    }

    scalarsFull(run, tag) {
      const s = this._get(run, tag);
      if (!s) return null;
      return {
        step: Float64Array.from(s.step),
        wallTime: Float64Array.from(s.wallTime),
        value: Float64Array.from(s.value),
      };
    }

    scalars(run, tag, q = {}) {
      const s = this._get(run, tag);
      if (!s) return null;
      const axis = q.xAxis || 'step',
        w = Math.min(Math.max(q.smoothing ?? 0, 0), 0.999);
      const n = s.step.length,
        t0 = s.wallTime[0] ?? 0;
      const xs = s.step.map((st, i) =>
        axis === 'step' ? st : axis === 'relative' ? s.wallTime[i] - t0 : s.wallTime[i],
      );
      // Smoothing on the full series (debiased EMA; non-finite values pass through).
      const sm = new Array(n);
      let last = 0,
        k = 0;
      for (let i = 0; i < n; i++) {
        const y = s.value[i];
        if (!Number.isFinite(y)) {
          sm[i] = y;
          continue;
        }
        last = last * w + (1 - w) * y;
        k++;
        sm[i] = w === 1 ? last : last / (1 - Math.pow(w, k));
      }
      const x0 = q.x0 ?? -Infinity,
        x1 = q.x1 ?? Infinity;
      let idx = [];
      for (let i = 0; i < n; i++) if (xs[i] >= x0 && xs[i] <= x1) idx.push(i);
      const total = idx.length;
      const width = Math.max(1, q.width || 1000);
      if (idx.length > 2 * width) {
        // min/max per column, in order of index.
        const lo = xs[idx[0]],
          hi = xs[idx[idx.length - 1]],
          span = hi - lo || 1;
        const cols = new Map();
        for (const i of idx) {
          const c = Math.min(width - 1, Math.floor(((xs[i] - lo) / span) * width));
          let e = cols.get(c);
          if (!e) cols.set(c, (e = { min: i, max: i }));
          if (s.value[i] < s.value[e.min]) e.min = i;
          if (s.value[i] > s.value[e.max]) e.max = i;
        }
        const keep = new Set();
        for (const e of cols.values()) {
          keep.add(e.min);
          keep.add(e.max);
        }
        idx = [...keep].sort((a, b) => a - b);
      }
      const finite = s.value.filter(Number.isFinite).sort((a, b) => a - b);
      const pct = (p) =>
        finite.length
          ? finite[Math.min(finite.length - 1, Math.floor(p * (finite.length - 1)))]
          : 0;
      const pick = (arr) => Float64Array.from(idx, (i) => arr[i]);
      return {
        x: pick(xs),
        step: pick(s.step),
        wallTime: pick(s.wallTime),
        value: pick(s.value),
        smoothed: pick(sm),
        total,
        yMin: finite[0] ?? 0,
        yMax: finite[finite.length - 1] ?? 0,
        p05: pct(0.05),
        p95: pct(0.95),
      };
    }

    // ---- seeded data (test/fake_logs.js)

    /**
     * Adds a whole series: {run, tag, plugin, dataClass, displayName?,
     * description?, isScalar?, step, wallTime, and value (scalars) | points
     * (string tensors: one array of Uint8Array per step, `shape` optional) |
     * rows (numeric tensors: one Float64Array per step, rowShape(row) -> shape)}.
     */
    seed(rec) {
      const s = {
        displayName: '',
        description: '',
        isScalar: false,
        ...rec,
        seeded: true,
        step: Array.from(rec.step),
        wallTime: Array.from(rec.wallTime),
        value: rec.value ? Array.from(rec.value) : [],
      };
      this._series.set(rec.run + '\u0000' + rec.tag, s);
    }

    /** Sets what hparams() and customScalars() answer. */
    seedViews({ hparams, customScalars }) {
      if (hparams) this._hparams = hparams;
      if (customScalars) this._customScalars = customScalars;
    }

    _any(run, tag) {
      return this._series.get(run + '\u0000' + tag) || null;
    }

    tensorSteps(run, tag) {
      const s = this._any(run, tag);
      if (!s || s.isScalar) return null;
      const count = new Uint32Array(s.step.length);
      for (let i = 0; i < count.length; i++) {
        const p = s.points ? s.points[i] : null;
        count[i] = !p
          ? 1
          : s.plugin === 'images'
            ? Math.max(0, p.length - 2)
            : s.plugin === 'audio'
              ? Math.floor(p.length / 2)
              : p.length;
      }
      return { step: Float64Array.from(s.step), wallTime: Float64Array.from(s.wallTime), count };
    }

    tensor(run, tag, index) {
      const s = this._any(run, tag);
      if (!s || !(index >= 0 && index < s.step.length)) return null;
      const at = { step: s.step[index], wallTime: s.wallTime[index], refs: null };
      if (s.points) {
        const p = s.points[index];
        let shape = s.shape || [p.length];
        if (s.plugin === 'images') shape = [p.length];
        if (s.plugin === 'audio') shape = [p.length / 2, 2];
        if (s.plugin === 'text' && s.shape && s.shape.length === 1) shape = [p.length];
        return { ...at, dtype: 'object', shape, numbers: null, strings: p.map((b) => b.slice()) };
      }
      if (s.rows) {
        const row = s.rows[index];
        return {
          ...at,
          dtype: 'float64',
          shape: s.rowShape(row),
          numbers: Float64Array.from(row),
          strings: null,
        };
      }
      return {
        ...at,
        dtype: 'float32',
        shape: [],
        numbers: Float64Array.of(s.value[index]),
        strings: null,
      };
    }

    tensors(run, tag) {
      const s = this._any(run, tag);
      if (!s || !s.rows) return null;
      const offsets = new Uint32Array(s.rows.length + 1);
      let n = 0;
      s.rows.forEach((r, i) => {
        offsets[i] = n;
        n += r.length;
      });
      offsets[s.rows.length] = n;
      const numbers = new Float64Array(n);
      s.rows.forEach((r, i) => numbers.set(r, offsets[i]));
      return {
        step: Float64Array.from(s.step),
        wallTime: Float64Array.from(s.wallTime),
        shapes: s.rows.map((r) => s.rowShape(r)),
        numbers,
        offsets,
      };
    }

    // The three plugin views the engine computes. Fakes: they lay out the seeded
    // data plausibly and are no rule of what the data means (TensorBoard's rules
    // live in the engine's plugins and are tested there and in tests/wasm).

    distributions(run, tag) {
      const s = this._any(run, tag);
      if (!s || !s.rows) return null;
      // Nine values between each histogram's ends, spread as a normal's basis points would be.
      const frac = [0, 0.0668, 0.1587, 0.3085, 0.5, 0.6915, 0.8413, 0.9332, 1];
      const basisPoints = new Float64Array(s.rows.length * 9);
      s.rows.forEach((r, i) => {
        const lo = r[0];
        const hi = r[r.length - 2];
        frac.forEach((f, j) => {
          basisPoints[i * 9 + j] = lo + (hi - lo) * f;
        });
      });
      return {
        step: Float64Array.from(s.step),
        wallTime: Float64Array.from(s.wallTime),
        basisPoints,
      };
    }

    prCurves(run, tag) {
      const s = this._any(run, tag);
      if (!s || !s.rows) return null;
      return s.rows.map((r, i) => {
        const n = r.length / 6;
        const row = (k) => Float64Array.from(r.slice(k * n, (k + 1) * n));
        return {
          step: s.step[i],
          wallTime: s.wallTime[i],
          thresholds: Float64Array.from({ length: n }, (_, k) => k / Math.max(1, n - 1)),
          tp: row(0),
          fp: row(1),
          tn: row(2),
          fn: row(3),
          precision: row(4),
          recall: row(5),
        };
      });
    }

    text(run, tag, index) {
      const s = this._any(run, tag);
      if (!s || !s.points || !(index >= 0 && index < s.step.length)) return null;
      const cells = s.points[index].map((b) => new TextDecoder().decode(b));
      if (s.shape && s.shape.length === 0)
        return {
          rank: 0,
          shape: [],
          kind: 'markdown',
          markdown: cells[0] ?? '',
          rows: [],
          warning: '',
        };
      const shape = !s.shape || s.shape.length === 1 ? [cells.length] : s.shape;
      const cols = shape.length === 1 ? 1 : shape[1];
      const rows = [];
      for (let i = 0; i < cells.length; i += cols) rows.push(cells.slice(i, i + cols));
      return { rank: shape.length, shape, kind: 'table', markdown: '', rows, warning: '' };
    }

    blob(run, tag, index, element) {
      const s = this._any(run, tag);
      const p = s && s.points && s.points[index];
      if (!p || !(element >= 0 && element < p.length)) return null;
      return p[element].slice();
    }

    hparams() {
      return this._hparams
        ? JSON.parse(JSON.stringify(this._hparams))
        : { experiment: null, sessions: [], errors: [] };
    }

    customScalars() {
      return this._customScalars ? JSON.parse(JSON.stringify(this._customScalars)) : [];
    }

    shrink() {}
    stats() {
      let points = 0;
      for (const s of this._series.values()) points += s.step.length;
      return {
        retainedBytes: points * 24,
        points,
        blobsHeld: 0,
        blobBytesHeld: 0,
        blobsByReference: 0,
        blobBytesByReference: 0,
      };
    }
  }

  const g = typeof globalThis !== 'undefined' ? globalThis : self;
  g.TbviewFakeEngine = Engine;
  g.createTbviewModule = function () {
    return Promise.resolve({ Engine, fake: true });
  };
})();

'use strict';
// Shared by the wasm tests and the Node benchmark: loading the Node build of the
// module, and a tiny TFRecord + Event writer (CRC32C in JS) that makes test logs
// without TensorFlow.

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

// The Node flavour of the module: $TBVIEW_WASM, else build/wasm. Resolves to the instantiated module (Engine, RefDump, ...).
function wasmPath() {
  const candidates = [
    process.env.TBVIEW_WASM,
    path.join(ROOT, 'build', 'wasm', 'tbview_node.cjs'),
  ].filter(Boolean);
  for (const c of candidates) if (fs.existsSync(c)) return c;
  throw new Error(`tbview_node.cjs not found (run scripts/build_wasm.sh); looked in ${candidates.join(', ')}`);
}

// Instantiates a MODULARIZE factory. Emscripten 3.1.6 differs by flavour: the
// browser build (async compilation) returns a promise of the Module, the Node
// build (-sWASM_ASYNC_COMPILATION=0) returns the Module itself, whose `ready`
// promise resolves to it.
function instantiate(factory, opts = {}) {
  const r = factory(opts);
  return typeof r.then === 'function' ? r : r.ready;
}

let modulePromise = null;
function loadModule() {
  if (!modulePromise) modulePromise = instantiate(require(wasmPath()));
  return modulePromise;
}

// ---- CRC32C (Castagnoli), table-driven; TFRecord's masked form ----
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

function crc32c(bytes, start = 0, end = bytes.length) {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function maskedCrc(bytes, start, end) {
  const c = crc32c(bytes, start, end);
  return ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

// One TFRecord: u64 length | masked crc(length) | payload | masked crc(payload).
function frameRecord(payload) {
  const out = new Uint8Array(payload.length + 16);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, payload.length, true);
  dv.setUint32(4, Math.floor(payload.length / 2 ** 32), true);
  dv.setUint32(8, maskedCrc(out, 0, 8), true);
  out.set(payload, 12);
  dv.setUint32(12 + payload.length, maskedCrc(out, 12, 12 + payload.length), true);
  return out;
}

// ---- protobuf encoding, just what Event needs ----
class ProtoWriter {
  constructor() { this.parts = []; this.size = 0; }
  bytes(b) { this.parts.push(b); this.size += b.length; return this; }
  varint(v) {
    let x = BigInt.asUintN(64, BigInt(v));
    const out = [];
    do {
      let b = Number(x & 0x7fn);
      x >>= 7n;
      if (x) b |= 0x80;
      out.push(b);
    } while (x);
    return this.bytes(Uint8Array.from(out));
  }
  key(field, wire) { return this.varint((field << 3) | wire); }
  double(field, v) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    return this.key(field, 1).bytes(b);
  }
  float(field, v) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    return this.key(field, 5).bytes(b);
  }
  int(field, v) { return this.key(field, 0).varint(v); }
  // A string (JS string, UTF-8 encoded) or raw bytes (Uint8Array).
  lenDelim(field, v) {
    const b = typeof v === 'string' ? new TextEncoder().encode(v) : v;
    return this.key(field, 2).varint(b.length).bytes(b);
  }
  finish() {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const p of this.parts) { out.set(p, o); o += p.length; }
    return out;
  }
}

// An Event. `values`: [{tag (string or bytes), simpleValue?, plugin?, dataClass?,
// displayName?, description?}], written as legacy simple_value summaries, with
// SummaryMetadata when a plugin is given.
function encodeEvent({ wallTime = 0, step = 0, fileVersion, values }) {
  const w = new ProtoWriter();
  w.double(1, wallTime);
  if (step) w.int(2, step);
  if (fileVersion !== undefined) w.lenDelim(3, fileVersion);
  if (values) {
    const summary = new ProtoWriter();
    for (const v of values) {
      const value = new ProtoWriter();
      value.lenDelim(1, v.tag);
      if (v.simpleValue !== undefined) value.float(2, v.simpleValue);
      if (v.plugin !== undefined || v.displayName !== undefined) {
        const meta = new ProtoWriter();
        if (v.plugin !== undefined) meta.lenDelim(1, new ProtoWriter().lenDelim(1, v.plugin).finish());
        if (v.displayName !== undefined) meta.lenDelim(2, v.displayName);
        if (v.description !== undefined) meta.lenDelim(3, v.description);
        if (v.dataClass !== undefined) meta.int(4, v.dataClass);
        value.lenDelim(9, meta.finish());
      }
      summary.lenDelim(1, value.finish());
    }
    w.lenDelim(5, summary.finish());
  }
  return w.finish();
}

function concat(chunks) {
  const total = chunks.reduce((s, c) => s + c.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}

// A whole event file: the file_version record, then one record per event.
function eventFile(events, { fileVersion = 'brain.Event:2', wallTime = 1.7e9 } = {}) {
  const records = [];
  if (fileVersion !== null) records.push(frameRecord(encodeEvent({ wallTime, fileVersion })));
  for (const e of events) records.push(frameRecord(encodeEvent(e)));
  return concat(records);
}

// `n` points of one scalar tag: step i, value f(i), wall time t0 + i.
function scalarEvents(tag, n, f = (i) => Math.sin(i / 10), { t0 = 1.7e9, step0 = 0 } = {}) {
  const out = [];
  for (let i = 0; i < n; i++) out.push({ wallTime: t0 + i, step: step0 + i, values: [{ tag, simpleValue: f(i) }] });
  return out;
}

// A fast writer for large synthetic logs (benchmark, memory-growth test): N
// events each holding one simple_value scalar under `tag`, written straight into
// one buffer. Byte-for-byte what encodeEvent + frameRecord would give.
function syntheticScalarLog(n, tag = 'loss', t0 = 1.7e9) {
  const tagBytes = new TextEncoder().encode(tag);
  if (tagBytes.length > 100) throw new Error('tag too long for the fast writer');
  const head = eventFile([], { wallTime: t0 });
  // Payload: wall_time(9) step(1+varint) summary(1+1+ value(1+1+ tag(2+len) simple(5)))
  const maxPayload = 9 + 11 + 2 + 2 + 2 + tagBytes.length + 5;
  const buf = new Uint8Array(head.length + n * (maxPayload + 16));
  const dv = new DataView(buf.buffer);
  buf.set(head, 0);
  let o = head.length;
  for (let i = 0; i < n; i++) {
    const start = o + 12;
    let p = start;
    buf[p++] = 0x09; dv.setFloat64(p, t0 + i * 0.01, true); p += 8;
    if (i) {
      buf[p++] = 0x10;
      let s = i;
      while (s >= 0x80) { buf[p++] = (s & 0x7f) | 0x80; s = Math.floor(s / 128); }
      buf[p++] = s;
    }
    const valueLen = 2 + tagBytes.length + 5;
    buf[p++] = 0x2a; buf[p++] = valueLen + 2;          // summary
    buf[p++] = 0x0a; buf[p++] = valueLen;              // summary.value
    buf[p++] = 0x0a; buf[p++] = tagBytes.length;       // value.tag
    buf.set(tagBytes, p); p += tagBytes.length;
    buf[p++] = 0x15; dv.setFloat32(p, Math.sin(i / 1000) + (i % 7) * 0.01, true); p += 4;
    const len = p - start;
    dv.setUint32(o, len, true); dv.setUint32(o + 4, 0, true);
    dv.setUint32(o + 8, maskedCrc(buf, o, o + 8), true);
    dv.setUint32(p, maskedCrc(buf, start, p), true);
    o = p + 4;
  }
  return buf.subarray(0, o);
}

// Deterministic PRNG (mulberry32) so random chunkings can be replayed from a seed.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Pushes `bytes` to push(chunk) in chunks: sizes from `sizeOf()` (at least 1).
function pushInChunks(bytes, push, sizeOf) {
  for (let o = 0; o < bytes.length;) {
    const n = Math.max(1, Math.min(bytes.length - o, sizeOf()));
    push(bytes.subarray(o, o + n));
    o += n;
  }
}

module.exports = {
  ROOT, wasmPath, loadModule, instantiate, crc32c, maskedCrc, frameRecord, ProtoWriter, encodeEvent,
  concat, eventFile, scalarEvents, syntheticScalarLog, rng, pushInChunks,
};

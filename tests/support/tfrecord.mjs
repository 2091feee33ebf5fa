// The JavaScript tests' one event-file writer: masked CRC32C, TFRecord framing and
// a protobuf encoder for Event (field numbers from proto/*.proto), so the wasm,
// front-end and browser tests make logs without TensorFlow, Python or the corpus.
// Checked against the C++ writer's bytes in tests/support/tfrecord.test.mjs.
//
// An ES module; CommonJS tests load it with `await import()`.

// ---------------------------------------------------------------- CRC32C and framing

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** CRC32C (Castagnoli) of bytes[start, end). crc32c(new Uint8Array(32)) === 0x8a9136aa. */
export function crc32c(bytes, start = 0, end = bytes.length) {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** TFRecord's masked CRC of bytes[start, end): ((crc >> 15) | (crc << 17)) + 0xa282ead8 mod 2^32. */
export function maskedCrc(bytes, start = 0, end = bytes.length) {
  const c = crc32c(bytes, start, end);
  return ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** One TFRecord: u64 length, masked CRC of the length, payload, masked CRC of the payload. */
export function frameRecord(payload) {
  const out = new Uint8Array(16 + payload.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, payload.length, true);
  dv.setUint32(4, Math.floor(payload.length / 2 ** 32), true);
  dv.setUint32(8, maskedCrc(out, 0, 8), true);
  out.set(payload, 12);
  dv.setUint32(12 + payload.length, maskedCrc(out, 12, 12 + payload.length), true);
  return out;
}

/** The byte arrays one after the other, in one array. */
export function concat(chunks) {
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

// ---------------------------------------------------------------- protobuf

const utf8 = new TextEncoder();

/** A protobuf message written field by field, in call order. */
export class ProtoWriter {
  constructor() {
    this.parts = [];
    this.size = 0;
  }
  /** Appends bytes as they are (no field key). */
  raw(b) {
    this.parts.push(b);
    this.size += b.length;
    return this;
  }
  varint(v) {
    let x = BigInt.asUintN(64, BigInt(v));
    const out = [];
    do {
      let b = Number(x & 0x7fn);
      x >>= 7n;
      if (x) b |= 0x80;
      out.push(b);
    } while (x);
    return this.raw(Uint8Array.from(out));
  }
  key(field, wire) {
    return this.varint((field << 3) | wire);
  }
  int(field, v) {
    return this.key(field, 0).varint(v);
  }
  double(field, v) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    return this.key(field, 1).raw(b);
  }
  float(field, v) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    return this.key(field, 5).raw(b);
  }
  /** A length-delimited field: a string (UTF-8), bytes, or a nested ProtoWriter. */
  lenDelim(field, v) {
    const b = v instanceof ProtoWriter ? v.finish() : typeof v === 'string' ? utf8.encode(v) : v;
    return this.key(field, 2).varint(b.length).raw(b);
  }
  packedFloats(field, xs) {
    const b = new Uint8Array(4 * xs.length);
    const dv = new DataView(b.buffer);
    xs.forEach((x, i) => dv.setFloat32(4 * i, x, true));
    return this.lenDelim(field, b);
  }
  packedDoubles(field, xs) {
    const b = new Uint8Array(8 * xs.length);
    const dv = new DataView(b.buffer);
    xs.forEach((x, i) => dv.setFloat64(8 * i, x, true));
    return this.lenDelim(field, b);
  }
  finish() {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

export const DT_FLOAT = 1;
export const DT_STRING = 7;

/** SummaryMetadata {plugin_data {plugin_name, content}, display_name, summary_description, data_class}. */
function metadata({ plugin, content, displayName, description, dataClass }) {
  const m = new ProtoWriter();
  if (plugin !== undefined) {
    const pd = new ProtoWriter().lenDelim(1, plugin);
    if (content !== undefined) pd.lenDelim(2, content);
    m.lenDelim(1, pd);
  }
  if (displayName !== undefined) m.lenDelim(2, displayName);
  if (description !== undefined) m.lenDelim(3, description);
  if (dataClass !== undefined) m.int(4, dataClass);
  return m;
}

/** TensorProto {dtype, shape: number[], strings?: (string|Uint8Array)[], floats?: number[]}. */
function tensor({ dtype, shape = [], strings, floats }) {
  const shp = new ProtoWriter();
  for (const d of shape) shp.lenDelim(2, new ProtoWriter().int(1, d));
  const t = new ProtoWriter().int(1, dtype).lenDelim(2, shp);
  if (floats) t.packedFloats(5, floats);
  if (strings) for (const s of strings) t.lenDelim(8, s);
  return t;
}

/**
 * Summary.Value {tag (string or bytes), simpleValue?, image?: {w, h, png},
 * histo?: {limits, counts}, tensor?: see tensor(), metadata?: {plugin, content,
 * displayName, description, dataClass}}, fields in field-number order.
 */
function summaryValue(v) {
  const p = new ProtoWriter().lenDelim(1, v.tag);
  if (v.simpleValue !== undefined) p.float(2, v.simpleValue);
  if (v.image)
    p.lenDelim(
      4,
      new ProtoWriter().int(1, v.image.h).int(2, v.image.w).int(3, 3).lenDelim(4, v.image.png),
    );
  if (v.histo) {
    const { limits, counts } = v.histo;
    const n = counts.reduce((s, c) => s + c, 0);
    p.lenDelim(
      5,
      new ProtoWriter()
        .double(1, limits[0] - 1)
        .double(2, limits[limits.length - 1])
        .double(3, n)
        .double(4, n)
        .double(5, n)
        .packedDoubles(6, limits)
        .packedDoubles(7, counts),
    );
  }
  if (v.tensor) p.lenDelim(8, tensor(v.tensor));
  if (v.metadata) p.lenDelim(9, metadata(v.metadata));
  return p;
}

/**
 * The bytes of an Event {wallTime, step?, fileVersion?, values?: summary values
 * (see summaryValue)}. A step of 0 and an absent fileVersion are not written,
 * as protobuf leaves default values out.
 */
export function encodeEvent({ wallTime = 0, step = 0, fileVersion, values }) {
  const w = new ProtoWriter().double(1, wallTime);
  if (step) w.int(2, step);
  if (fileVersion !== undefined) w.lenDelim(3, fileVersion);
  if (values) {
    const summary = new ProtoWriter();
    for (const v of values) summary.lenDelim(1, summaryValue(v));
    w.lenDelim(5, summary);
  }
  return w.finish();
}

// ---------------------------------------------------------------- event files

/** The events framed one after the other, as given (no file_version record is added). */
export function eventFile(events) {
  return concat(events.map((e) => frameRecord(encodeEvent(e))));
}

/**
 * A whole event file as a writer makes it: a file_version record (at `wallTime`),
 * then the events.
 */
export function logFile(events, { fileVersion = 'brain.Event:2', wallTime = 1.7e9 } = {}) {
  return eventFile([{ wallTime, fileVersion }, ...events]);
}

/** `n` events of one scalar tag: step step0 + i, value f(i), wall time t0 + i. */
export function scalarEvents(tag, n, f = (i) => Math.sin(i / 10), { t0 = 1.7e9, step0 = 0 } = {}) {
  const out = [];
  for (let i = 0; i < n; i++)
    out.push({ wallTime: t0 + i, step: step0 + i, values: [{ tag, simpleValue: f(i) }] });
  return out;
}

/**
 * Events of a scalar log for steps [from, to): at each step one event holding
 * every tag, at wall time wallTime0 + step, with value Math.fround(1 / (step + 1)
 * + tag index), so tests can check what they read.
 */
export function scalarSteps({
  tags = ['loss'],
  from = 0,
  to = 10,
  wallTime0 = 1_600_000_000,
} = {}) {
  const events = [];
  for (let s = from; s < to; s++) {
    events.push({
      wallTime: wallTime0 + s,
      step: s,
      values: tags.map((tag, i) => ({ tag, simpleValue: Math.fround(1 / (s + 1) + i) })),
    });
  }
  return events;
}

/**
 * A scalar log: a file_version record at wallTime0, then scalarSteps() for
 * `steps` steps from `startStep`.
 * @returns {Uint8Array}
 */
export function scalarLog({
  tags = ['loss'],
  steps = 10,
  startStep = 0,
  wallTime0 = 1_600_000_000,
} = {}) {
  return logFile(scalarSteps({ tags, from: startStep, to: startStep + steps, wallTime0 }), {
    wallTime: wallTime0,
  });
}

/** The records scalarLog writes for steps [from, to) of `tags`, with no file_version: what a writer appends. */
export function scalarRecords(from, to, { tags = ['loss'], wallTime0 = 1_600_000_000 } = {}) {
  return eventFile(scalarSteps({ tags, from, to, wallTime0 }));
}

/**
 * A large scalar log, fast (benchmarks, memory-growth tests): a file_version
 * record, then `n` events each holding one simple_value under `tag`, written
 * straight into one buffer. Byte for byte what logFile(scalarEvents(...)) would
 * write with these values (the test of this module checks it).
 */
export function syntheticScalarLog(n, tag = 'loss', t0 = 1.7e9) {
  const tagBytes = utf8.encode(tag);
  if (tagBytes.length > 100) throw new Error('tag too long for the fast writer');
  const head = logFile([], { wallTime: t0 });
  // Payload: wall_time(9) step(1+varint) summary(1+1+ value(1+1+ tag(2+len) simple(5)))
  const maxPayload = 9 + 11 + 2 + 2 + 2 + tagBytes.length + 5;
  const buf = new Uint8Array(head.length + n * (maxPayload + 16));
  const dv = new DataView(buf.buffer);
  buf.set(head, 0);
  let o = head.length;
  for (let i = 0; i < n; i++) {
    const start = o + 12;
    let p = start;
    buf[p++] = 0x09;
    dv.setFloat64(p, t0 + i * 0.01, true);
    p += 8;
    if (i) {
      buf[p++] = 0x10;
      let s = i;
      while (s >= 0x80) {
        buf[p++] = (s & 0x7f) | 0x80;
        s = Math.floor(s / 128);
      }
      buf[p++] = s;
    }
    const valueLen = 2 + tagBytes.length + 5;
    buf[p++] = 0x2a;
    buf[p++] = valueLen + 2; // summary
    buf[p++] = 0x0a;
    buf[p++] = valueLen; // summary.value
    buf[p++] = 0x0a;
    buf[p++] = tagBytes.length; // value.tag
    buf.set(tagBytes, p);
    p += tagBytes.length;
    buf[p++] = 0x15;
    dv.setFloat32(p, syntheticValue(i), true);
    p += 4;
    const len = p - start;
    dv.setUint32(o, len, true);
    dv.setUint32(o + 4, 0, true);
    dv.setUint32(o + 8, maskedCrc(buf, o, o + 8), true);
    dv.setUint32(p, maskedCrc(buf, start, p), true);
    o = p + 4;
  }
  return buf.subarray(0, o);
}

/** The value syntheticScalarLog writes at index i. */
export function syntheticValue(i) {
  return Math.sin(i / 1000) + (i % 7) * 0.01;
}

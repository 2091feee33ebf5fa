// Shared helpers for the browser end-to-end tests (and the front-end unit tests):
//   - a tiny TFRecord / Event writer (CRC32C, masked CRC, protobuf encoding of
//     wall_time, step, file_version and summary values with simple_value), so the
//     tests can make logs without the corpus or any Python;
//   - starting scripts/serve.mjs on a free port and launching the system Chromium;
//   - picking the engine: the real wasm module when scripts/build_wasm.sh has
//     produced it, else the JS fake engine of web/test/fake_engine.js, served in
//     its place through page.route (test-only; the fake never ships in dist/).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = path.join(ROOT, 'web/dist');
export const CORPUS = process.env.TBVIEW_CORPUS || path.resolve(ROOT, '../shared/corpus');
export const HAVE_CORPUS = existsSync(path.join(CORPUS, 'files'));
export const REAL_WASM = path.join(DIST, 'wasm/tbview_web.js');
export const HAVE_WASM = existsSync(REAL_WASM) && process.env.TBVIEW_E2E_FAKE !== '1';

// ---------------------------------------------------------------- TFRecord writer

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** CRC32C (Castagnoli) of bytes. crc32c(new Uint8Array(32)) === 0x8a9136aa. */
export function crc32c(bytes) {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** TFRecord's masked CRC: ((crc >> 15) | (crc << 17)) + 0xa282ead8 mod 2^32. */
export function maskedCrc(bytes) {
  const c = crc32c(bytes);
  return ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** One TFRecord: u64 length, masked CRC of the length, payload, masked CRC of it. */
export function frameRecord(payload) {
  const out = new Uint8Array(16 + payload.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, payload.length, true);
  dv.setUint32(4, Math.floor(payload.length / 2 ** 32), true);
  dv.setUint32(8, maskedCrc(out.subarray(0, 8)), true);
  out.set(payload, 12);
  dv.setUint32(12 + payload.length, maskedCrc(payload), true);
  return out;
}

class ProtoWriter {
  constructor() { this.parts = []; }
  bytes(arr) { this.parts.push(arr); return this; }
  varint(v) {
    let n = BigInt.asUintN(64, BigInt(v));
    const b = [];
    do { let byte = Number(n & 0x7fn); n >>= 7n; if (n) byte |= 0x80; b.push(byte); } while (n);
    return this.bytes(Uint8Array.from(b));
  }
  key(field, wire) { return this.varint((field << 3) | wire); }
  double(field, v) {
    const a = new Uint8Array(8); new DataView(a.buffer).setFloat64(0, v, true);
    return this.key(field, 1).bytes(a);
  }
  float(field, v) {
    const a = new Uint8Array(4); new DataView(a.buffer).setFloat32(0, v, true);
    return this.key(field, 5).bytes(a);
  }
  int(field, v) { return this.key(field, 0).varint(v); }
  lenDelim(field, data) {
    const d = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    return this.key(field, 2).varint(d.length).bytes(d);
  }
  finish() {
    const n = this.parts.reduce((s, p) => s + p.length, 0);
    const out = new Uint8Array(n);
    let o = 0;
    for (const p of this.parts) { out.set(p, o); o += p.length; }
    return out;
  }
}

/**
 * Serializes an Event: {wallTime, step, fileVersion?, values?: [{tag, simpleValue}]}.
 * Field numbers from tensorboard's event.proto / summary.proto.
 */
export function encodeEvent({ wallTime = 0, step = 0, fileVersion, values }) {
  const w = new ProtoWriter().double(1, wallTime);
  if (step) w.int(2, step);
  if (fileVersion !== undefined) w.lenDelim(3, fileVersion);
  if (values && values.length) {
    const summary = new ProtoWriter();
    for (const v of values) {
      const value = new ProtoWriter().lenDelim(1, v.tag).float(2, v.simpleValue).finish();
      summary.lenDelim(1, value);
    }
    w.lenDelim(5, summary.finish());
  }
  return w.finish();
}

/** Concatenates framed records into one event file's bytes. */
export function eventFile(events) {
  const recs = events.map((e) => frameRecord(encodeEvent(e)));
  const out = new Uint8Array(recs.reduce((s, r) => s + r.length, 0));
  let o = 0;
  for (const r of recs) { out.set(r, o); o += r.length; }
  return out;
}

/**
 * A scalar log: a file_version record, then for step 0..steps-1 one event per tag
 * (values derived from the tag and step so they are checkable).
 * @returns {Uint8Array}
 */
export function scalarLog({ tags = ['loss'], steps = 10, startStep = 0, wallTime0 = 1_600_000_000 } = {}) {
  const events = [{ wallTime: wallTime0, fileVersion: 'brain.Event:2' }];
  for (let s = startStep; s < startStep + steps; s++) {
    events.push({
      wallTime: wallTime0 + s,
      step: s,
      values: tags.map((tag, i) => ({ tag, simpleValue: Math.fround(1 / (s + 1) + i) })),
    });
  }
  return eventFile(events);
}

// ---------------------------------------------------------------- server, browser

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * Starts scripts/serve.mjs on a free port; resolves {url, port, stop()} once it
 * prints its URL.
 */
export async function startServer({ root = DIST, logdir } = {}) {
  const port = await freePort();
  const args = [path.join(ROOT, 'scripts/serve.mjs'), '--port', String(port), '--root', root];
  if (logdir) args.push('--logdir', logdir);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => { out += d; if (out.includes('http://')) resolve(); });
    child.on('exit', (code) => reject(new Error(`serve.mjs exited ${code}: ${err}`)));
  });
  return {
    port,
    url: `http://127.0.0.1:${port}/`,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

export async function launchBrowser() {
  const { chromium } = await import(path.join(ROOT, 'web/node_modules/playwright-core/index.mjs'));
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * The fake engine as a classic script defining createTbviewModule, for pages
 * tested before the wasm module exists.
 */
export function fakeEngineScript() {
  return readFileSync(path.join(ROOT, 'web/test/fake_engine.js'), 'utf8');
}

/**
 * Opens a page of the app; when the wasm module has not been built, routes its URL
 * to the fake engine. Collects page errors into page.__errors.
 */
export async function openApp(browser, url) {
  const context = await browser.newContext();
  // scripts/test.sh builds the wasm and the app before the e2e stage and sets
  // this, so a missing build fails loudly instead of quietly testing the fake.
  if (!HAVE_WASM && process.env.TBVIEW_REQUIRE_WASM === '1') {
    throw new Error(`${REAL_WASM} is missing: build with scripts/build_wasm.sh and (cd web && npx vite build)`);
  }
  if (!HAVE_WASM) {
    const body = fakeEngineScript();
    await context.route('**/wasm/tbview_web.js', (route) =>
      route.fulfill({ status: 200, contentType: 'text/javascript', body }));
  }
  const page = await context.newPage();
  page.__errors = [];
  page.on('pageerror', (e) => page.__errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') page.__errors.push(m.text()); });
  await page.goto(url);
  await page.waitForFunction(() => window.__tbview && window.__tbview.ready);
  return page;
}

/** Waits until the app has read everything it was given. */
export async function waitIdle(page, timeout = 60_000) {
  await page.waitForFunction(() => document.body.dataset.state === 'idle' && window.__tbview.idle,
    null, { timeout });
}

/**
 * The number of scalar points the viewer keeps per tag when a run's files (their
 * expected JSONs, in name order) are read as one stream: TensorBoard's Rust
 * loader's restart rule, a step lower than the last stored one drops the stored
 * points with step >= it. Scalars (data_class 1) only. Returns Map tag -> count.
 */
export function keptScalarCounts(expectedFiles) {
  const kept = new Map();
  for (const exp of expectedFiles) {
    // tags: {name: entry} (tb-reference-1), or [{tag, ...}].
    const entries = Array.isArray(exp.tags) ? exp.tags.map((t) => [t.tag, t]) : Object.entries(exp.tags || {});
    for (const [tag, t] of entries) {
      if (t.data_class !== 1) continue;
      let steps = kept.get(tag) || [];
      for (const s of t.steps) {
        if (steps.length && s < steps[steps.length - 1]) steps = steps.filter((x) => x < s);
        steps.push(s);
      }
      kept.set(tag, steps);
    }
  }
  return new Map([...kept].map(([tag, steps]) => [tag, steps.length]));
}

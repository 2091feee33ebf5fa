'use strict';
// Shared by the wasm tests and the Node benchmark: loading the Node build of the
// module, and replayable chunkings. Test logs are written with
// tests/support/tfrecord.mjs (an ES module: `await import()` from here).

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
  throw new Error(
    `tbview_node.cjs not found (run scripts/build_wasm.sh); looked in ${candidates.join(', ')}`,
  );
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

module.exports = { ROOT, wasmPath, loadModule, instantiate, rng, pushInChunks };

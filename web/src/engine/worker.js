/**
 * The parser worker: owns the one wasm Engine and answers the protocol of
 * protocol.js. The page never parses; everything that touches log bytes runs here.
 *
 * Built by Vite as a classic (IIFE) worker so that it can `importScripts` the
 * engine, a single-file Emscripten script (-sSINGLE_FILE=1 -sMODULARIZE=1) that
 * defines the global `createTbviewModule`. The page passes the script's URL in
 * `init`, resolved against the document, so the same worker works from any host
 * path (base './').
 *
 * `createHandlers` is exported (and the worker only starts itself inside a
 * WorkerGlobalScope) so that the Node unit tests can run the very same handlers
 * over a MessageChannel against the fake engine.
 */
import { Ev, Req, serveRpc } from './protocol.js';

/** Progress events and push replies recount records at most this often. */
const RECOUNT_MS = 100;

/**
 * The engine as the worker uses it: the Embind class of the wasm module (the
 * Node tests' fake engine has the same methods).
 * @typedef {import('./protocol.js').Requests} R
 * @typedef {object} Engine
 * @property {(path: string) => number} openFile
 * @property {(id: number, bytes: Uint8Array) => void} push
 * @property {(id: number) => void} endOfData
 * @property {(id: number, message: string) => void} failFile
 * @property {() => R['files']['result']} files
 * @property {() => R['runs']['result']} runs
 * @property {() => R['tags']['result']} tags
 * @property {(run: string, tag: string, query: Required<import('./protocol.js').ScalarQuery>) => R['scalars']['result']} scalars
 * @property {(run: string, tag: string) => R['scalarsFull']['result']} scalarsFull
 * @property {(run: string, tag: string) => R['tensorSteps']['result']} tensorSteps
 * @property {(run: string, tag: string, index: number) => R['tensor']['result']} tensor
 * @property {(run: string, tag: string) => R['tensors']['result']} tensors
 * @property {(run: string, tag: string, index: number, element: number) => R['blob']['result']} blob
 * @property {() => R['hparams']['result']} hparams
 * @property {() => R['customScalars']['result']} customScalars
 * @property {() => R['stats']['result']} stats
 * @property {() => void} shrink
 */

/**
 * The engine script's module: the Engine class (`fake` in the tests).
 * @typedef {{Engine: new () => Engine, fake?: boolean}} EngineModule
 */

/**
 * @param {(wasmUrl: string) => Promise<EngineModule>} loadModule
 * @param {() => number} [now]
 * @returns {import('./protocol.js').Handlers} handlers keyed by request type
 */
export function createHandlers(loadModule, now = () => Date.now()) {
  let eng = null;
  let records = 0;
  let countedAt = -Infinity;

  const engine = () => {
    if (!eng) throw new Error('engine not initialised');
    return eng;
  };
  /** Total records over all files; recounted when stale or when forced. */
  const totalRecords = (force) => {
    const t = now();
    if (force || t - countedAt >= RECOUNT_MS) {
      records = 0;
      for (const f of engine().files()) records += Number(f.records) || 0;
      countedAt = t;
    }
    return records;
  };

  return {
    async [Req.INIT]({ wasmUrl }) {
      if (eng) return { fake: false, already: true };
      const Module = await loadModule(wasmUrl);
      eng = new Module.Engine();
      return { fake: !!Module.fake };
    },
    [Req.OPEN]({ path }) {
      if (typeof path !== 'string' || !path)
        throw new TypeError('open: path must be a non-empty string');
      return engine().openFile(path);
    },
    [Req.PUSH]({ id, chunk, end }, emit) {
      const e = engine();
      if (chunk && chunk.byteLength) e.push(id, new Uint8Array(chunk));
      if (end) e.endOfData(id);
      const before = countedAt;
      const n = totalRecords(!!end);
      if (countedAt !== before) emit(Ev.PROGRESS, { records: n });
      return { records: n };
    },
    [Req.END]({ id }) {
      engine().endOfData(id);
      return { records: totalRecords(true) };
    },
    [Req.FAIL]({ id, status, detail }) {
      engine().setFileStatus(id, String(status), String(detail));
      return null;
    },
    [Req.FILES]() {
      return engine().files();
    },
    [Req.RUNS]() {
      return engine().runs();
    },
    [Req.TAGS]() {
      return engine().tags();
    },
    // The engine validates and clamps the query (axis name, range, width, smoothing).
    [Req.SCALARS]({ run, tag, query }) {
      return engine().scalars(run, tag, query ?? {});
    },
    [Req.SCALARS_FULL]({ run, tag }) {
      return engine().scalarsFull(run, tag);
    },
    [Req.TENSOR_STEPS]({ run, tag }) {
      return engine().tensorSteps(run, tag);
    },
    [Req.TENSOR]({ run, tag, index }) {
      return engine().tensor(run, tag, index | 0);
    },
    [Req.TENSORS]({ run, tag }) {
      return engine().tensors(run, tag);
    },
    [Req.BLOB]({ run, tag, index, element }) {
      return engine().blob(run, tag, index | 0, element | 0);
    },
    [Req.HPARAMS]() {
      return engine().hparams();
    },
    [Req.CUSTOM_SCALARS]() {
      return engine().customScalars();
    },
    [Req.DISTRIBUTIONS]({ run, tag }) {
      return engine().distributions(run, tag);
    },
    [Req.PR_CURVES]({ run, tag }) {
      return engine().prCurves(run, tag);
    },
    [Req.TEXT]({ run, tag, index }) {
      return engine().text(run, tag, index | 0);
    },
    [Req.STATS]() {
      return engine().stats();
    },
    [Req.SHRINK]() {
      engine().shrink();
      return null;
    },
  };
}

/** Loads the single-file engine script into this (classic) worker. */
async function loadEngineScript(wasmUrl) {
  if (typeof self.createTbviewModule !== 'function') {
    try {
      importScripts(wasmUrl);
    } catch (e) {
      // A module worker (Vite's dev server) cannot importScripts: evaluate the
      // script at global scope instead. Only under `vite` (dev): Vite replaces
      // import.meta.env.DEV with false in a build, so this branch, eval and all,
      // is dropped from dist/ and the shipped worker has no eval (the app's CSP
      // forbids it; tests/e2e/hostile.test.mjs checks the built worker).
      if (import.meta.env.DEV && e instanceof TypeError) {
        const res = await fetch(wasmUrl);
        if (!res.ok)
          throw new Error(
            `could not load the engine from ${wasmUrl}: HTTP ${res.status}; build it with scripts/build_wasm.sh`,
          );
        (0, eval)(`${await res.text()}\n;self.createTbviewModule = createTbviewModule;`);
      } else {
        throw new Error(
          `could not load the engine from ${wasmUrl} (${e.message}); build it with scripts/build_wasm.sh`,
        );
      }
    }
  }
  if (typeof self.createTbviewModule !== 'function')
    throw new Error(`${wasmUrl} did not define createTbviewModule`);
  return self.createTbviewModule();
}

if (
  typeof WorkerGlobalScope !== 'undefined' &&
  typeof self !== 'undefined' &&
  self instanceof WorkerGlobalScope
) {
  serveRpc(
    /** @type {import('./protocol.js').Port} */ (/** @type {unknown} */ (self)),
    createHandlers(loadEngineScript),
  );
}

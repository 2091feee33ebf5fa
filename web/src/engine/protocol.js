/**
 * The message protocol between the page (DataClient) and the parser worker.
 *
 * Three kinds of message cross the boundary, all plain objects (structured clone):
 *
 *   request   page -> worker  {kind: 'req',   id, type, args}
 *   response  worker -> page  {kind: 'res',   id, ok: true, value}
 *                             {kind: 'res',   id, ok: false, error: {name, message}}
 *   event     worker -> page  {kind: 'event', type, data}       (progress, log)
 *
 * Request ids: each RpcClient numbers its requests 1, 2, 3, ... (wrapping below
 * 2^31), and a response carries the id of the request it answers; ids are
 * unique among the requests in flight, which is all the matching needs.
 *
 * Ordering: the worker handles requests strictly one after another in arrival
 * order (serveRpc chains them), so `open` is done before the `push` behind it,
 * and a query sees every push sent before it. Handlers may be async (init).
 *
 * Bulk data travels as typed arrays whose ArrayBuffers are transferred, never
 * copied and never views of the wasm heap: file chunks page -> worker (`push`),
 * series columns worker -> page (`scalars`, `scalarsFull`). Small control data
 * (file lists, tag lists) is plain objects.
 */

export const PROTOCOL_VERSION = 1;

/** Request types and what their args / results are. */
export const Req = Object.freeze({
  /** {wasmUrl} -> {fake: bool}: loads the engine script and creates the Engine. */
  INIT: 'init',
  /** {path} -> file id (number). Reopening a path resumes its stream. */
  OPEN: 'open',
  /** {id, chunk: ArrayBuffer (transferred), end?: bool} -> {records}: appends bytes; `end` = endOfData. */
  PUSH: 'push',
  /** {id} -> {records}: no more bytes for now. */
  END: 'end',
  /** {id, status: 'cancelled'|'read_error', detail} -> null: ends a file with a status only the client sees happen. */
  FAIL: 'fail',
  /** {} -> FileInfo[] */
  FILES: 'files',
  /** {} -> string[] */
  RUNS: 'runs',
  /** {} -> TagInfo[] */
  TAGS: 'tags',
  /** {run, tag, query} -> {x, step, wallTime, value, smoothed (Float64Array), total, yMin, yMax, p05, p95} */
  SCALARS: 'scalars',
  /** {run, tag} -> {step, wallTime, value (Float64Array)} */
  SCALARS_FULL: 'scalarsFull',
  /** {run, tag} -> {step, wallTime (Float64Array), count (Uint32Array)} | null */
  TENSOR_STEPS: 'tensorSteps',
  /** {run, tag, index} -> {step, wallTime, dtype, shape, numbers: Float64Array|null, strings: Uint8Array[]|null} | null */
  TENSOR: 'tensor',
  /** {run, tag} -> {step, wallTime, shapes, numbers (Float64Array), offsets (Uint32Array)} | null */
  TENSORS: 'tensors',
  /** {run, tag, index, element} -> Uint8Array | null: one string element (an encoded image, a clip) */
  BLOB: 'blob',
  /** {} -> {experiment, sessions, errors}: the hparams plugin's view (wasm/core/plugins.h) */
  HPARAMS: 'hparams',
  /** {} -> [{title, closed, charts}]: custom_scalars layouts merged over runs */
  CUSTOM_SCALARS: 'customScalars',
  /** {run, tag} -> {step, wallTime, basisPoints (Float64Array, nine per step)} | null: the engine's distributions */
  DISTRIBUTIONS: 'distributions',
  /** {run, tag} -> [{step, wallTime, thresholds, tp, fp, tn, fn, precision, recall (Float64Array)}] | null: trimmed PR curves */
  PR_CURVES: 'prCurves',
  /** {run, tag, index} -> {rank, shape, kind: 'markdown'|'table', markdown, rows, warning} | null: the engine's text view */
  TEXT: 'text',
  /** {} -> {retainedBytes, points} */
  STATS: 'stats',
  /** {} -> null: releases spare capacity once loading settles */
  SHRINK: 'shrink',
});

/** Events the worker sends unasked. */
export const Ev = Object.freeze({
  /** {records}: total records parsed so far (throttled). */
  PROGRESS: 'progress',
});

const REQ_TYPES = new Set(Object.values(Req));
const EV_TYPES = new Set(Object.values(Ev));

/** Builds a request message; throws on an unknown type (a programming error). */
export function encodeRequest(id, type, args = {}) {
  if (!REQ_TYPES.has(type)) throw new TypeError(`unknown request type ${type}`);
  if (!Number.isInteger(id) || id <= 0) throw new TypeError(`bad request id ${id}`);
  return { kind: 'req', id, type, args };
}

export function encodeResult(id, value) {
  return { kind: 'res', id, ok: true, value };
}

/** Errors become {name, message}: Error objects and Embind's C++ exceptions alike. */
export function encodeError(id, err) {
  let message;
  if (err && typeof err === 'object' && 'message' in err) message = String(err.message);
  else message = String(err);
  const name = (err && err.name) || 'Error';
  return { kind: 'res', id, ok: false, error: { name, message } };
}

export function encodeEvent(type, data) {
  if (!EV_TYPES.has(type)) throw new TypeError(`unknown event type ${type}`);
  return { kind: 'event', type, data };
}

/**
 * Validates an incoming message; returns it, or throws a TypeError saying what is
 * wrong (the receiver drops such messages rather than guessing).
 */
export function decode(msg) {
  if (!msg || typeof msg !== 'object') throw new TypeError('message is not an object');
  switch (msg.kind) {
    case 'req':
      if (!REQ_TYPES.has(msg.type)) throw new TypeError(`unknown request type ${msg.type}`);
      if (!Number.isInteger(msg.id)) throw new TypeError('request without id');
      return msg;
    case 'res':
      if (!Number.isInteger(msg.id)) throw new TypeError('response without id');
      if (msg.ok !== true && msg.ok !== false) throw new TypeError('response without ok');
      return msg;
    case 'event':
      if (!EV_TYPES.has(msg.type)) throw new TypeError(`unknown event type ${msg.type}`);
      return msg;
    default:
      throw new TypeError(`unknown message kind ${msg.kind}`);
  }
}

/**
 * The distinct ArrayBuffers behind the typed arrays (and bare ArrayBuffers) in a
 * value, searched through plain objects and arrays to a small depth: the transfer
 * list for postMessage. SharedArrayBuffers are not transferable and are skipped.
 */
export function transferablesOf(value, depth = 3, out = new Set()) {
  if (value == null || typeof value !== 'object') return [...out];
  if (value instanceof ArrayBuffer) out.add(value);
  else if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) out.add(value.buffer);
  } else if (depth > 0) {
    const items = Array.isArray(value) ? value : Object.values(value);
    for (const v of items) transferablesOf(v, depth - 1, out);
  }
  return [...out];
}

/** Makes a port-like object (Worker, MessagePort, worker global) uniform. */
function listen(port, fn) {
  port.addEventListener('message', (e) => fn(e.data));
  if (typeof port.start === 'function') port.start();
}

/**
 * The page's end: sends requests, matches responses to them, and passes events
 * to `onEvent(type, data)`.
 */
export class RpcClient {
  constructor(port, onEvent = () => {}) {
    this.port = port;
    this.onEvent = onEvent;
    this.nextId = 1;
    this.pending = new Map();
    listen(port, (msg) => this._receive(msg));
  }

  /**
   * Sends a request; resolves with its value or rejects with an Error carrying
   * the worker's message. `transfer` lists ArrayBuffers to move, not copy.
   */
  call(type, args = {}, transfer = []) {
    const id = this.nextId;
    this.nextId = this.nextId >= 0x7fffffff ? 1 : this.nextId + 1;
    const msg = encodeRequest(id, type, args);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, type });
      try {
        this.port.postMessage(msg, transfer);
      } catch (e) {
        this.pending.delete(id);
        reject(e);
      }
    });
  }

  /** Rejects every request in flight (the worker died). */
  failAll(err) {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  get inFlight() { return this.pending.size; }

  _receive(raw) {
    let msg;
    try { msg = decode(raw); } catch (e) { console.warn('tbview: dropped message:', e.message); return; }
    if (msg.kind === 'event') { this.onEvent(msg.type, msg.data); return; }
    if (msg.kind !== 'res') return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.value);
    else {
      const err = new Error(msg.error.message);
      err.name = msg.error.name === 'Error' ? 'WorkerError' : msg.error.name;
      err.requestType = p.type;
      p.reject(err);
    }
  }
}

/**
 * The worker's end: runs `handlers[type](args, emit)` for each request, one at a
 * time in arrival order, and posts the result (its typed arrays transferred) or
 * the error. `emit(type, data)` posts an event.
 */
export function serveRpc(port, handlers) {
  const emit = (type, data) => port.postMessage(encodeEvent(type, data));
  let chain = Promise.resolve();
  listen(port, (raw) => {
    let msg;
    try { msg = decode(raw); } catch (e) { console.warn('tbview worker: dropped message:', e.message); return; }
    if (msg.kind !== 'req') return;
    chain = chain.then(async () => {
      let reply;
      try {
        const h = handlers[msg.type];
        if (!h) throw new Error(`no handler for ${msg.type}`);
        reply = encodeResult(msg.id, await h(msg.args || {}, emit));
      } catch (e) {
        reply = encodeError(msg.id, e);
      }
      try {
        port.postMessage(reply, transferablesOf(reply.value));
      } catch (e) {
        port.postMessage(encodeError(msg.id, e));
      }
    });
  });
  return { emit };
}

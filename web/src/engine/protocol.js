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
 * Every message, request and event is typed below (JSDoc, checked by
 * `npm run typecheck`): `Requests` maps each request type to its arguments and
 * result, `Events` each event to its data.
 *
 * Bulk data travels as typed arrays whose ArrayBuffers are transferred, never
 * copied and never views of the wasm heap: file chunks page -> worker (`push`),
 * series columns worker -> page (`scalars`, `scalarsFull`). Small control data
 * (file lists, tag lists) is plain objects.
 */

/**
 * The protocol's version. The page sends it in `init`; a worker of another
 * version refuses to start (serveRpc), and the page refuses a worker whose
 * `init` answer does not carry this version (RpcClient callers: DataClient).
 * Bump it on any change to the messages below.
 */
export const PROTOCOL_VERSION = 2;

// ---------------------------------------------------------------- shapes

/**
 * A file as the engine knows it (plus `size`, known to the page only, in
 * DataClient.files()). Statuses: the engine's 'loading' | 'ok' | 'waiting' (a
 * cut-off tail: more may come) | 'not_event_file' | 'corrupt' | 'limit'; the
 * page's DataClient also shows 'not_event' (its name for 'not_event_file'),
 * 'cancelled' and 'read_error' (set through `fail`, worded by the engine) and
 * 'queued'. `detail` is the message without the path and the status words.
 * @typedef {object} FileInfo
 * @property {number} id  the engine's file id (-1 for a file not read yet)
 * @property {string} path
 * @property {string} run
 * @property {number} bytes  bytes pushed so far
 * @property {number} records
 * @property {number} badCrc  records skipped for a bad payload CRC
 * @property {number} badEvents  records that were not Events
 * @property {string} status
 * @property {string} message
 * @property {string} detail
 * @property {string} fileVersion
 * @property {string} writer
 * @property {number} firstWallTime
 * @property {number} [size]  the file's size, when the page knows it
 */

/**
 * A (run, tag) summary.
 * @typedef {object} TagInfo
 * @property {string} run
 * @property {string} tag
 * @property {string} plugin  'scalars' | 'images' | 'audio' | 'histograms' | 'text' |
 *   'pr_curves' | 'hparams' | 'custom_scalars' | ... (the first metadata seen decides)
 * @property {string} dataClass
 * @property {string} displayName
 * @property {string} description
 * @property {number} points
 * @property {number} firstStep
 * @property {number} lastStep
 * @property {number} firstWallTime
 * @property {number} lastWallTime
 * @property {boolean} isScalar
 */

/**
 * A scalars query: the x-range (null = unbounded) and the width in pixel
 * columns to reduce to (min/max per column), smoothing weight in [0, 0.999].
 * @typedef {object} ScalarQuery
 * @property {'step'|'relative'|'wall'} [xAxis]
 * @property {number|null} [x0]
 * @property {number|null} [x1]
 * @property {number} [width]
 * @property {number} [smoothing]
 */

/**
 * A reduced scalar series (smoothing on the full series, then min/max per
 * pixel column of the range; plus the nearest point outside each end).
 * @typedef {object} ScalarSeries
 * @property {Float64Array} x  in the query's x units
 * @property {Float64Array} step
 * @property {Float64Array} wallTime
 * @property {Float64Array} value
 * @property {Float64Array} smoothed
 * @property {number} total  points of the full series in the range
 * @property {number} yMin
 * @property {number} yMax
 * @property {number} p05  5th percentile of the values in range (outlier clipping)
 * @property {number} p95
 */

/**
 * Every point of a scalar series.
 * @typedef {{step: Float64Array, wallTime: Float64Array, value: Float64Array}} ScalarsFull
 */

/**
 * The steps of a tensor series; count[i] is the number of items at point i
 * (images of an image tensor, clips of an audio tensor, else 1).
 * @typedef {{step: Float64Array, wallTime: Float64Array, count: Uint32Array}} TensorSteps
 */

/**
 * A string kept by reference: bytes [offset, offset + length) of the source of
 * file `fileId` (what that file's pushes started with at offset 0).
 * @typedef {{fileId: number, offset: number, length: number}} BlobRef
 */

/**
 * One point of a tensor series. `numbers` for numeric dtypes, else `strings`;
 * `refs` is null when every string is in `strings`, else parallel to it:
 * refs[i] stands for strings[i] (null then), kept by reference. The
 * DataClient reads those and answers without `refs`.
 * @typedef {object} TensorPoint
 * @property {number} step
 * @property {number} wallTime
 * @property {string} dtype  numpy name ('float32', 'object', ...)
 * @property {number[]} shape
 * @property {Float64Array|null} numbers
 * @property {(Uint8Array|null)[]|null} strings
 * @property {(BlobRef|null)[]|null} refs
 */

/**
 * Every point of a numeric tensor series, columnar: point i's numbers are
 * numbers[offsets[i] .. offsets[i + 1]).
 * @typedef {object} TensorColumns
 * @property {Float64Array} step
 * @property {Float64Array} wallTime
 * @property {number[][]} shapes
 * @property {Float64Array} numbers
 * @property {Uint32Array} offsets  n + 1 starts
 */

/** @typedef {number|boolean|string|null} HparamValue */

/**
 * The hparams plugin's view (the engine's plugin rules).
 * @typedef {object} HparamsView
 * @property {{inferred: boolean, name: string, description: string,
 *   hparamInfos: {name: string, displayName: string, description: string, type: string,
 *     differs: boolean, domain: {values: HparamValue[]} | {min: number, max: number} | null}[],
 *   metricInfos: {group: string, tag: string, key: string, displayName: string,
 *     description: string, datasetType: string}[]} | null} experiment
 * @property {{run: string, groupName: string, hparams: Record<string, HparamValue>,
 *   status: string, startTime: number, endTime: number|null,
 *   metrics: Record<string, {run: string, last: number, min: number, max: number,
 *     step: number, count: number}>}[]} sessions
 * @property {string[]} errors
 */

/**
 * One custom_scalars category, merged over runs.
 * @typedef {{title: string, closed: boolean, charts: ({title: string,
 *   multiline: {tags: string[]}} | {title: string, margin: {series: {value: string,
 *   lower: string, upper: string}[]}})[]}} CustomScalarsCategory
 */

/**
 * A histogram series as distributions: nine basis points per step, row-major.
 * @typedef {{step: Float64Array, wallTime: Float64Array, basisPoints: Float64Array}} DistributionView
 */

/**
 * One step's PR curve: columns over the kept thresholds.
 * @typedef {object} PrCurvePoint
 * @property {number} step
 * @property {number} wallTime
 * @property {Float64Array} thresholds
 * @property {Float64Array} tp
 * @property {Float64Array} fp
 * @property {Float64Array} tn
 * @property {Float64Array} fn
 * @property {Float64Array} precision
 * @property {Float64Array} recall
 */

/**
 * One step of a text tag as TensorBoard shows it.
 * @typedef {object} TextView
 * @property {number} rank
 * @property {number[]} shape
 * @property {'markdown'|'table'} kind
 * @property {string} markdown  the Markdown of a scalar string
 * @property {string[][]} rows  the table's cells (rank >= 1)
 * @property {string} warning  what was left out (rank > 2: only the first 2-D slice)
 */

/**
 * Memory held by the engine: retained bytes and points, and the encoded
 * images and clips held in its heap or kept by reference.
 * @typedef {object} EngineStats
 * @property {number} retainedBytes
 * @property {number} points
 * @property {number} blobsHeld
 * @property {number} blobBytesHeld
 * @property {number} blobsByReference
 * @property {number} blobBytesByReference
 */

// ---------------------------------------------------------------- requests

/**
 * Every request type, with its arguments and its result: the one description
 * of the protocol (`npm run typecheck` holds both ends to it).
 * @typedef {object} Requests
 * @property {{args: {wasmUrl: string, protocolVersion: number},
 *   result: {fake: boolean, already?: boolean, protocolVersion: number}}} init
 *   loads the engine script and creates the Engine (once)
 * @property {{args: {path: string}, result: number}} open
 *   the file id of `path`; reopening a path resumes its stream
 * @property {{args: {id: number, chunk: ArrayBuffer, end?: boolean}, result: {records: number}}} push
 *   appends bytes (the chunk is transferred); `end` = no more bytes for now
 * @property {{args: {id: number}, result: {records: number}}} end  no more bytes for now
 * @property {{args: {id: number, status: 'cancelled'|'read_error', detail: string}, result: null}} fail
 *   ends a file with a status only the page sees happen (the engine's
 *   setFileStatus: it words the message)
 * @property {{args: {}, result: FileInfo[]}} files
 * @property {{args: {}, result: string[]}} runs
 * @property {{args: {}, result: TagInfo[]}} tags
 * @property {{args: {run: string, tag: string, query: ScalarQuery}, result: ScalarSeries|null}} scalars
 * @property {{args: {run: string, tag: string}, result: ScalarsFull|null}} scalarsFull
 * @property {{args: {run: string, tag: string}, result: TensorSteps|null}} tensorSteps
 * @property {{args: {run: string, tag: string, index: number}, result: TensorPoint|null}} tensor
 * @property {{args: {run: string, tag: string}, result: TensorColumns|null}} tensors
 * @property {{args: {run: string, tag: string, index: number, element: number},
 *   result: Uint8Array|BlobRef|null}} blob  one string element (an encoded image, a clip)
 * @property {{args: {}, result: HparamsView}} hparams
 * @property {{args: {}, result: CustomScalarsCategory[]}} customScalars
 * @property {{args: {run: string, tag: string}, result: DistributionView|null}} distributions
 *   the nine basis points of each step's histogram (the engine's distributions plugin)
 * @property {{args: {run: string, tag: string}, result: PrCurvePoint[]|null}} prCurves
 *   each step's PR curve, trimmed as TensorBoard trims it
 * @property {{args: {run: string, tag: string, index: number}, result: TextView|null}} text
 *   the text plugin's view of one step (Markdown, or a table of the first 2-D slice)
 * @property {{args: {}, result: EngineStats}} stats
 * @property {{args: {}, result: null}} shrink  releases spare capacity once loading settles
 */

/** @typedef {keyof Requests} RequestType */

/**
 * Events the worker sends unasked, with their data.
 * @typedef {object} Events
 * @property {{records: number}} progress  total records parsed so far (throttled)
 */

/** @typedef {keyof Events} EventType */

/**
 * A request message, one member per request type.
 * @typedef {{[T in RequestType]: {kind: 'req', id: number, type: T, args: Requests[T]['args']}}[RequestType]} RequestMessage
 */

/**
 * A response message: the result of the request `id`, or its error.
 * @typedef {{kind: 'res', id: number, ok: true, value: Requests[RequestType]['result']}
 *   | {kind: 'res', id: number, ok: false, error: {name: string, message: string}}} ResponseMessage
 */

/**
 * An event message, one member per event type.
 * @typedef {{[T in EventType]: {kind: 'event', type: T, data: Events[T]}}[EventType]} EventMessage
 */

/** @typedef {RequestMessage|ResponseMessage|EventMessage} Message */

/**
 * What a handler answers: the result, except `init`'s protocolVersion, which
 * serveRpc adds.
 * @template {RequestType} T
 * @typedef {T extends 'init' ? Omit<Requests['init']['result'], 'protocolVersion'> : Requests[T]['result']} HandlerResult
 */

/**
 * The worker's handlers: one per request type, given the args and `emit`.
 * @typedef {{[T in RequestType]: (args: Requests[T]['args'],
 *   emit: <E extends EventType>(type: E, data: Events[E]) => void)
 *   => HandlerResult<T> | Promise<HandlerResult<T>>}} Handlers
 */

/** Request types by constant name. */
export const Req = Object.freeze(
  /** @type {const} */ ({
    INIT: 'init',
    OPEN: 'open',
    PUSH: 'push',
    END: 'end',
    FAIL: 'fail',
    FILES: 'files',
    RUNS: 'runs',
    TAGS: 'tags',
    SCALARS: 'scalars',
    SCALARS_FULL: 'scalarsFull',
    TENSOR_STEPS: 'tensorSteps',
    TENSOR: 'tensor',
    TENSORS: 'tensors',
    BLOB: 'blob',
    HPARAMS: 'hparams',
    CUSTOM_SCALARS: 'customScalars',
    DISTRIBUTIONS: 'distributions',
    PR_CURVES: 'prCurves',
    TEXT: 'text',
    STATS: 'stats',
    SHRINK: 'shrink',
  }),
);

/** Events the worker sends unasked. */
export const Ev = Object.freeze(
  /** @type {const} */ ({
    PROGRESS: 'progress',
  }),
);

/** @type {Set<string>} */
const REQ_TYPES = new Set(Object.values(Req));
/** @type {Set<string>} */
const EV_TYPES = new Set(Object.values(Ev));

/**
 * Builds a request message; throws on an unknown type (a programming error).
 * @template {RequestType} T
 * @param {number} id
 * @param {T} type
 * @param {Requests[T]['args']} [args]
 * @returns {RequestMessage}
 */
export function encodeRequest(id, type, args) {
  if (!REQ_TYPES.has(type)) throw new TypeError(`unknown request type ${type}`);
  if (!Number.isInteger(id) || id <= 0) throw new TypeError(`bad request id ${id}`);
  return /** @type {RequestMessage} */ ({ kind: 'req', id, type, args: args ?? {} });
}

/**
 * @param {number} id
 * @param {Requests[RequestType]['result']} value
 * @returns {ResponseMessage}
 */
export function encodeResult(id, value) {
  return { kind: 'res', id, ok: true, value };
}

/**
 * Errors become {name, message}: Error objects and Embind's C++ exceptions alike.
 * @param {number} id
 * @param {unknown} err
 * @returns {ResponseMessage}
 */
export function encodeError(id, err) {
  let message;
  if (err && typeof err === 'object' && 'message' in err) message = String(err.message);
  else message = String(err);
  const name =
    err && typeof err === 'object' && 'name' in err && err.name ? String(err.name) : 'Error';
  return { kind: 'res', id, ok: false, error: { name, message } };
}

/**
 * @template {EventType} T
 * @param {T} type
 * @param {Events[T]} data
 * @returns {EventMessage}
 */
export function encodeEvent(type, data) {
  if (!EV_TYPES.has(type)) throw new TypeError(`unknown event type ${type}`);
  return /** @type {EventMessage} */ ({ kind: 'event', type, data });
}

/**
 * Validates an incoming message; returns it, or throws a TypeError saying what is
 * wrong (the receiver drops such messages rather than guessing).
 * @param {any} msg  whatever arrived (structured clone)
 * @returns {Message}
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
 * @param {unknown} value
 * @param {number} [depth]
 * @param {Set<ArrayBuffer>} [out]
 * @returns {ArrayBuffer[]}
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

/**
 * Anything messages go through: a Worker, a MessagePort, a worker's global.
 * @typedef {{postMessage(message: any, transfer?: Transferable[]): void,
 *   addEventListener(type: 'message', fn: (e: MessageEvent) => void): void,
 *   start?: () => void}} Port
 */

/**
 * Makes a port-like object (Worker, MessagePort, worker global) uniform.
 * @param {Port} port
 * @param {(data: any) => void} fn
 */
function listen(port, fn) {
  port.addEventListener('message', (e) => fn(e.data));
  if (typeof port.start === 'function') port.start();
}

/** An error the worker answered with: its name and the request it answers. */
export class WorkerError extends Error {
  /**
   * @param {{name: string, message: string}} error
   * @param {RequestType} requestType
   */
  constructor(error, requestType) {
    super(error.message);
    this.name = error.name === 'Error' ? 'WorkerError' : error.name;
    this.requestType = requestType;
  }
}

/**
 * The page's end: sends requests, matches responses to them, and passes events
 * to `onEvent(type, data)`.
 */
export class RpcClient {
  /**
   * @param {Port} port
   * @param {<T extends EventType>(type: T, data: Events[T]) => void} [onEvent]
   */
  constructor(port, onEvent = () => {}) {
    this.port = port;
    this.onEvent = onEvent;
    this.nextId = 1;
    /** @type {Map<number, {resolve: (v: any) => void, reject: (e: Error) => void, type: RequestType}>} */
    this.pending = new Map();
    listen(port, (msg) => this._receive(msg));
  }

  /**
   * Sends a request; resolves with its value or rejects with an Error carrying
   * the worker's message. `transfer` lists ArrayBuffers to move, not copy.
   * @template {RequestType} T
   * @param {T} type
   * @param {Requests[T]['args']} [args]
   * @param {Transferable[]} [transfer]
   * @returns {Promise<Requests[T]['result']>}
   */
  call(type, args = /** @type {Requests[T]['args']} */ ({}), transfer = []) {
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

  /**
   * Rejects every request in flight (the worker died).
   * @param {Error} err
   */
  failAll(err) {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  get inFlight() {
    return this.pending.size;
  }

  /** @param {unknown} raw */
  _receive(raw) {
    let msg;
    try {
      msg = decode(raw);
    } catch (e) {
      console.warn('tbview: dropped message:', e.message);
      return;
    }
    if (msg.kind === 'event') {
      this.onEvent(msg.type, msg.data);
      return;
    }
    if (msg.kind !== 'res') return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.value);
    else p.reject(new WorkerError(msg.error, p.type));
  }
}

/**
 * Checks the version the page sent in `init` against this worker's.
 * @param {unknown} theirs
 */
function checkVersion(theirs) {
  if (theirs !== PROTOCOL_VERSION) {
    throw new Error(
      `protocol version mismatch: the page speaks version ${theirs}, the parser worker ` +
        `version ${PROTOCOL_VERSION}; reload the page (a copy of the app from another build is cached)`,
    );
  }
}

/**
 * The worker's end: runs `handlers[type](args, emit)` for each request, one at a
 * time in arrival order, and posts the result (its typed arrays transferred) or
 * the error. `emit(type, data)` posts an event. The handshake: `init` is
 * refused when the page's protocol version differs from this worker's, and its
 * answer carries this worker's version.
 * @param {Port} port
 * @param {Handlers} handlers
 */
export function serveRpc(port, handlers) {
  /** @type {<E extends EventType>(type: E, data: Events[E]) => void} */
  const emit = (type, data) => port.postMessage(encodeEvent(type, data));
  let chain = Promise.resolve();
  listen(port, (raw) => {
    let msg;
    try {
      msg = decode(raw);
    } catch (e) {
      console.warn('tbview worker: dropped message:', e.message);
      return;
    }
    if (msg.kind !== 'req') return;
    const req = msg;
    chain = chain.then(async () => {
      let reply;
      try {
        const h = /** @type {(args: unknown, emit: unknown) => unknown} */ (handlers[req.type]);
        if (!h) throw new Error(`no handler for ${req.type}`);
        if (req.type === Req.INIT) checkVersion(req.args && req.args.protocolVersion);
        let value = await h(req.args || {}, emit);
        if (req.type === Req.INIT)
          value = { .../** @type {object} */ (value), protocolVersion: PROTOCOL_VERSION };
        reply = encodeResult(req.id, /** @type {Requests[RequestType]['result']} */ (value));
      } catch (e) {
        reply = encodeError(req.id, e);
      }
      try {
        port.postMessage(reply, transferablesOf(reply.ok ? reply.value : null));
      } catch (e) {
        port.postMessage(encodeError(req.id, e));
      }
    });
  });
  return { emit };
}

/**
 * DataClient: the page's only way to the data. It owns the parser worker, feeds
 * it bytes, and answers queries by asking the worker; nothing here parses.
 *
 *   const client = new DataClient();
 *   client.addEventListener('change', refresh);   // throttled while loading, and at the end
 *   await readSources(client, [new FilesSource([{path: 'run1/events.out.tfevents.1', file}])], new Map());
 *   const tags = await client.tags();
 *   const s = await client.scalars('run1', 'loss', {xAxis: 'step', width: 800, smoothing: 0.6});
 *
 * Reading: one file at a time, in path order (a run's files are one stream),
 * from the chunks its source yields (sources/source.js: a File sliced, a fetch
 * body coalesced, about CHUNK_BYTES each), each ArrayBuffer transferred to the
 * worker. Up to PUSHES_IN_FLIGHT pushes wait at
 * the worker while the next slice is read, so the worker still has the next
 * chunk when this thread is busy (drawing charts while a load goes on) and
 * memory stays at about three chunks whatever the file size.
 *
 * Events (all plain Event/CustomEvent on this EventTarget):
 *   'loading'   a load started from idle
 *   'progress'  detail {files, filesDone, bytes, bytesDone, records, current}
 *   'change'    the data changed: at most every CHANGE_INTERVAL_MS while
 *               loading, and once at the end (so charts can appear early)
 *   'idle'      everything queued has been read (or cancelled)
 *   'error'     detail {message}: the engine could not start, or the worker died
 *
 * Blobs by reference: the engine keeps the encoded images and audio clips of a
 * plain file as {fileId, offset, length} instead of copying them into its heap
 * (ARCHITECTURE.md). This client keeps the source of every file it read (the File or
 * Blob of a drop or picker, or the URL of a served file) under the engine's file
 * id, and `blob()` / `tensor()` read such bytes on demand: File.slice, or an HTTP
 * Range request (bytes=offset-(offset+length-1)); the worker never needs the
 * File. So the dashboards still get Uint8Arrays. `blobReads` counts these reads
 * ({fileSlices, rangeRequests, bytes}; the e2e tests read it).
 *
 * Invariants: `open` calls queue behind each other (dropping more while loading
 * adds to the queue); `cancel()` stops reading further slices of the current file,
 * marks it failed ("cancelled ..."), keeps what was parsed, and skips the queue.
 */
import { Ev, PROTOCOL_VERSION, Req, RpcClient } from './protocol.js';
import { normalizePath, runOfPath, sortEntries } from '../sources/entries.js';
import { CHUNK_BYTES } from '../sources/source.js';

export { CHUNK_BYTES };
export const CHANGE_INTERVAL_MS = 250;
export const PUSHES_IN_FLIGHT = 2;

/** Engine status spellings mapped to the ones the UI documents. */
const STATUS_ALIASES = Object.freeze({ not_event_file: 'not_event' });

function defaultWorker() {
  return new Worker(new URL('./worker.js', import.meta.url), {
    type: 'classic',
    name: 'tbview-parser',
  });
}

function defaultWasmUrl() {
  return new URL('wasm/tbview_web.js', document.baseURI).href;
}

export class DataClient extends EventTarget {
  /**
   * @param {object} [opts]
   * @param {Worker|MessagePort} [opts.port] the worker (tests pass a MessagePort)
   * @param {string} [opts.wasmUrl] URL of the engine script, given to the worker
   * @param {number} [opts.chunkBytes] slice size (tests force tiny ones)
   * @param {number} [opts.changeIntervalMs] throttle of 'change' while loading
   */
  constructor({
    port,
    wasmUrl,
    chunkBytes = CHUNK_BYTES,
    changeIntervalMs = CHANGE_INTERVAL_MS,
  } = {}) {
    super();
    this.port = port || defaultWorker();
    this.chunkBytes = chunkBytes;
    this.changeIntervalMs = changeIntervalMs;
    this.rpc = new RpcClient(this.port, (type, data) => this._onWorkerEvent(type, data));
    if (
      typeof this.port.addEventListener === 'function' &&
      typeof Worker !== 'undefined' &&
      this.port instanceof Worker
    ) {
      this.port.addEventListener('error', (e) =>
        this._fatal(`the parser worker failed: ${e.message || 'unknown error'}`),
      );
    }
    this.engineInfo = null;
    this.engineError = null;
    // The handshake: both ends check the protocol version (protocol.js).
    this.ready = this.rpc
      .call(Req.INIT, { wasmUrl: wasmUrl || defaultWasmUrl(), protocolVersion: PROTOCOL_VERSION })
      .then((info) => {
        if (!info || info.protocolVersion !== PROTOCOL_VERSION) {
          throw new Error(
            `protocol version mismatch: the page speaks version ${PROTOCOL_VERSION}, the parser ` +
              `worker version ${info ? info.protocolVersion : undefined}; reload the page (a copy of the app from ` +
              'another build is cached)',
          );
        }
        this.engineInfo = info;
        return info;
      })
      .catch((err) => {
        this._fatal(err.message);
        throw err;
      });
    this.ready.catch(() => {});

    this._queue = []; // jobs not started
    this._skipped = new Map(); // path -> job cancelled before it was read
    this._sizes = new Map(); // path -> size in bytes, when known
    this._current = null; // {job, cancelled}
    this._pumping = null; // promise of the running pump
    this._lastChange = -Infinity;
    // Engine file id -> [{base, file | url}]: the sources of the file's stream,
    // `base` being the stream offset at which that source's byte 0 was pushed
    // (a path opened again continues its stream).
    this._sources = new Map();
    this._streamBytes = new Map(); // engine file id -> bytes pushed so far
    this.blobReads = { fileSlices: 0, rangeRequests: 0, bytes: 0 };
    /**
     * path -> the File/Blob or URL it was last opened from, for the "Export
     * report" button (report/export.js), which reads the bytes again.
     * @type {Map<string, Blob|string>}
     */
    this.sources = new Map();
    this._resetProgress();
  }

  /** True when nothing is queued or being read. */
  get idle() {
    return !this._pumping;
  }

  /** A copy of the current progress counters. */
  get progress() {
    return { ...this._progress };
  }

  /**
   * Queues reads, as sources/source.js readSources makes them: entries
   * {path, size, offset, chunks(ctx), file?, url?} where `chunks({signal,
   * setSize, chunkBytes})` yields the file's bytes from `offset` on, which must
   * be the bytes already pushed for this path (a path opened again continues
   * its stream); `file` / `url` is the whole file, kept for blobs read by
   * reference and for the report export. Resolves when they have been read or
   * cancelled.
   */
  open(entries) {
    const jobs = [];
    for (const e of entries) {
      const path = normalizePath(e.path);
      if (path && e.chunks)
        jobs.push({
          path,
          size: e.size || 0,
          offset: e.offset || 0,
          chunks: e.chunks,
          file: e.file,
          url: e.url,
        });
    }
    return this._enqueue(sortEntries(jobs));
  }

  /** Stops reading: the current file is cut where it is, the queue is skipped. */
  cancel() {
    if (this._current) {
      this._current.cancelled = true;
      this._current.abort.abort();
    }
    const skipped = this._queue.splice(0);
    for (const job of skipped) {
      this._skipped.set(job.path, job);
      this._progress.filesDone++;
      job.resolve({ cancelled: true });
    }
    if (skipped.length || this._current) this._progress.cancelled = true;
    this._emitProgress();
  }

  // ---- queries (each waits for the engine to be ready)

  /**
   * Every file: the engine's FileInfo ({id, path, run, bytes, records, badCrc,
   * badEvents, status, message, detail, fileVersion, writer, firstWallTime}) plus `size`
   * when known, followed by files still queued (status 'queued') or never read
   * because of a cancel (status 'cancelled'); sorted by path.
   */
  async files() {
    await this.ready;
    const list = (await this.rpc.call(Req.FILES)).map((f) => {
      const out = { ...f, size: this._sizes.get(f.path) ?? f.bytes };
      // The core's FileStatusName says 'not_event_file'; the UI's word is 'not_event'.
      if (STATUS_ALIASES[out.status]) out.status = STATUS_ALIASES[out.status];
      return out;
    });
    const known = new Set(list.map((f) => f.path));
    const pseudo = (job, status, message) => ({
      id: -1,
      path: job.path,
      run: runOfPath(job.path),
      bytes: 0,
      size: job.size || 0,
      records: 0,
      badCrc: 0,
      badEvents: 0,
      status,
      message,
      detail: message,
      fileVersion: '',
      writer: '',
      firstWallTime: 0,
    });
    for (const job of this._queue) if (!known.has(job.path)) list.push(pseudo(job, 'queued', ''));
    for (const job of this._skipped.values())
      if (!known.has(job.path))
        list.push(pseudo(job, 'cancelled', 'not read: loading was cancelled'));
    return list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
  async runs() {
    await this.ready;
    return this.rpc.call(Req.RUNS);
  }
  async tags() {
    await this.ready;
    return this.rpc.call(Req.TAGS);
  }
  /** query: {xAxis: 'step'|'relative'|'wall', x0, x1 (null = unbounded), width, smoothing} */
  async scalars(run, tag, query = {}) {
    await this.ready;
    return this.rpc.call(Req.SCALARS, { run, tag, query });
  }
  async scalarsFull(run, tag) {
    await this.ready;
    return this.rpc.call(Req.SCALARS_FULL, { run, tag });
  }
  async tensorSteps(run, tag) {
    await this.ready;
    return this.rpc.call(Req.TENSOR_STEPS, { run, tag });
  }
  /** {step, wallTime, dtype, shape, numbers, strings}; strings kept by reference are read here. */
  async tensor(run, tag, index) {
    await this.ready;
    const t = await this.rpc.call(Req.TENSOR, { run, tag, index });
    if (t && t.refs) {
      const refs = t.refs;
      await Promise.all(
        refs.map(async (ref, i) => {
          if (ref) t.strings[i] = await this._readRef(ref);
        }),
      );
    }
    if (t) delete t.refs;
    return t;
  }
  async tensors(run, tag) {
    await this.ready;
    return this.rpc.call(Req.TENSORS, { run, tag });
  }
  /** A string element (encoded image or clip) as a Uint8Array, or null. */
  async blob(run, tag, index, element) {
    await this.ready;
    const b = await this.rpc.call(Req.BLOB, { run, tag, index, element });
    return b && !ArrayBuffer.isView(b) && typeof b.fileId === 'number' ? this._readRef(b) : b;
  }
  async hparams() {
    await this.ready;
    return this.rpc.call(Req.HPARAMS);
  }
  async customScalars() {
    await this.ready;
    return this.rpc.call(Req.CUSTOM_SCALARS);
  }
  /** The nine basis-point values of every step of a histogram tag, as TensorBoard's distributions. */
  async distributions(run, tag) {
    await this.ready;
    return this.rpc.call(Req.DISTRIBUTIONS, { run, tag });
  }
  /** Every step of a PR-curve tag, its TP + FP == 0 tail trimmed as TensorBoard does. */
  async prCurves(run, tag) {
    await this.ready;
    return this.rpc.call(Req.PR_CURVES, { run, tag });
  }
  /** How step `index` of a text tag is shown (Markdown, or a table; a 2-D slice above rank 2). */
  async text(run, tag, index) {
    await this.ready;
    return this.rpc.call(Req.TEXT, { run, tag, index });
  }
  async stats() {
    await this.ready;
    return this.rpc.call(Req.STATS);
  }

  // ---- internals

  /** The bytes of a blob kept by reference ({fileId, offset, length}), from its source. */
  async _readRef({ fileId, offset, length }) {
    const segs = this._sources.get(fileId);
    let seg = null;
    for (const s of segs || []) if (s.base <= offset) seg = s;
    if (!seg) throw new Error(`no source for file ${fileId}: cannot read its blob`);
    const start = offset - seg.base;
    const end = start + length;
    let bytes;
    if (seg.file) {
      bytes = new Uint8Array(await seg.file.slice(start, end).arrayBuffer());
      this.blobReads.fileSlices++;
    } else {
      const res = await fetch(seg.url, {
        headers: { Range: `bytes=${start}-${end - 1}` },
        cache: 'no-store',
      });
      if (!res.ok)
        throw new Error(`HTTP ${res.status} ${res.statusText} reading ${seg.url}`.trim());
      bytes = new Uint8Array(await res.arrayBuffer());
      // A server that ignores Range sends the whole file (200): cut it here.
      if (res.status !== 206) bytes = bytes.slice(start, end);
      this.blobReads.rangeRequests++;
    }
    if (bytes.length !== length)
      throw new Error(`read ${bytes.length} of ${length} bytes at ${start}: the file changed?`);
    this.blobReads.bytes += length;
    return bytes;
  }

  _resetProgress() {
    this._progress = {
      files: 0,
      filesDone: 0,
      bytes: 0,
      bytesDone: 0,
      records: this._progress?.records || 0,
      current: '',
      cancelled: false,
    };
  }

  _enqueue(jobs) {
    if (this.engineError) return Promise.reject(new Error(this.engineError));
    if (!jobs.length) return Promise.resolve({ cancelled: false });
    if (!this._pumping) this._resetProgress();
    const done = jobs.map(
      (job) =>
        new Promise((resolve) => {
          job.resolve = resolve;
        }),
    );
    for (const job of jobs) {
      this.sources.set(job.path, job.file || job.url);
      this._skipped.delete(job.path);
      if (job.size) this._sizes.set(job.path, job.size);
      this._progress.files++;
      this._progress.bytes += Math.max(0, (job.size || 0) - (job.offset || 0));
    }
    this._queue.push(...jobs);
    if (!this._pumping) {
      this.dispatchEvent(new Event('loading'));
      this._pumping = this._pump();
    }
    this._emitProgress();
    return Promise.all(done).then((r) => ({ cancelled: r.some((x) => x && x.cancelled) }));
  }

  async _pump() {
    try {
      await this.ready;
      while (this._queue.length) {
        if (this.engineError) throw new Error(this.engineError);
        const job = this._queue.shift();
        const cur = { job, cancelled: false, abort: new AbortController() };
        this._current = cur;
        this._progress.current = job.path;
        let cancelled = false;
        try {
          cancelled = await this._read(cur);
        } catch (e) {
          // Only the worker dying gets here (read errors are recorded per file).
          this._fatal(e.message);
        }
        this._current = null;
        this._progress.filesDone++;
        job.resolve({ cancelled });
        this._emitProgress();
        this._maybeChange();
      }
    } catch (e) {
      for (const job of this._queue.splice(0)) job.resolve({ cancelled: true, error: e.message });
    } finally {
      this._current = null;
      this._progress.current = '';
      this._pumping = null;
      // Loading settled: give back the series' spare capacity (scalar columns
      // grow by doubling while loading; a reload regrows them).
      this.rpc.call(Req.SHRINK).catch(() => {});
      this._emitProgress();
      this._emitChange();
      this.dispatchEvent(new Event('idle'));
    }
  }

  /** Reads one job into the worker; returns true when it was cut by cancel(). */
  async _read(cur) {
    const { job } = cur;
    const id = await this.rpc.call(Req.OPEN, { path: job.path });
    const start = this._streamBytes.get(id) || 0;
    // A resumable job's source is the whole file, read from job.offset (= start).
    const base = start - (job.offset || 0);
    if (!this._sources.has(id)) this._sources.set(id, []);
    this._sources.get(id).push(job.file ? { base, file: job.file } : { base, url: job.url });
    const inflight = []; // pushes sent and not yet answered, oldest first
    let pushed = 0;
    let ended = false;
    const onReply = (r) => {
      if (r) this._setRecords(r.records);
    };
    try {
      const setSize = (total) => {
        if (job.size || !(total > 0)) return;
        job.size = total;
        this._sizes.set(job.path, total);
        this._progress.bytes += Math.max(0, total - (job.offset || 0));
      };
      const chunks = job.chunks({ signal: cur.abort.signal, setSize, chunkBytes: this.chunkBytes });
      for await (const { chunk, last } of chunks) {
        if (cur.cancelled) break;
        if (inflight.length >= PUSHES_IN_FLIGHT) await inflight.shift();
        if (cur.cancelled) break;
        const n = chunk.byteLength;
        inflight.push(this.rpc.call(Req.PUSH, { id, chunk, end: last }, [chunk]).then(onReply));
        ended = last;
        pushed += n;
        this._streamBytes.set(id, start + pushed);
        this._progress.bytesDone += n;
        this._emitProgress();
        this._maybeChange();
      }
      await Promise.all(inflight.splice(0));
    } catch (e) {
      await Promise.all(inflight.splice(0).map((p) => p.catch(() => {})));
      if (!cur.cancelled) {
        await this.rpc.call(Req.FAIL, {
          id,
          status: 'read_error',
          detail: `after ${pushed} bytes: ${e.message}`,
        });
        return false;
      }
    }
    if (cur.cancelled) {
      const of = job.size ? ` of ${job.size}` : '';
      await this.rpc.call(Req.FAIL, {
        id,
        status: 'cancelled',
        detail: `read stopped after ${pushed}${of} bytes`,
      });
      return true;
    }
    if (!ended) onReply(await this.rpc.call(Req.END, { id }));
    return false;
  }

  _setRecords(n) {
    if (typeof n === 'number' && n !== this._progress.records) {
      this._progress.records = n;
      this._emitProgress();
    }
  }

  _onWorkerEvent(type, data) {
    if (type === Ev.PROGRESS) this._setRecords(data.records);
  }

  _emitProgress() {
    this.dispatchEvent(new CustomEvent('progress', { detail: this.progress }));
  }

  _maybeChange() {
    const t = Date.now();
    if (t - this._lastChange >= this.changeIntervalMs) this._emitChange();
  }

  _emitChange() {
    this._lastChange = Date.now();
    this.dispatchEvent(new Event('change'));
  }

  _fatal(message) {
    if (this.engineError) return;
    this.engineError = message;
    this.rpc.failAll(new Error(message));
    this.dispatchEvent(new CustomEvent('error', { detail: { message } }));
  }
}

/**
 * Live logs: reading again what was opened, for the bytes appended since.
 *
 * The Reloader keeps every reloadable source (sources/source.js: URL folders and files,
 * folder and file handles) and reads them the same way the first time and on
 * every reload: list the source's files, compare with what the engine has, and
 * queue a read of each file from the offset the engine's stream of that path has
 * reached. Rules (planReload):
 *   - offset = the bytes already pushed for that path (the engine's FileInfo
 *     .bytes): never read twice, never skipped. A record cut off at the end
 *     stays buffered in the engine ('waiting') and completes with the next bytes.
 *   - a path not seen before is new: read from 0 (new runs and files appear);
 *   - listed size == offset: unchanged, not read (no request at all); size
 *     unknown (a single URL): probed with a Range request from the offset;
 *   - listed size < offset, or a read finds the file shorter: the file was
 *     rewritten or rotated; it is marked failed (its data so far kept) and not
 *     read again, so old and new contents are never mixed;
 *   - files the engine gave up on (corrupt, limit, read error, cancelled) are
 *     not read again; files that disappeared keep their data.
 *   - an error while reading new bytes of a file already read (offset > 0:
 *     network down, HTTP 5xx) keeps the file as it is and is reported; the next
 *     reload tries again from the same offset. On a first read (offset 0) the
 *     file is marked 'read error' in the Files view.
 * Reloads run one at a time, after any load in progress; requests made while
 * one runs are merged into one more.
 *
 * Auto-reload: every `seconds` (default 30; 0 = off), skipped while the page is
 * hidden. The setting comes from `?reload=SECONDS` in the page URL, else
 * localStorage `tbview.reloadSeconds`, else the default (reloadSetting).
 *
 * Events: 'reloaded' CustomEvent, detail {count, newFiles, readFiles, unchanged,
 * errors: string[]} after each reload has been read.
 */
import { ShrunkError } from './source.js';

export const DEFAULT_RELOAD_SECONDS = 30;
export const RELOAD_CHOICES = Object.freeze([0, 10, 30, 120, 600]);
export const RELOAD_STORAGE_KEY = 'tbview.reloadSeconds';

/** Statuses after which the engine reads no more bytes of a file. */
const FINAL = new Set(['read_error', 'cancelled', 'corrupt', 'limit']);

/** "30" -> 30; anything not a whole number of seconds in 0..86400 -> null. */
export function parseReloadSeconds(v) {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 && n <= 86400 ? n : null;
}

/** The auto-reload interval: ?reload= wins, then localStorage, then the default. */
export function reloadSetting(search, storage) {
  const fromUrl = parseReloadSeconds(new URLSearchParams(search || '').get('reload'));
  if (fromUrl !== null) return { seconds: fromUrl, from: 'url' };
  let stored = null;
  try { stored = parseReloadSeconds(storage && storage.getItem(RELOAD_STORAGE_KEY)); } catch { /* no storage */ }
  if (stored !== null) return { seconds: stored, from: 'storage' };
  return { seconds: DEFAULT_RELOAD_SECONDS, from: 'default' };
}

/**
 * Which listed files to read, and from where.
 * @param {{path: string, size: number|null}[]} listed  a source's files
 * @param {Map<string, {bytes: number, status: string}>} known  the engine's files by path
 * @returns {{reads: {entry, offset: number}[], unchanged: number, final: number}}
 */
export function planReload(listed, known) {
  const reads = [];
  let unchanged = 0;
  let final = 0;
  for (const entry of listed) {
    const k = known.get(entry.path);
    if (k && FINAL.has(k.status)) { final++; continue; }
    const offset = k ? Number(k.bytes) || 0 : 0;
    if (k && entry.size !== null && entry.size !== undefined && entry.size === offset) { unchanged++; continue; }
    reads.push({ entry, offset });
  }
  return { reads, unchanged, final };
}

/**
 * Wraps a read so that a failure of a file already read is reported and leaves
 * it as it is (the next reload tries again), while a first read's failure or a
 * shrunk file propagates (the client marks the file 'read error').
 */
async function* guarded(chunks, offset, path, errors) {
  try {
    yield* chunks;
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    errors.push(`${path}: ${e.message}`);
    if (offset > 0 && !(e instanceof ShrunkError)) return;
    throw e;
  }
}

export class Reloader extends EventTarget {
  /** @param {import('../engine/client.js').DataClient} client */
  constructor(client) {
    super();
    this.client = client;
    this.sources = [];
    this.count = 0;        // reloads finished (the first read of a source included)
    this.last = null;      // the last 'reloaded' detail
    this.seconds = 0;
    this._chain = Promise.resolve();
    this._fullPending = null;
    this._timer = 0;
  }

  get reloadable() { return this.sources.length > 0; }

  /**
   * Adds a source and reads it. Resolves, once its list has been read and its
   * files queued, to {files, errors, done} (`done`: the read finished).
   */
  add(source) {
    this.sources.push(source);
    let queued;
    const whenQueued = new Promise((resolve) => { queued = resolve; });
    const done = this._run([source], queued);
    done.catch((e) => queued({ files: 0, errors: [e.message] }));  // never leave the caller waiting
    return whenQueued.then((r) => ({ ...r, done }));
  }

  /** Reads every source again for what is new; merged with a reload already waiting. */
  reload() {
    if (this._fullPending) return this._fullPending;
    const p = this._run(null, null, () => { if (this._fullPending === p) this._fullPending = null; });
    this._fullPending = p;
    return p;
  }

  /** Auto-reload every `seconds` (0 stops it). */
  setInterval(seconds) {
    this.seconds = seconds;
    clearTimeout(this._timer);
    this._timer = 0;
    if (seconds > 0) this._schedule();
  }

  _schedule() {
    this._timer = setTimeout(async () => {
      const hidden = typeof document !== 'undefined' && document.hidden;
      if (this.sources.length && !hidden) await this.reload().catch(() => {});
      if (this.seconds > 0) this._schedule();
    }, this.seconds * 1000);
  }

  _run(only, onQueued, onStart) {
    const p = this._chain.then(() => { if (onStart) onStart(); return this._reloadOnce(only, onQueued); });
    this._chain = p.catch(() => {});
    return p;
  }

  async _waitIdle() {
    while (!this.client.idle) await new Promise((r) => this.client.addEventListener('idle', r, { once: true }));
  }

  async _reloadOnce(only, onQueued) {
    await this._waitIdle();
    const sources = only || this.sources;
    const known = new Map((await this.client.files()).map((f) => [f.path, f]));
    const errors = [];
    const entries = [];
    let newFiles = 0;
    let unchanged = 0;
    let files = 0;
    for (const source of sources) {
      let listed;
      try {
        listed = await source.list();
      } catch (e) {
        errors.push(`${source.label}: ${e.message}`);
        continue;
      }
      files += listed.length;
      const plan = planReload(listed, known);
      unchanged += plan.unchanged;
      for (const { entry, offset } of plan.reads) {
        if (!known.has(entry.path)) newFiles++;
        entries.push({
          path: entry.path, offset, size: entry.size ?? 0, file: entry.file, url: entry.url,
          chunks: (ctx) => guarded(source.read(entry, offset, ctx), offset, entry.path, errors),
        });
      }
    }
    const loaded = entries.length ? this.client.open(entries) : Promise.resolve();
    if (onQueued) onQueued({ files, errors });
    await loaded.catch((e) => errors.push(e.message));
    this.count++;
    this.last = { count: this.count, newFiles, readFiles: entries.length, unchanged, files, errors };
    this.dispatchEvent(new CustomEvent('reloaded', { detail: this.last }));
    return this.last;
  }
}

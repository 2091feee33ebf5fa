/**
 * Live logs: reading again what was opened, for the bytes appended since.
 *
 * The Reloader keeps every reloadable source (the `Source` contract of
 * sources/source.js: URL folders and files, folder and file handles) and reads
 * them through that contract only, the same way the first time and on every
 * reload (readSources): list the source's files, compare with what the engine
 * has, and queue a read of each file from the offset the engine's stream of
 * that path has reached. Rules (planReload, in sources/source.js):
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
 * errors: string[], notes: string[]} after each reload has been read.
 */
import { readSources } from './source.js';

export const DEFAULT_RELOAD_SECONDS = 30;
export const RELOAD_CHOICES = Object.freeze([0, 10, 30, 120, 600]);
export const RELOAD_STORAGE_KEY = 'tbview.reloadSeconds';

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
  try {
    stored = parseReloadSeconds(storage && storage.getItem(RELOAD_STORAGE_KEY));
  } catch {
    /* no storage */
  }
  if (stored !== null) return { seconds: stored, from: 'storage' };
  return { seconds: DEFAULT_RELOAD_SECONDS, from: 'default' };
}

export class Reloader extends EventTarget {
  /** @param {import('../engine/client.js').DataClient} client */
  constructor(client) {
    super();
    this.client = client;
    /** @type {import('./source.js').Source[]} the reloadable sources added */
    this.sources = [];
    this.count = 0; // reloads finished (the first read of a source included)
    this.last = null; // the last 'reloaded' detail
    this.seconds = 0;
    this._chain = Promise.resolve();
    this._fullPending = null;
    this._timer = 0;
  }

  get reloadable() {
    return this.sources.length > 0;
  }

  /**
   * Adds a source and reads it; a reloadable one is read again on every
   * reload. Resolves, once its list has been read and its files queued, to
   * {files, errors, done} (`done`: the read finished).
   * @param {import('./source.js').Source} source
   */
  add(source) {
    if (source.reloadable) this.sources.push(source);
    let queued;
    const whenQueued = new Promise((resolve) => {
      queued = resolve;
    });
    const done = this._run([source], queued);
    done.catch((e) => queued({ files: 0, errors: [e.message] })); // never leave the caller waiting
    return whenQueued.then((r) => ({ ...r, done }));
  }

  /** Reads every source again for what is new; merged with a reload already waiting. */
  reload() {
    if (this._fullPending) return this._fullPending;
    const p = this._run(null, null, () => {
      if (this._fullPending === p) this._fullPending = null;
    });
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
    const p = this._chain.then(() => {
      if (onStart) onStart();
      return this._reloadOnce(only, onQueued);
    });
    this._chain = p.catch(() => {});
    return p;
  }

  async _waitIdle() {
    while (!this.client.idle)
      await new Promise((r) => this.client.addEventListener('idle', r, { once: true }));
  }

  async _reloadOnce(only, onQueued) {
    await this._waitIdle();
    const sources = only || this.sources;
    const known = new Map((await this.client.files()).map((f) => [f.path, f]));
    const r = await readSources(this.client, sources, known);
    if (onQueued) onQueued({ files: r.files, errors: r.errors, notes: r.notes });
    const { errors } = r;
    await r.loaded.catch((e) => errors.push(e.message));
    const { newFiles, unchanged, files } = r;
    this.count++;
    this.last = {
      count: this.count,
      newFiles,
      readFiles: r.reads,
      unchanged,
      files,
      errors,
      notes: r.notes,
    };
    this.dispatchEvent(new CustomEvent('reloaded', { detail: this.last }));
    return this.last;
  }
}

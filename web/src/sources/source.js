/**
 * Sources: things that were opened and can be read again for what is new.
 *
 * A source lists its files, each {path, size, url | handle}, and reads one file
 * from a byte offset. The reloader (reload.js) compares the list with what the
 * engine already has and reads only the bytes after that; the engine's stream of
 * a path continues where it stopped (wasm/core/logdir.h), so a record cut off by
 * a writer completes on the next read.
 *
 *   UrlFolderSource   a published folder: tbview-manifest.json (or serve.mjs's
 *                     index.json), re-fetched on every reload (new files appear)
 *   UrlFileSource     one URL (an event file or an archive)
 *   DirHandleSource   a folder picked with showDirectoryPicker, or dropped in
 *                     Chromium (FileSystemDirectoryHandle): re-walked on reload
 *   FileHandleSource  one file dropped in Chromium (FileSystemFileHandle)
 *
 * Reading a URL from `offset` (rangeChunks) sends `Range: bytes=<offset>-`:
 *   206         the bytes from offset (a Content-Range starting elsewhere is an
 *               error: it would mix streams);
 *   200         the server ignored Range and sends the whole file: the first
 *               `offset` bytes are skipped (the engine has them), so nothing is
 *               read twice; a body shorter than offset means the file shrank;
 *   416         nothing at or after offset: no new bytes (or an empty file);
 *               when Content-Range says the file is shorter than offset, it shrank;
 *   other       an error naming the status (404: not found).
 * A network failure is reported as such, with CORS named as the usual cause
 * (the browser does not tell the page which it was).
 * A file that shrank (rewritten, rotated) raises ShrunkError: its data so far
 * is kept and it is not read again, never mixed with new contents.
 */
import { CHUNK_BYTES, streamChunks } from '../engine/client.js';
import { normalizePath, sortEntries } from './entries.js';
import { classifyUrl, parseManifest } from './manifest.js';

/** The file is shorter than what was already read from it. */
export class ShrunkError extends Error {
  constructor(path, offset, size) {
    super(`the file is now ${size} bytes, shorter than the ${offset} bytes already read: it was rewritten or `
      + 'replaced, so it is not read again (its data so far is kept; open it anew to read the new contents)');
    this.name = 'ShrunkError';
    Object.assign(this, { path, offset, size });
  }
}

/** A plain message for a failed fetch (TypeError: network error or CORS). */
export function fetchErrorMessage(url, e) {
  if (e && e.name === 'AbortError') return 'cancelled';
  return `could not fetch ${url}: network error, or the server does not let this page read it `
    + '(CORS: it must send Access-Control-Allow-Origin)';
}

function httpError(res, url) {
  const what = { 404: 'not found', 403: 'forbidden', 401: 'needs a login', 416: 'range not satisfiable' }[res.status];
  return new Error(`HTTP ${res.status}${what ? ` (${what})` : res.statusText ? ` ${res.statusText}` : ''} for ${url}`);
}

/** Content-Range ("bytes a-b/N", or on a 416 "bytes", an asterisk, "/N") -> {start, total}, null where absent or unreadable. */
export function parseContentRange(h) {
  const m = /^bytes\s+(?:(\d+)-\d+|\*)\/(\d+|\*)\s*$/i.exec(String(h || ''));
  if (!m) return { start: null, total: null };
  return { start: m[1] === undefined ? null : Number(m[1]), total: m[2] === '*' ? null : Number(m[2]) };
}

/**
 * The bytes of `url` from `offset` on, as {chunk: ArrayBuffer, last: false}.
 * @param {object} o {signal, setSize(total), chunkBytes, fetchFn, path}
 */
export async function* rangeChunks(url, offset, { signal, setSize = () => {}, chunkBytes = CHUNK_BYTES, fetchFn = fetch, path = url } = {}) {
  let res;
  try {
    res = await fetchFn(url, { headers: { Range: `bytes=${offset}-` }, cache: 'no-store', signal });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new Error(fetchErrorMessage(url, e));
  }
  if (res.status === 416) {
    const { total } = parseContentRange(res.headers.get('content-range'));
    if (res.body) res.body.cancel().catch(() => {});
    if (total !== null && total < offset) throw new ShrunkError(path, offset, total);
    if (total !== null) setSize(total);
    return;  // nothing new (or an empty file)
  }
  if (!res.ok) {
    if (res.body) res.body.cancel().catch(() => {});
    throw httpError(res, url);
  }
  if (!res.body) return;
  let skip = 0;
  if (res.status === 206) {
    const { start, total } = parseContentRange(res.headers.get('content-range'));
    // Cross-origin, Content-Range is readable only when the server exposes it;
    // a single-range answer to "bytes=N-" starts at N by definition.
    if (start !== null && start !== offset) {
      res.body.cancel().catch(() => {});
      throw new Error(`the server answered bytes from ${start} when asked for ${offset}`);
    }
    if (total !== null) setSize(total);
  } else {
    // 200: the whole file. Skip what the engine already has.
    const len = Number(res.headers.get('content-length'));
    const encoded = !!res.headers.get('content-encoding');
    if (len > 0 && !encoded) {
      if (len < offset) { res.body.cancel().catch(() => {}); throw new ShrunkError(path, offset, len); }
      setSize(len);
    }
    skip = offset;
  }
  let seen = 0;
  for await (const { chunk } of streamChunks(res.body, chunkBytes)) {
    const n = chunk.byteLength;
    if (skip >= seen + n) { seen += n; continue; }
    const from = Math.max(0, skip - seen);
    seen += n;
    yield { chunk: from ? chunk.slice(from) : chunk, last: false };
  }
  if (seen < skip) throw new ShrunkError(path, offset, seen);
}

/**
 * The bytes of a local file from `offset` on. `file` is a snapshot (File); when
 * the file changes on disk while it is read, Chromium refuses the old snapshot
 * (NotReadableError): with a handle, a fresh snapshot is taken and reading goes
 * on from the same position (up to 3 times).
 */
export async function* fileChunks(file, offset, { handle = null, chunkBytes = CHUNK_BYTES, path = file.name } = {}) {
  if (file.size < offset) throw new ShrunkError(path, offset, file.size);
  let pos = offset;
  let retries = 3;
  while (pos < file.size) {
    const end = Math.min(file.size, pos + chunkBytes);
    let chunk;
    try {
      chunk = await file.slice(pos, end).arrayBuffer();
    } catch (e) {
      if (!handle || retries-- <= 0) throw e;
      file = await handle.getFile();
      if (file.size < pos) throw new ShrunkError(path, pos, file.size);
      continue;
    }
    pos = end;
    yield { chunk, last: false };
  }
}

const join = (prefix, p) => (prefix ? `${prefix}/${p}` : p);

/**
 * A published folder. `listings`: the URLs to try for its file list, in order
 * (a 404 moves to the next); the one that answered is used from then on.
 */
export class UrlFolderSource {
  constructor({ base, listings, name }, prefix = '') {
    Object.assign(this, { kind: 'url-folder', base, listings: [...listings], name, prefix });
    this.label = base;
  }

  async list() {
    let lastErr = null;
    for (const url of this.listings) {
      let res;
      try {
        res = await fetch(url, { cache: 'no-store' });
      } catch (e) {
        throw new Error(fetchErrorMessage(url, e));
      }
      if (res.status === 404 || res.status === 410) {
        res.body?.cancel().catch(() => {});
        lastErr = httpError(res, url);
        continue;
      }
      if (!res.ok) throw httpError(res, url);
      let doc;
      try { doc = await res.json(); } catch { throw new Error(`${url} is not JSON: not a tbview manifest`); }
      const m = parseManifest(doc, url);
      this.listings = [url];  // found: reloads read this one
      return m.files.map((f) => ({ path: join(this.prefix, f.path), size: f.size, url: f.url }));
    }
    throw new Error(`no file list for ${this.base}: ${lastErr ? lastErr.message : 'nothing to try'}. `
      + 'A published folder needs a tbview-manifest.json (write one with: scripts/tbview manifest DIR)');
  }

  read(entry, offset, ctx) { return rangeChunks(entry.url, offset, { ...ctx, path: entry.path }); }
}

/** One URL: an event file or an archive; its size is learnt from the answers. */
export class UrlFileSource {
  constructor({ url, name }, prefix = '') {
    Object.assign(this, { kind: 'url-file', url, prefix, label: url });
    this.path = normalizePath(join(prefix, name)) || 'file';
  }

  async list() { return [{ path: this.path, size: null, url: this.url }]; }

  read(entry, offset, ctx) { return rangeChunks(entry.url, offset, { ...ctx, path: entry.path }); }
}

/** Every file below a FileSystemDirectoryHandle, sorted by path. */
export async function walkDirectory(dir, prefix = '') {
  const out = [];
  for await (const [name, h] of dir.entries()) {
    const p = join(prefix, name);
    if (h.kind === 'directory') out.push(...(await walkDirectory(h, p)));
    else if (h.kind === 'file') out.push({ path: p, handle: h });
  }
  return out;
}

/** A folder picked or dropped in Chromium: re-walked on every reload. */
export class DirHandleSource {
  constructor(handle, prefix = '') {
    Object.assign(this, { kind: 'dir-handle', handle, prefix, label: handle.name });
  }

  async list() {
    const found = await walkDirectory(this.handle, this.prefix);
    const out = [];
    for (const f of found) {
      const path = normalizePath(f.path);
      if (!path) continue;
      let file;
      try { file = await f.handle.getFile(); } catch { continue; }  // removed while walking
      out.push({ path, size: file.size, file, handle: f.handle });
    }
    return sortEntries(out);
  }

  read(entry, offset, ctx) { return fileChunks(entry.file, offset, { ...ctx, handle: entry.handle, path: entry.path }); }
}

/** One file dropped in Chromium, kept by its FileSystemFileHandle. */
export class FileHandleSource {
  constructor(handle, path) {
    Object.assign(this, { kind: 'file-handle', handle, path: normalizePath(path) || handle.name, label: handle.name });
  }

  async list() {
    const file = await this.handle.getFile();
    return [{ path: this.path, size: file.size, file, handle: this.handle }];
  }

  read(entry, offset, ctx) { return fileChunks(entry.file, offset, { ...ctx, handle: entry.handle, path: entry.path }); }
}

/** The source for a user-given URL (see manifest.js classifyUrl). */
export function sourceForUrl(text, baseHref, prefixIfFolder = '') {
  const c = classifyUrl(text, baseHref);
  return c.kind === 'folder' ? new UrlFolderSource(c, prefixIfFolder) : new UrlFileSource(c);
}

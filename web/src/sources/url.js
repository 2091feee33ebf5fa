/**
 * Sources on the web (the `Source` contract: sources/source.js):
 *
 *   UrlFolderSource   a published folder: tbview-manifest.json (or serve.mjs's
 *                     index.json), re-fetched on every reload (new files appear);
 *                     when neither exists, the server's HTML index page of the
 *                     folder (nginx, Apache, Python http.server: webdir.js),
 *                     whose event files, archives, projector and profile files
 *                     are kept (keep.js)
 *   UrlFileSource     one URL (an event file or an archive)
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
import { normalizePath, sortEntries } from './entries.js';
import { keepFiles, MAX_ENTRIES } from './keep.js';
import { parseManifest } from './manifest.js';
import { CHUNK_BYTES, ShrunkError } from './source.js';
import { listWebFolder } from './webdir.js';

/** A plain message for a failed fetch (TypeError: network error or CORS). */
export function fetchErrorMessage(url, e) {
  if (e && e.name === 'AbortError') return 'cancelled';
  return (
    `could not fetch ${url}: network error, or the server does not let this page read it ` +
    '(CORS: it must send Access-Control-Allow-Origin)'
  );
}

/** An Error for a failed answer; `status` and `headers` are kept for the caller (rate limits). */
function httpError(res, url) {
  const what = {
    404: 'not found',
    403: 'forbidden',
    401: 'needs a login',
    416: 'range not satisfiable',
  }[res.status];
  const e = new Error(
    `HTTP ${res.status}${what ? ` (${what})` : res.statusText ? ` ${res.statusText}` : ''} for ${url}`,
  );
  return Object.assign(e, { status: res.status, headers: res.headers });
}

/** Content-Range ("bytes a-b/N", or on a 416 "bytes", an asterisk, "/N") -> {start, total}, null where absent or unreadable. */
export function parseContentRange(h) {
  const m = /^bytes\s+(?:(\d+)-\d+|\*)\/(\d+|\*)\s*$/i.exec(String(h || ''));
  if (!m) return { start: null, total: null };
  return {
    start: m[1] === undefined ? null : Number(m[1]),
    total: m[2] === '*' ? null : Number(m[2]),
  };
}

/** A fetch body coalesced into chunks of about chunkBytes: {chunk, last: false}. */
export async function* streamChunks(body, chunkBytes = CHUNK_BYTES) {
  const reader = body.getReader();
  let parts = [];
  let n = 0;
  const flush = () => {
    const out = new Uint8Array(n);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.byteLength;
    }
    parts = [];
    n = 0;
    return out.buffer;
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      n += value.byteLength;
      if (n >= chunkBytes) yield { chunk: flush(), last: false };
    }
    if (n) yield { chunk: flush(), last: false };
  } finally {
    reader.releaseLock();
  }
}

/**
 * The bytes of `url` from `offset` on, as {chunk: ArrayBuffer, last: false}.
 * @param {object} o {signal, setSize(total), chunkBytes, fetchFn, path}
 */
export async function* rangeChunks(
  url,
  offset,
  { signal, setSize = () => {}, chunkBytes = CHUNK_BYTES, fetchFn = fetch, path = url } = {},
) {
  let res;
  try {
    res = await fetchFn(url, { headers: { Range: `bytes=${offset}-` }, cache: 'no-store', signal });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new Error(fetchErrorMessage(url, e), { cause: e });
  }
  if (res.status === 416) {
    const { total } = parseContentRange(res.headers.get('content-range'));
    if (res.body) res.body.cancel().catch(() => {});
    if (total !== null && total < offset) throw new ShrunkError(path, offset, total);
    if (total !== null) setSize(total);
    return; // nothing new (or an empty file)
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
      if (len < offset) {
        res.body.cancel().catch(() => {});
        throw new ShrunkError(path, offset, len);
      }
      setSize(len);
    }
    skip = offset;
  }
  let seen = 0;
  for await (const { chunk } of streamChunks(res.body, chunkBytes)) {
    const n = chunk.byteLength;
    if (skip >= seen + n) {
      seen += n;
      continue;
    }
    const from = Math.max(0, skip - seen);
    seen += n;
    yield { chunk: from ? chunk.slice(from) : chunk, last: false };
  }
  if (seen < skip) throw new ShrunkError(path, offset, seen);
}

const join = (prefix, p) => (prefix ? `${prefix}/${p}` : p);

/**
 * A published folder (a Source). `listings`: the URLs to try for its file list, in order
 * (a 404 moves to the next); the one that answered is used from then on.
 */
export class UrlFolderSource {
  constructor({ base, listings, name }, prefix = '') {
    Object.assign(this, {
      kind: 'url-folder',
      base,
      listings: [...listings],
      name,
      prefix,
      reloadable: true,
    });
    this.label = base;
  }

  async list() {
    let lastErr = null;
    this.notes = [];
    for (const url of this.listings) {
      let res;
      try {
        res = await fetch(url, { cache: 'no-store' });
      } catch (e) {
        throw new Error(fetchErrorMessage(url, e), { cause: e });
      }
      if (res.status === 404 || res.status === 410) {
        res.body?.cancel().catch(() => {});
        lastErr = httpError(res, url);
        continue;
      }
      if (!res.ok) throw httpError(res, url);
      let doc;
      try {
        doc = await res.json();
      } catch {
        throw new Error(`${url} is not JSON: not a tbview manifest`);
      }
      const m = parseManifest(doc, url);
      this.listings = [url]; // found: reloads read this one
      return m.files.map((f) => ({ path: join(this.prefix, f.path), size: f.size, url: f.url }));
    }
    // No manifest: the server's own index page of the folder, if it makes one.
    let listing;
    try {
      listing = await listWebFolder(this.base, { fetchFn: (...a) => fetch(...a) });
    } catch (e) {
      throw new Error(
        `no file list for ${this.base}: ${lastErr ? lastErr.message : 'nothing to try'}, and no ` +
          `index page of the folder (${e.message}). A published folder needs a tbview-manifest.json ` +
          '(write one with: scripts/tbview manifest DIR) or a server that lists folders',
        { cause: e },
      );
    }
    const { kept } = keepFiles(listing.files);
    this.notes = [...(listing.notes || [])];
    if (!kept.length) {
      this.notes.push(
        `${this.base}: no manifest, and its index page links to no event files (names with "tfevents"), ` +
          `archives, projector or profile files among ${listing.files.length} files`,
      );
    }
    if (listing.capped)
      this.notes.push(`${this.base}: the listing was stopped at ${MAX_ENTRIES} entries`);
    this.listings = []; // from now on, the index pages
    return sortEntries(
      kept
        .map((f) => ({ path: normalizePath(join(this.prefix, f.path)), size: null, url: f.url }))
        .filter((f) => f.path),
    );
  }

  read(entry, offset, ctx) {
    return rangeChunks(entry.url, offset, { ...ctx, path: entry.path });
  }
}

/** One URL (a Source): an event file or an archive; its size is learnt from the answers. */
export class UrlFileSource {
  constructor({ url, name }, prefix = '') {
    Object.assign(this, { kind: 'url-file', url, prefix, label: url, reloadable: true });
    this.path = normalizePath(join(prefix, name)) || 'file';
  }

  async list() {
    return [{ path: this.path, size: null, url: this.url }];
  }

  read(entry, offset, ctx) {
    return rangeChunks(entry.url, offset, { ...ctx, path: entry.path });
  }
}

/**
 * Published log folders: what a `?url=` names, and the folder's file list.
 *
 * A static web server cannot list a folder, so a published log folder carries
 * a small manifest, `tbview-manifest.json`, written by `scripts/tbview manifest
 * DIR` (wasm/cli/cmd_manifest.cc) or by `scripts/tbview export-site`, and served
 * live by `scripts/serve.mjs --logdir` at /logdir/tbview-manifest.json:
 *
 *   {"schema": "tbview-manifest-1",
 *    "files": [{"path": "run/a/events.out.tfevents.1.host", "size": 1234, "mtime": 1700000000000}],
 *    "runs": ["run/a"]}
 *
 *   schema  "tbview-manifest-1"; a document with another schema is refused (a
 *           later format must not be misread). A document without one is read
 *           too: that is serve.mjs's older listing /logdir/index.json,
 *           {"files": [{path, size}]}, so one code path reads both.
 *   files   every file of the folder: path relative to the manifest's folder,
 *           '/'-separated; size in bytes (optional: unknown sizes are probed with
 *           a Range request); mtime in ms since the epoch (optional,
 *           informative). Every file is listed, not only event files: the page
 *           detects event files by content.
 *   runs    optional and informative (runs come from the paths).
 *   Any other key (generator, created, ...) is ignored.
 *
 * The manifest itself is never a file of the folder, even when listed (index.json
 * of serve.mjs lists every file). Paths with '..' or that are empty are dropped and
 * counted, so a manifest cannot make the page fetch outside its folder through a
 * path (it can still name any file of the folder).
 *
 * Pure functions (no fetch, no DOM): the unit tests run them in Node.
 */
import { normalizePath, sortEntries } from './entries.js';

export const MANIFEST_NAME = 'tbview-manifest.json';
export const MANIFEST_SCHEMA = 'tbview-manifest-1';
/** serve.mjs --logdir's listing (schema-less; same `files` shape). */
export const LISTING_NAME = 'index.json';

/**
 * What a user-given URL names, resolved against `baseHref` (the page).
 *  - ends with '/': a folder; its listing is read from `${url}tbview-manifest.json`,
 *    then (when that is missing) `${url}index.json`;
 *  - last segment ends with '.json': that manifest (its folder is the base);
 *  - anything else: one file or archive, named by its last segment.
 * Only http(s) URLs (what the page may fetch). Throws an Error saying why not.
 * @returns {{kind: 'folder', base: string, listings: string[], name: string} |
 *           {kind: 'file', url: string, name: string}}
 */
export function classifyUrl(input, baseHref) {
  const text = String(input ?? '').trim();
  if (!text) throw new Error('no URL given');
  let u;
  try {
    u = new URL(text, baseHref);
  } catch {
    throw new Error(`not a URL: ${text}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new Error(
      `only http(s) URLs can be opened (${u.protocol} given); open local files with Open files / Open folder`,
    );
  }
  u.hash = '';
  const segs = u.pathname.split('/');
  const last = decodeSegment(segs[segs.length - 1]);
  if (last === '') {
    const base = u.href;
    return {
      kind: 'folder',
      base,
      name: folderName(base),
      listings: [new URL(MANIFEST_NAME, base).href, new URL(LISTING_NAME, base).href],
    };
  }
  if (/\.json$/i.test(last)) {
    const base = new URL('./', u).href;
    return { kind: 'folder', base, name: folderName(base), listings: [u.href] };
  }
  return { kind: 'file', url: u.href, name: last };
}

function decodeSegment(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The last path segment of a folder URL ("https://h/a/logs/" -> "logs"), or the host. */
export function folderName(base) {
  const u = new URL(base);
  const segs = u.pathname.split('/').filter(Boolean);
  return segs.length ? decodeSegment(segs[segs.length - 1]) : u.host;
}

/**
 * Reads a manifest (or a serve.mjs listing) fetched from `listingUrl`.
 * @returns {{schema: string|null, files: {path: string, url: string, size: number|null, mtime: number|null}[],
 *            runs: string[], dropped: number}}
 *   files sorted by path (code units), duplicates dropped; url = the file's URL
 *   (each path segment percent-encoded) relative to the manifest's folder.
 * Throws an Error with a plain message when the document is not a manifest.
 */
export function parseManifest(doc, listingUrl) {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new Error('not a tbview manifest: not a JSON object');
  const schema = doc.schema === undefined ? null : doc.schema;
  if (schema !== null && schema !== MANIFEST_SCHEMA) {
    throw new Error(
      `unsupported manifest schema ${JSON.stringify(schema)} (this page reads ${MANIFEST_SCHEMA})`,
    );
  }
  if (!Array.isArray(doc.files)) throw new Error('not a tbview manifest: no "files" list');
  const base = new URL('./', listingUrl).href;
  const files = [];
  let dropped = 0;
  for (const f of doc.files) {
    const path = f && typeof f.path === 'string' ? normalizePath(f.path) : null;
    if (!path) {
      dropped++;
      continue;
    }
    if (path === MANIFEST_NAME || path === `.${MANIFEST_NAME}.tmp`) continue;
    const url = new URL(path.split('/').map(encodeURIComponent).join('/'), base).href;
    files.push({
      path,
      url,
      size: sizeOf(f.size),
      mtime: Number.isFinite(f.mtime) ? f.mtime : null,
    });
  }
  const runs = Array.isArray(doc.runs) ? doc.runs.filter((r) => typeof r === 'string') : [];
  return { schema, files: sortEntries(files), runs, dropped };
}

function sizeOf(v) {
  return Number.isSafeInteger(v) && v >= 0 ? v : null;
}

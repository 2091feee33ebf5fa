/**
 * A plain web folder without a manifest, listed from the HTML index pages a
 * server makes for folders: nginx's autoindex, Apache's mod_autoindex (plain
 * or fancy tables) and Python's http.server. All three put each child in an
 * <a href="NAME"> (NAME/ for a folder), relative to the folder's URL, among
 * other links (sort links such as ?C=N;O=D, the parent folder, absolute
 * links). Fields relied on: only the hrefs; sizes are not read from the page
 * (each server writes them differently, rounded), so files are listed with an
 * unknown size and a reload asks each file for its bytes past what was read
 * (Range: a 416 answer means nothing new).
 *
 * Links kept (parseIndexPage): those that resolve to a URL strictly below the
 * folder's URL on the same origin, without a query; one level or more deeper.
 * Subfolders are followed breadth-first, at most MAX_DEPTH levels and
 * MAX_FOLDERS folders (said when reached), each URL once (a link loop ends).
 * Used by UrlFolderSource (url.js) when a folder has no manifest.
 */
import { MAX_ENTRIES } from './keep.js';
import { fetchListing } from './remote.js';

export const MAX_DEPTH = 8;
export const MAX_FOLDERS = 500;

/**
 * The children an index page links to: {files: URL[], folders: URL[]}, each
 * below `pageUrl` (a folder URL ending in '/'), in page order, no duplicates.
 */
export function parseIndexPage(html, pageUrl) {
  const base = new URL(pageUrl);
  const files = [];
  const folders = [];
  const seen = new Set();
  for (const m of String(html).matchAll(/<a\s[^>]*?href\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/gi)) {
    const raw = (m[2] ?? m[3] ?? m[4] ?? '').replace(/&amp;/g, '&');
    if (!raw || raw.startsWith('?') || raw.startsWith('#')) continue;
    let u;
    try {
      u = new URL(raw, base);
    } catch {
      continue;
    }
    if (u.origin !== base.origin || u.search) continue;
    u.hash = '';
    if (!u.pathname.startsWith(base.pathname) || u.pathname === base.pathname) continue;
    if (seen.has(u.href)) continue;
    seen.add(u.href);
    (u.pathname.endsWith('/') ? folders : files).push(u.href);
  }
  return { files, folders };
}

function decodePath(p) {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

/** True when a response looks like an HTML page (not a file). */
function isHtml(res) {
  return /text\/html/i.test(res.headers.get('content-type') || '');
}

/**
 * Every file below `base` (a folder URL ending in '/'), following its index
 * pages: [{path (relative, decoded), size: null, url}].
 */
export async function listWebFolder(base, { fetchFn, max = MAX_ENTRIES }) {
  const what = `the web folder ${base}`;
  const files = [];
  const notes = [];
  const queue = [{ url: base, depth: 0 }];
  const visited = new Set([base]);
  let entries = 0;
  let folders = 0;
  while (queue.length) {
    const { url, depth } = queue.shift();
    if (++folders > MAX_FOLDERS) {
      notes.push(`${what}: stopped after ${MAX_FOLDERS} folders; open a subfolder to see the rest`);
      break;
    }
    const res = await fetchListing(url, { fetchFn, what });
    if (!isHtml(res)) {
      res.body?.cancel().catch(() => {});
      throw new Error(`${what}: ${url} is not an HTML folder listing (no manifest either)`);
    }
    const page = parseIndexPage(await res.text(), url);
    for (const f of page.files) {
      if (++entries > max) return { files, notes, capped: true };
      const rel = decodePath(new URL(f).pathname.slice(new URL(base).pathname.length));
      files.push({ path: rel, size: null, url: f });
    }
    for (const d of page.folders) {
      if (visited.has(d)) continue;
      visited.add(d);
      if (depth + 1 > MAX_DEPTH) {
        notes.push(`${what}: folders deeper than ${MAX_DEPTH} levels are not followed (${d})`);
        continue;
      }
      queue.push({ url: d, depth: depth + 1 });
    }
  }
  return { files, notes };
}

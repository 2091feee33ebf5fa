/**
 * Hugging Face Hub repositories (models, datasets, Spaces) as a Source.
 *
 * Listing: the Hub's public tree API, one request per page,
 *   GET {hf}/api/{models|datasets|spaces}/{repo}/tree/{revision}/{path}?recursive=true
 * Fields relied on: the answer is a JSON array of entries
 *   {type: "file" | "directory", path: string (from the repository root), size: number}
 * (others such as oid, lfs, xetHash are ignored); the next page is named by the
 * `Link: <URL>; rel="next"` header (cursor paging), absent on the last page.
 * The revision is percent-encoded as one segment (refs/pr/1 -> refs%2Fpr%2F1).
 * Errors: 401 or 404 with an `X-Error-Message` / JSON {error} for a missing,
 * private or gated repository or a missing revision or path; 429 when rate limited.
 *
 * Reading: the resolve URL with Range,
 *   {hf}/[datasets/|spaces/]{repo}/resolve/{revision}/{path}
 * which redirects large (LFS/Xet) files to a CDN that answers Range and CORS.
 * Reloadable unless the revision is a commit SHA (a commit never changes).
 */
import { encodePath } from './links.js';
import { MAX_PAGES } from './keep.js';
import { fetchListing, ListedSource, readJson } from './remote.js';

const TYPE_PATH = { model: 'models', dataset: 'datasets', space: 'spaces' };
const TYPE_WORD = { model: 'model', dataset: 'dataset', space: 'Space' };

/** The `rel="next"` URL of a Link header, or null. */
export function nextLink(header) {
  for (const part of String(header || '').split(',')) {
    const m = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (m && /\brel="?next"?/i.test(m[2])) return m[1];
  }
  return null;
}

/** "Hugging Face model owner/name (revision main, folder runs)". */
export function hfLabel(link) {
  const rev = link.revision !== 'main' ? ` at ${link.revision}` : '';
  const sub = link.path ? `, folder ${link.path}` : '';
  return `Hugging Face ${TYPE_WORD[link.repoType]} ${link.repo}${rev}${sub}`;
}

/**
 * Every file below link.path: [{path (relative to link.path), size, url}].
 * @param {{repoType: string, repo: string, revision: string, path: string}} link
 * @param {{fetchFn: typeof fetch, max: number, hosts: {hf: string}}} o
 */
export async function listHf(link, { fetchFn, max, hosts }) {
  const what = hfLabel(link);
  const rev = encodeURIComponent(link.revision);
  const sub = link.path ? `/${encodePath(link.path)}` : '';
  let url = `${hosts.hf}/api/${TYPE_PATH[link.repoType]}/${encodePath(link.repo)}/tree/${rev}${sub}?recursive=true`;
  const typePath = link.repoType === 'model' ? '' : `${TYPE_PATH[link.repoType]}/`;
  const resolve = `${hosts.hf}/${typePath}${encodePath(link.repo)}/resolve/${rev}/`;
  const advice = {
    401: 'The repository does not exist, or it is private or gated (this page reads public repositories only, without a login)',
    404: 'Check the repository id, the revision and the folder',
    rate: 'Wait, then open the link again.',
  };
  const files = [];
  const seen = new Set();
  let entries = 0;
  for (let pages = 0; url; pages++) {
    if (pages >= MAX_PAGES) return { files, capped: true };
    if (seen.has(url)) throw new Error(`${what}: the listing's next page repeats ${url}`);
    seen.add(url);
    const res = await fetchListing(url, { fetchFn, what, advice });
    const page = await readJson(res, what, url);
    if (!Array.isArray(page))
      throw new Error(`${what}: the tree listing of ${url} is not a list (a changed API?)`);
    for (const e of page) {
      if (++entries > max) return { files, capped: true };
      if (!e || e.type !== 'file' || typeof e.path !== 'string') continue;
      const rel = link.path ? e.path.slice(link.path.length + 1) : e.path;
      if (link.path && !e.path.startsWith(`${link.path}/`)) continue;
      const size = Number.isSafeInteger(e.size) && e.size >= 0 ? e.size : null;
      files.push({ path: rel, size, url: resolve + encodePath(e.path) });
    }
    const next = nextLink(res.headers.get('link'));
    url = next ? new URL(next, url).href : null;
  }
  return { files };
}

/** A Hugging Face repository or a folder of one (a Source). */
export function hfSource(link, { hosts, fetchFn = undefined }, prefix = '') {
  return new ListedSource(
    {
      kind: 'hf',
      label: hfLabel(link),
      reloadable: !/^[0-9a-f]{40}$/.test(link.revision),
      fetchFn,
      lister: (o) => listHf(link, { ...o, hosts }),
    },
    prefix,
  );
}

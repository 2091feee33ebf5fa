/**
 * GitHub repositories, or a folder of one, as a Source.
 *
 * Listing: GitHub's trees API, one request for the whole tree,
 *   GET {githubApi}/repos/{owner}/{repo}/git/trees/{ref}?recursive=1
 * (ref: a branch, a tag, a commit SHA, or HEAD for the default branch).
 * A tree link cannot tell a branch named feature/x from a branch "feature"
 * and a folder "x": when the ref given is not found (404), the ref is
 * lengthened by one folder at a time (up to 3) and tried again (refCandidates).
 * Fields relied on: {tree: [{path, type: "blob" | "tree" | "commit", size}],
 * truncated: boolean}; `truncated` is true when the tree has more than
 * 100,000 entries or 7 MB (GitHub's documented limit): what was listed is
 * kept and the user is told. The folder of the link is filtered from it.
 * Rate limit (documented): without a login, 60 requests an hour per address;
 * when spent, 403 or 429 with `x-ratelimit-remaining: 0` and
 * `x-ratelimit-reset` (epoch seconds), exposed to pages by CORS. A listing is
 * therefore reused for 60 s: auto-reload every 10 s cannot spend the hour's
 * requests.
 *
 * Reading: raw URLs with Range,
 *   {githubRaw}/{owner}/{repo}/{ref}/{path}
 * A file kept with Git LFS is only a pointer there ("version
 * https://git-lfs.github.com/spec/v1", about 130 bytes): it is refused with
 * a message saying how to get the file (LfsPointerError).
 * Reloadable unless the ref is a commit SHA.
 */
import { encodePath } from './links.js';
import { fetchListing, ListedSource, RateLimitError, rateLimit, readJson } from './remote.js';

export const LFS_MAGIC = 'version https://git-lfs.github.com/spec/v1';
/** A listing younger than this is reused on reload (ms). */
export const GITHUB_RELIST_MS = 60_000;

export class LfsPointerError extends Error {
  constructor(path, what) {
    super(
      `${path} in ${what} is stored with Git LFS: GitHub's raw URL gives only a small pointer file, not ` +
        'the file. Download it from its page on GitHub (or clone with git lfs installed) and drop it here',
    );
    this.name = 'LfsPointerError';
  }
}

/** True when bytes (the start of a file) are a Git LFS pointer. */
export function isLfsPointer(bytes) {
  const head = new TextDecoder().decode(
    new Uint8Array(bytes, 0, Math.min(bytes.byteLength, LFS_MAGIC.length)),
  );
  return head === LFS_MAGIC;
}

export function githubLabel(link) {
  const ref = link.ref !== 'HEAD' ? ` at ${link.ref}` : '';
  return `GitHub ${link.owner}/${link.repo}${ref}${link.path ? `, folder ${link.path}` : ''}`;
}

const ADVICE = {
  404: 'Check the owner, the repository, the branch and the folder; private repositories cannot be opened (no login here)',
  409: 'The repository is empty',
  rate:
    'Without a login GitHub allows 60 API requests an hour. Wait until then, or clone the repository and ' +
    'drop its folder here.',
};

/** The (ref, path) readings of a tree link: as given, then with 1..3 more segments in the ref. */
export function refCandidates(link) {
  const out = [link];
  const segs = link.path ? link.path.split('/') : [];
  if (link.ref === 'HEAD' || /^[0-9a-f]{40}$/.test(link.ref)) return out;
  for (let k = 1; k <= Math.min(3, segs.length); k++) {
    out.push({
      ...link,
      ref: [link.ref, ...segs.slice(0, k)].join('/'),
      path: segs.slice(k).join('/'),
    });
  }
  return out;
}

/**
 * Every file below link.path: [{path (relative to link.path), size, url}],
 * and `link`: the reading of the ref and path that was found (refCandidates).
 * @param {{owner: string, repo: string, ref: string, path: string}} link
 * @param {{fetchFn: typeof fetch, max: number, hosts: {githubApi: string, githubRaw: string}}} o
 */
export async function listGithub(link, o) {
  let first = null;
  for (const t of refCandidates(link)) {
    try {
      return { ...(await listTree(t, o)), link: t };
    } catch (e) {
      if (e.status !== 404) throw e;
      first = first || e;
    }
  }
  throw first;
}

/** One reading of the link: the tree at link.ref, filtered to link.path. */
async function listTree(link, { fetchFn, max, hosts }) {
  const what = githubLabel(link);
  const repo = `${encodeURIComponent(link.owner)}/${encodeURIComponent(link.repo)}`;
  const url = `${hosts.githubApi}/repos/${repo}/git/trees/${encodeURIComponent(link.ref)}?recursive=1`;
  const res = await fetchListing(url, {
    fetchFn,
    what,
    advice: ADVICE,
    headers: { Accept: 'application/vnd.github+json' },
  });
  const doc = await readJson(res, what, url);
  if (!doc || !Array.isArray(doc.tree))
    throw new Error(`${what}: the answer of ${url} has no "tree" list (a changed API?)`);
  const raw = `${hosts.githubRaw}/${repo}/${encodePath(link.ref)}/`;
  const files = [];
  let entries = 0;
  const inside = link.path ? `${link.path}/` : '';
  let found = !link.path;
  for (const e of doc.tree) {
    if (++entries > max) return { files, capped: true };
    if (!e || typeof e.path !== 'string') continue;
    if (link.path && (e.path === link.path || e.path.startsWith(inside))) found = true;
    if (e.type !== 'blob' || !e.path.startsWith(inside)) continue;
    const size = Number.isSafeInteger(e.size) && e.size >= 0 ? e.size : null;
    files.push({ path: e.path.slice(inside.length), size, url: raw + encodePath(e.path) });
  }
  const notes = [];
  if (doc.truncated) {
    notes.push(
      `${what}: GitHub cut the listing short (over 100,000 entries or 7 MB); files past that are not ` +
        'shown. Open a smaller repository, or clone it and drop the folder here',
    );
  }
  if (!found && !doc.truncated) {
    throw Object.assign(new Error(`${what}: no folder ${link.path} in the repository`), {
      status: 404,
    });
  }
  return { files, notes };
}

/** A GitHub repository or a folder of one (a Source). */
export function githubSource(link, { hosts, fetchFn = undefined }, prefix = '') {
  const what = githubLabel(link);
  let last = null; // {at, listing}: the last listing, reused within GITHUB_RELIST_MS
  let found = link; // the reading of ref and path found first, kept for reloads
  const lister = async (o) => {
    if (last && Date.now() - last.at < GITHUB_RELIST_MS) return last.listing;
    const listing = await listGithub(found, { ...o, hosts });
    found = listing.link;
    last = { at: Date.now(), listing };
    return listing;
  };
  return new ListedSource(
    {
      kind: 'github',
      label: what,
      reloadable: !/^[0-9a-f]{40}$/.test(link.ref),
      fetchFn,
      lister,
      checkChunk: (entry, offset, chunk) => {
        if (offset === 0 && chunk.byteLength < 1024 && isLfsPointer(chunk))
          throw new LfsPointerError(entry.path, what);
      },
      readError: (entry, e) => {
        if (e.headers && (e.status === 403 || e.status === 429)) {
          const limited = rateLimit({ status: e.status, headers: e.headers });
          if (limited)
            return new RateLimitError(`${entry.path} in ${what}`, limited.reset, ADVICE.rate);
        }
        return null;
      },
    },
    prefix,
  );
}

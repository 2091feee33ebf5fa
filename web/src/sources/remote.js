/**
 * What the listed remote sources share (Hugging Face, GitHub, GCS, S3, plain
 * web folders): fetching a listing page with errors that name the source and
 * say what to do, rate limits read from the documented headers, and
 * ListedSource, the one `Source` (source.js) they all are: a provider gives
 * a `lister` (every file of the folder: path relative to it, size, URL) and
 * ListedSource keeps the files worth reading (keep.js), caps the listing,
 * adds the prefix and reads each file from its URL with Range (url.js).
 *
 * Listers are plain async functions of ({fetchFn, hosts, max}) so that the
 * unit tests run them against canned responses (web/test/listings.test.js).
 */
import { normalizePath, sortEntries } from './entries.js';
import { keepFiles, MAX_ENTRIES } from './keep.js';
import { fetchErrorMessage, rangeChunks } from './url.js';

/**
 * A listing or a read stopped by the provider's rate limit: HTTP 429, or 403
 * with `x-ratelimit-remaining: 0` (GitHub, documented) . `reset`: when it
 * lifts (x-ratelimit-reset, epoch seconds; or retry-after, seconds), or null.
 * @param {Response} res
 * @returns {{reset: Date|null}|null}
 */
export function rateLimit(res) {
  const remaining = res.headers.get('x-ratelimit-remaining');
  if (res.status !== 429 && !(res.status === 403 && remaining === '0')) return null;
  const reset = Number(res.headers.get('x-ratelimit-reset'));
  const retry = Number(res.headers.get('retry-after'));
  let at = null;
  if (Number.isFinite(reset) && reset > 0) at = new Date(reset * 1000);
  else if (Number.isFinite(retry) && retry > 0) at = new Date(Date.now() + retry * 1000);
  return { reset: at };
}

/** "HH:MM" of a Date, or "in a while". */
function when(d) {
  return d
    ? `at ${d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}`
    : 'in a while';
}

export class RateLimitError extends Error {
  constructor(what, reset, advice) {
    super(`${what}: the provider's rate limit was reached; it lifts ${when(reset)}. ${advice}`);
    this.name = 'RateLimitError';
    this.reset = reset;
  }
}

/**
 * Fetches one listing page. Returns the Response when ok; otherwise throws an
 * Error naming `what` (the source), the URL and the status, with `advice`
 * (what to do) for 401/403/404 and rate limits.
 * @param {string} url
 * @param {{fetchFn?: typeof fetch, what: string, advice?: Record<string, string>, headers?: Record<string, string>}} o
 */
export async function fetchListing(url, { fetchFn = fetch, what, advice = {}, headers = {} }) {
  let res;
  try {
    res = await fetchFn(url, { cache: 'no-store', headers });
  } catch (e) {
    throw new Error(`${what}: ${fetchErrorMessage(url, e)}`, { cause: e });
  }
  if (res.ok) return res;
  const limited = rateLimit(res);
  const detail = await errorDetail(res);
  if (limited) throw new RateLimitError(what, limited.reset, advice.rate || 'Wait, then reload.');
  const tip = advice[res.status] || advice.other || '';
  const e = new Error(
    `${what}: HTTP ${res.status}${detail ? ` (${detail})` : ''} for ${url}${tip ? `. ${tip}` : ''}`,
  );
  throw Object.assign(e, { status: res.status });
}

/** The provider's own message from an error body (JSON message/error, S3 XML), short. */
async function errorDetail(res) {
  let text;
  try {
    text = (await res.text()).slice(0, 2000);
  } catch {
    return '';
  }
  try {
    const j = JSON.parse(text);
    const m =
      (j && (j.error?.message || j.message || (typeof j.error === 'string' && j.error))) || '';
    return String(m).slice(0, 200);
  } catch {
    /* not JSON */
  }
  const x = /<Message>([^<]{0,200})<\/Message>/.exec(text);
  return x ? x[1] : '';
}

/** Reads a JSON body, or throws an Error naming the URL. */
export async function readJson(res, what, url) {
  try {
    return await res.json();
  } catch {
    throw new Error(`${what}: the answer of ${url} is not JSON (a proxy or a changed API?)`);
  }
}

/** What to do after a failed read of a listed file, by HTTP status. */
const READ_ADVICE = {
  401: 'the provider wants a login for it: this page reads public files only',
  403: 'the provider refuses it to this page (not public, or no CORS policy)',
  404: 'it is gone since the listing: Reload to list the folder again',
  429: 'the provider is limiting requests: wait, then Reload',
};

/** A read error with the source named and what to do, when its status says. */
function withAdvice(e, label) {
  const tip =
    e && e.status
      ? READ_ADVICE[e.status] || (e.status >= 500 ? 'the server failed: Reload to try again' : '')
      : '';
  if (!tip) return e;
  return Object.assign(new Error(`${e.message} (from ${label}): ${tip}`, { cause: e }), {
    status: e.status,
  });
}

/**
 * @typedef {object} Listed  a file of a listed folder
 * @property {string} path   relative to the opened folder
 * @property {number|null} size
 * @property {string} url    where its bytes are read (Range)
 */

/**
 * @typedef {object} Listing
 * @property {Listed[]} files
 * @property {boolean} [capped]  the listing stopped at `max` entries
 * @property {string[]} [notes]  what else the user should know (truncated, skipped)
 */

/**
 * A listed remote folder (a Source). `lister({fetchFn, max})` lists it;
 * `checkChunk(entry, offset, first chunk)` may throw for a file that is not
 * what it seems (a Git LFS pointer); `readError(entry, error)` may rewrite a
 * read's error to say what to do. After each list(), `notes` holds what the
 * user should know (capped, files skipped): an optional member of the
 * contract (source.js) that the shell shows.
 */
export class ListedSource {
  /**
   * @param {{kind: string, label: string, lister: (o: {fetchFn: typeof fetch, max: number}) => Promise<Listing>,
   *          reloadable?: boolean, checkChunk?: Function, readError?: Function, fetchFn?: typeof fetch,
   *          max?: number}} o
   * @param {string} prefix
   */
  constructor(o, prefix = '') {
    this.kind = o.kind;
    this.label = o.label;
    this.reloadable = o.reloadable !== false;
    this.prefix = prefix;
    this.lister = o.lister;
    this.checkChunk = o.checkChunk || null;
    this.readError = o.readError || null;
    this.fetchFn = o.fetchFn || ((...a) => fetch(...a));
    this.max = o.max || MAX_ENTRIES;
    /** @type {string[]} */
    this.notes = [];
  }

  async list() {
    const listing = await this.lister({ fetchFn: this.fetchFn, max: this.max });
    const notes = [...(listing.notes || [])];
    if (listing.capped) {
      notes.push(
        `${this.label}: the listing was stopped at ${this.max.toLocaleString('en-US')} entries; ` +
          'open a subfolder to see the rest',
      );
    }
    const { kept } = keepFiles(listing.files);
    const out = [];
    for (const f of kept) {
      const path = normalizePath(this.prefix ? `${this.prefix}/${f.path}` : f.path);
      if (path) out.push({ path, size: f.size, url: f.url });
    }
    if (!out.length && !listing.capped) {
      notes.push(
        `${this.label}: no event files (names with "tfevents"), archives, projector or profile files ` +
          `among its ${listing.files.length.toLocaleString('en-US')} files`,
      );
    }
    this.notes = notes;
    return sortEntries(out);
  }

  async *read(entry, offset, ctx) {
    let first = true;
    try {
      for await (const c of rangeChunks(entry.url, offset, {
        ...ctx,
        path: entry.path,
        fetchFn: this.fetchFn,
      })) {
        if (first && this.checkChunk) this.checkChunk(entry, offset, c.chunk);
        first = false;
        yield c;
      }
    } catch (e) {
      if (e && e.name === 'AbortError') throw e;
      throw (this.readError && this.readError(entry, e)) || withAdvice(e, this.label);
    }
  }
}

/**
 * What a pasted link names, for the hosted providers: one parser for every
 * link form (the README lists them), pure (no fetch, no DOM), unit-tested in
 * web/test/links.test.js.
 *
 * parseLink(text, hosts = REAL_HOSTS) returns one of (file URLs are made
 * against `hosts`: hosts.js)
 *   {provider: 'hf', repoType: 'model'|'dataset'|'space', repo, revision, path, name}
 *       hf://[datasets/|spaces/]REPO[@REV][/PATH], a bare repo id
 *       (OWNER/NAME, datasets/OWNER/NAME, spaces/OWNER/NAME), or
 *       https://huggingface.co/[datasets/|spaces/]REPO[/tree/REV[/PATH]]
 *       (hf.co too). REV may be percent-encoded (refs%2Fpr%2F1) or written
 *       refs/pr/N, refs/convert/X. revision defaults to "main".
 *   {provider: 'github', owner, repo, ref, path, name}
 *       https://github.com/OWNER/REPO[/tree/REF[/PATH]] (with or without the
 *       scheme). REF is parsed as one path segment (github.js tries longer
 *       refs when that one is not found: a branch with '/' in its name); ref
 *       "HEAD" (the default branch) when absent.
 *   {provider: 'gcs', bucket, prefix, name}
 *       gs://BUCKET[/PREFIX], https://storage.googleapis.com/BUCKET[/PREFIX],
 *       https://storage.cloud.google.com/BUCKET[/PREFIX],
 *       https://BUCKET.storage.googleapis.com[/PREFIX],
 *       https://console.cloud.google.com/storage/browser/BUCKET[/PREFIX]
 *   {provider: 's3', bucket, prefix, endpoint, name}
 *       s3://BUCKET[/PREFIX], https://BUCKET.s3[.-]REGION.amazonaws.com[/PREFIX],
 *       https://BUCKET.s3.amazonaws.com[/PREFIX],
 *       https://s3[.-]REGION.amazonaws.com/BUCKET[/PREFIX] (path style).
 *       endpoint: the bucket's URL ending in '/', or null for s3:// (the
 *       source picks one: hosts.js).
 *   {provider: 'file', url, name}
 *       one file of a provider: a blob/resolve link of Hugging Face or GitHub
 *       (read from its resolve or raw URL), or a bucket object whose name is an
 *       event file or an archive.
 *   null: not a provider link; the caller reads it as a plain URL
 *       (manifest.js classifyUrl: a file, a manifest, or a folder/).
 * A bucket prefix is a folder: it ends in '/' (added when missing), or is ''
 * for the whole bucket. `path` (HF, GitHub) has no leading or trailing '/'.
 * `name` names the opened folder (the prefix of its runs when it is not the
 * first thing opened). Throws an Error saying why for a provider link that is
 * malformed (github.com/OWNER alone, an empty bucket name, ...).
 */
import { REAL_HOSTS } from './hosts.js';
import { isLogName } from './keep.js';

const HF_HOSTS = new Set(['huggingface.co', 'www.huggingface.co', 'hf.co']);
const GH_HOSTS = new Set(['github.com', 'www.github.com']);
const SEG = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function decode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Path segments of a URL path or a "a/b/c" string, decoded, empty ones dropped. */
function segments(p) {
  return String(p).split('/').filter(Boolean).map(decode);
}

const lastOf = (segs, fallback) => (segs.length ? segs[segs.length - 1] : fallback);

/** Each segment of a relative path percent-encoded (for a URL path). */
export function encodePath(p) {
  return String(p).split('/').map(encodeURIComponent).join('/');
}

export function parseLink(input, hosts = REAL_HOSTS) {
  const text = String(input ?? '').trim();
  if (!text) return null;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  if (scheme) {
    const s = scheme[1].toLowerCase();
    const rest = text.slice(scheme[0].length);
    if (s === 'hf')
      return hfFromParts(segments(rest.replace(/[?#].*$/, '')), 'hf://', false, hosts);
    if (s === 'gs') return bucketLink('gcs', rest, null, undefined, hosts);
    if (s === 's3') return bucketLink('s3', rest, null, undefined, hosts);
    if (s !== 'http' && s !== 'https') return null;
    return fromHttpUrl(new URL(text), hosts);
  }
  // No scheme: a bare host form (github.com/..., huggingface.co/...), a bare
  // Hugging Face repo id, or a relative URL (left to classifyUrl).
  const host = /^([a-z0-9.-]+\.[a-z]{2,})(\/|$)/i.exec(text);
  if (host && (HF_HOSTS.has(host[1].toLowerCase()) || GH_HOSTS.has(host[1].toLowerCase()))) {
    return fromHttpUrl(new URL(`https://${text}`), hosts);
  }
  return bareRepoId(text, hosts);
}

/**
 * OWNER/NAME, datasets/OWNER/NAME or spaces/OWNER/NAME, each segment a Hub
 * name, and NAME not a file name (no "tfevents", no archive or .json ending):
 * a relative URL such as run/events.out.tfevents.1 or logs/ stays a URL.
 */
function bareRepoId(text, hosts) {
  const segs = text.split('/');
  const typed = segs.length === 3 && (segs[0] === 'datasets' || segs[0] === 'spaces');
  if (segs.length !== 2 && !typed) return null;
  const [owner, name] = typed ? segs.slice(1) : segs;
  if (!SEG.test(owner) || !SEG.test(name)) return null;
  if (isLogName(name) || /\.(json|html?|txt|tsv|pbtxt)$/i.test(name)) return null;
  return hfFromParts(segs, 'repo id', false, hosts);
}

function fromHttpUrl(u, hosts) {
  const host = u.hostname.toLowerCase();
  const segs = segments(u.pathname);
  const folderish = u.pathname.endsWith('/');
  if (HF_HOSTS.has(host)) return hfFromParts(segs, u.href, true, hosts);
  if (GH_HOSTS.has(host)) return githubFromParts(segs, u.href, hosts);
  if (host === 'storage.googleapis.com' || host === 'storage.cloud.google.com') {
    return bucketLink('gcs', u.pathname.slice(1), null, folderish, hosts);
  }
  if (host === 'console.cloud.google.com' && segs[0] === 'storage' && segs[1] === 'browser') {
    return bucketLink('gcs', segs.slice(2).join('/'), null, true, hosts);
  }
  const gcsVirtual = /^(.+)\.storage\.googleapis\.com$/.exec(host);
  if (gcsVirtual) return bucketLink('gcs', `${gcsVirtual[1]}${u.pathname}`, null, folderish, hosts);
  if (/^s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com$/.test(host)) {
    if (!segs.length) throw new Error(`no bucket named in ${u.href}`);
    const endpoint = `${u.protocol}//${u.host}/${encodeURIComponent(segs[0])}/`;
    return bucketLink('s3', u.pathname.slice(1), endpoint, folderish, hosts);
  }
  const s3Virtual = /^(.+)\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com$/.exec(host);
  if (s3Virtual) {
    const endpoint = `${u.protocol}//${u.host}/`;
    return bucketLink('s3', `${s3Virtual[1]}${u.pathname}`, endpoint, folderish, hosts);
  }
  return null;
}

/** Hugging Face: segs = [datasets|spaces]? OWNER NAME [tree|blob|resolve REV PATH...]. */
function hfFromParts(segsIn, given, isUrl, hosts) {
  let segs = [...segsIn];
  let repoType = 'model';
  if (segs[0] === 'datasets' || segs[0] === 'spaces') {
    repoType = segs[0] === 'datasets' ? 'dataset' : 'space';
    segs = segs.slice(1);
  }
  // OWNER/NAME, or NAME alone (models such as "gpt2"): NAME is followed by
  // tree/blob/resolve or nothing.
  const oneSeg = segs.length === 1 || ['tree', 'blob', 'resolve'].includes(segs[1]);
  const repoSegs = oneSeg ? segs.slice(0, 1) : segs.slice(0, 2);
  let rest = segs.slice(repoSegs.length);
  let revision = 'main';
  if (!isUrl && repoSegs.length) {
    // hf://OWNER/NAME@REV/PATH
    const last = repoSegs[repoSegs.length - 1];
    const at = last.indexOf('@');
    if (at > 0) {
      repoSegs[repoSegs.length - 1] = last.slice(0, at);
      revision = decode(last.slice(at + 1)) || 'main';
    }
  }
  if (!repoSegs.length || !repoSegs.every((s) => SEG.test(s))) {
    throw new Error(`not a Hugging Face repository: ${given} (expected OWNER/NAME)`);
  }
  const repo = repoSegs.join('/');
  let mode = 'tree';
  if (rest.length && ['tree', 'blob', 'resolve'].includes(rest[0])) {
    mode = rest[0];
    if (rest.length < 2) throw new Error(`no revision after /${mode}/ in ${given}`);
    if (rest[1] === 'refs' && rest.length >= 4 && ['pr', 'convert'].includes(rest[2])) {
      revision = rest.slice(1, 4).join('/');
      rest = rest.slice(4);
    } else {
      revision = rest[1];
      rest = rest.slice(2);
    }
  }
  const path = rest.join('/');
  if (mode !== 'tree') {
    if (!path) throw new Error(`no file named in ${given}`);
    const typePath = repoType === 'model' ? '' : `${repoType}s/`;
    const url = `${hosts.hf}/${typePath}${encodePath(repo)}/resolve/${encodeURIComponent(revision)}/${encodePath(path)}`;
    return {
      provider: 'file',
      url,
      name: lastOf(rest, 'file'),
      hf: { repoType, repo, revision, path },
    };
  }
  return {
    provider: 'hf',
    repoType,
    repo,
    revision,
    path,
    name: lastOf(rest, lastOf(repoSegs, repo)),
  };
}

/** GitHub: segs = OWNER REPO [tree|blob REF PATH...]. */
function githubFromParts(segs, given, hosts) {
  if (segs.length < 2)
    throw new Error(`not a GitHub repository: ${given} (expected github.com/OWNER/REPO)`);
  const owner = segs[0];
  const repo = segs[1].replace(/\.git$/, '');
  if (!SEG.test(owner) || !SEG.test(repo)) throw new Error(`not a GitHub repository: ${given}`);
  let rest = segs.slice(2);
  let ref = 'HEAD';
  let mode = 'tree';
  if (rest.length) {
    if (rest[0] !== 'tree' && rest[0] !== 'blob') {
      throw new Error(
        `${given} is not a folder of a GitHub repository (expected github.com/OWNER/REPO/tree/REF/PATH)`,
      );
    }
    mode = rest[0];
    if (rest.length < 2) throw new Error(`no branch or commit after /${mode}/ in ${given}`);
    ref = rest[1];
    rest = rest.slice(2);
  }
  const path = rest.join('/');
  if (mode === 'blob') {
    if (!path) throw new Error(`no file named in ${given}`);
    const url = `${hosts.githubRaw}/${owner}/${repo}/${encodeURIComponent(ref)}/${encodePath(path)}`;
    return {
      provider: 'file',
      url,
      name: lastOf(rest, 'file'),
      github: { owner, repo, ref, path },
    };
  }
  return { provider: 'github', owner, repo, ref, path, name: lastOf(rest, repo) };
}

/**
 * A bucket link: `rest` = "BUCKET/PREFIX..." (not decoded for s3/gs schemes,
 * where the key is written as is; decoded for https forms). `folderish`: the
 * link ended in '/' (https forms); gs:// and s3:// links are folders unless
 * their last segment is a log file name.
 */
function bucketLink(provider, rest, endpoint, folderish, hosts) {
  const clean = String(rest).replace(/[?#].*$/, '');
  const slash = clean.indexOf('/');
  const bucket = decode(slash < 0 ? clean : clean.slice(0, slash));
  let key = slash < 0 ? '' : clean.slice(slash + 1);
  if (folderish !== undefined) key = segments(key).join('/') + (key && folderish ? '/' : '');
  const what = provider === 'gcs' ? 'Google Cloud Storage' : 'S3';
  if (!bucket || !/^[a-z0-9][a-z0-9._-]*$/i.test(bucket)) {
    throw new Error(`no ${what} bucket named in ${provider === 'gcs' ? 'gs' : 's3'}://${clean}`);
  }
  const segs = segments(key);
  const last = lastOf(segs, '');
  if (key && !key.endsWith('/') && isLogName(last)) {
    const url = objectUrl(provider, bucket, key, endpoint, hosts);
    return { provider: 'file', url, name: last };
  }
  const prefix = segs.length ? `${segs.join('/')}/` : '';
  return { provider, bucket, prefix, endpoint, name: lastOf(segs, bucket) };
}

/** The public URL of a bucket object (real hosts; sources re-derive it with the test hosts). */
export function objectUrl(provider, bucket, key, endpoint = null, hosts = REAL_HOSTS) {
  if (provider === 'gcs') return `${hosts.gcs}/${encodeURIComponent(bucket)}/${encodePath(key)}`;
  return `${s3Endpoint(bucket, endpoint, hosts)}${encodePath(key)}`;
}

/**
 * The bucket's URL (ending in '/'): the given endpoint, else the test host
 * path-style, else https://BUCKET.s3.amazonaws.com/ (path-style for a bucket
 * name with dots, which the virtual-hosted certificate does not cover).
 */
export function s3Endpoint(bucket, endpoint, hosts = REAL_HOSTS) {
  if (hosts.s3) return `${hosts.s3}/${encodeURIComponent(bucket)}/`;
  if (endpoint) return endpoint;
  return bucket.includes('.')
    ? `https://s3.amazonaws.com/${encodeURIComponent(bucket)}/`
    : `https://${bucket}.s3.amazonaws.com/`;
}

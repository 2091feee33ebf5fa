/**
 * Public cloud buckets as Sources: a Google Cloud Storage or Amazon S3 prefix.
 * Both list with paging; both serve objects with Range (and CORS when the
 * bucket's owner allows it: a bucket without a CORS policy cannot be read by
 * any web page, which the error says).
 *
 * GCS, the JSON API:
 *   GET {gcs}/storage/v1/b/{bucket}/o?prefix={prefix}&pageToken={token}
 * Fields relied on: {items: [{name, size (a decimal string)}], nextPageToken}
 * (no nextPageToken on the last page; no items when empty); errors are JSON
 * {error: {code, message}}. Objects are read from {gcs}/{bucket}/{name}.
 *
 * S3, ListObjectsV2 (XML):
 *   GET {endpoint}?list-type=2&prefix={prefix}&continuation-token={token}
 * Fields relied on: <ListBucketResult> with <Contents><Key/><Size/></Contents>
 * per object, <IsTruncated>true|false</IsTruncated> and, when true,
 * <NextContinuationToken>; errors are <Error><Code/><Message/></Error>
 * (AccessDenied, NoSuchBucket, PermanentRedirect for another region's
 * endpoint). Objects are read from {endpoint}{key}. The XML is read by
 * parseS3Listing (a small reader for this flat document: no DOMParser, so it
 * runs in the unit tests), which refuses a truncated or foreign document.
 */
import { MAX_PAGES } from './keep.js';
import { encodePath, objectUrl, s3Endpoint } from './links.js';
import { fetchListing, ListedSource, readJson } from './remote.js';

const CORS_TIP =
  'The bucket must be public and allow reading from web pages (a CORS policy); ' +
  'otherwise download it (gsutil / aws s3 cp) and drop the folder here';

export function bucketLabel(link) {
  const scheme = link.provider === 'gcs' ? 'gs' : 's3';
  return `${scheme}://${link.bucket}/${link.prefix}`;
}

/**
 * Every object below link.prefix: [{path (relative to the prefix), size, url}].
 * @param {{bucket: string, prefix: string}} link
 * @param {{fetchFn: typeof fetch, max: number, hosts: {gcs: string}}} o
 */
export async function listGcs(link, { fetchFn, max, hosts }) {
  const what = `Google Cloud Storage ${bucketLabel({ ...link, provider: 'gcs' })}`;
  const base = `${hosts.gcs}/storage/v1/b/${encodeURIComponent(link.bucket)}/o?prefix=${encodeURIComponent(link.prefix)}`;
  const advice = { 401: CORS_TIP, 403: CORS_TIP, 404: 'Check the bucket name', other: CORS_TIP };
  const files = [];
  const tokens = new Set();
  let token = null;
  let entries = 0;
  for (let pages = 0; ; pages++) {
    if (pages >= MAX_PAGES) return { files, capped: true };
    const url = token ? `${base}&pageToken=${encodeURIComponent(token)}` : base;
    const res = await fetchListing(url, { fetchFn, what, advice });
    const doc = await readJson(res, what, url);
    if (!doc || typeof doc !== 'object' || (doc.items !== undefined && !Array.isArray(doc.items))) {
      throw new Error(`${what}: the answer of ${url} is not an object list (a changed API?)`);
    }
    for (const o of doc.items || []) {
      if (++entries > max) return { files, capped: true };
      if (!o || typeof o.name !== 'string' || o.name.endsWith('/')) continue;
      const size = /^\d+$/.test(String(o.size)) ? Number(o.size) : null;
      files.push({
        path: o.name.slice(link.prefix.length),
        size,
        url: objectUrl('gcs', link.bucket, o.name, null, hosts),
      });
    }
    token = typeof doc.nextPageToken === 'string' && doc.nextPageToken ? doc.nextPageToken : null;
    if (!token) return { files };
    if (tokens.has(token)) throw new Error(`${what}: the listing's page token repeats (${token})`);
    tokens.add(token);
  }
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML character data with its entities decoded. */
export function xmlText(s) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e) => {
    if (e[0] === '#') {
      const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1));
      return Number.isFinite(n) && n <= 0x10ffff ? String.fromCodePoint(n) : m;
    }
    return ENTITIES[e] ?? m;
  });
}

const tag = (xml, name) => {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  return m ? xmlText(m[1]) : null;
};

/**
 * One ListObjectsV2 page: {objects: [{key, size}], truncated, token}. Throws
 * for an <Error> document (its code and message), a document that is not a
 * ListBucketResult, or one cut short (no closing tag).
 */
export function parseS3Listing(xml) {
  const text = String(xml);
  if (/<Error>/.test(text)) {
    throw new Error(
      `S3 error ${tag(text, 'Code') || '(no code)'}: ${tag(text, 'Message') || ''}`.trim(),
    );
  }
  if (!/<ListBucketResult[\s>]/.test(text))
    throw new Error('not an S3 listing (no ListBucketResult)');
  if (!/<\/ListBucketResult>\s*$/.test(text))
    throw new Error('the S3 listing is cut short (no closing tag)');
  const objects = [];
  for (const m of text.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
    const key = tag(m[1], 'Key');
    const size = tag(m[1], 'Size');
    if (key === null) continue;
    objects.push({ key, size: size !== null && /^\d+$/.test(size) ? Number(size) : null });
  }
  const truncated = tag(text, 'IsTruncated') === 'true';
  const token = tag(text, 'NextContinuationToken');
  return { objects, truncated, token };
}

/**
 * Every object below link.prefix: [{path (relative to the prefix), size, url}].
 * @param {{bucket: string, prefix: string, endpoint: string|null}} link
 * @param {{fetchFn: typeof fetch, max: number, hosts: {s3: string|null}}} o
 */
export async function listS3(link, { fetchFn, max, hosts }) {
  const what = `S3 ${bucketLabel({ ...link, provider: 's3' })}`;
  const endpoint = s3Endpoint(link.bucket, link.endpoint, hosts);
  const base = `${endpoint}?list-type=2&prefix=${encodeURIComponent(link.prefix)}`;
  const advice = {
    301: 'The bucket is in another region: give its regional URL (https://BUCKET.s3.REGION.amazonaws.com/PREFIX)',
    403: CORS_TIP,
    404: 'Check the bucket name',
    other: CORS_TIP,
  };
  const files = [];
  const tokens = new Set();
  let token = null;
  let entries = 0;
  for (let pages = 0; ; pages++) {
    if (pages >= MAX_PAGES) return { files, capped: true };
    const url = token ? `${base}&continuation-token=${encodeURIComponent(token)}` : base;
    const res = await fetchListing(url, { fetchFn, what, advice });
    let page;
    try {
      page = parseS3Listing(await res.text());
    } catch (e) {
      throw new Error(`${what}: ${e.message} (${url})`, { cause: e });
    }
    for (const o of page.objects) {
      if (++entries > max) return { files, capped: true };
      if (o.key.endsWith('/') || !o.key.startsWith(link.prefix)) continue;
      files.push({
        path: o.key.slice(link.prefix.length),
        size: o.size,
        url: endpoint + encodePath(o.key),
      });
    }
    if (!page.truncated) return { files };
    if (!page.token)
      throw new Error(`${what}: the listing says it is truncated but gives no continuation token`);
    if (tokens.has(page.token))
      throw new Error(`${what}: the listing's continuation token repeats`);
    tokens.add(page.token);
    token = page.token;
  }
}

/** A GCS or S3 prefix (a Source); always reloadable (sizes from each listing). */
export function bucketSource(link, { hosts, fetchFn = undefined }, prefix = '') {
  const list = link.provider === 'gcs' ? listGcs : listS3;
  return new ListedSource(
    {
      kind: link.provider,
      label: bucketLabel(link),
      fetchFn,
      lister: (o) => list(link, { ...o, hosts }),
    },
    prefix,
  );
}

// Listing each provider against canned answers shaped as the providers
// document them: paging, errors, rate limits, LFS pointers, malformed and
// truncated documents (sources/hf.js, github.js, buckets.js, webdir.js,
// remote.js). No network: fetchFn answers from a table.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { listGcs, listS3, parseS3Listing } from '../src/sources/buckets.js';
import { githubSource, isLfsPointer, listGithub } from '../src/sources/github.js';
import { hfSource, listHf, nextLink } from '../src/sources/hf.js';
import { REAL_HOSTS } from '../src/sources/hosts.js';
import { listWebFolder, parseIndexPage } from '../src/sources/webdir.js';

/** A fetch that answers from `routes` (url -> Response | () => Response) and records requests. */
function fakeFetch(routes) {
  const seen = [];
  const fn = async (url, init = {}) => {
    seen.push({ url, range: init.headers?.Range ?? null });
    const r = routes[url];
    if (!r) return new Response('not found', { status: 404 });
    return typeof r === 'function' ? r(init) : r.clone();
  };
  return Object.assign(fn, { seen });
}

const json = (body, headers = {}) =>
  new Response(JSON.stringify(body), {
    headers: { 'content-type': 'application/json', ...headers },
  });
const H = {
  ...REAL_HOSTS,
  hf: 'https://hf.test',
  githubApi: 'https://api.test',
  githubRaw: 'https://raw.test',
  gcs: 'https://gcs.test',
  s3: 'https://s3.test',
};
const o = (fetchFn, max = 100_000) => ({ fetchFn, max, hosts: H });

test('nextLink reads the rel="next" URL of a Link header', () => {
  assert.equal(nextLink('<https://h/api?cursor=x>; rel="next"'), 'https://h/api?cursor=x');
  assert.equal(nextLink('<https://h/p1>; rel="prev", <https://h/p3>; rel="next"'), 'https://h/p3');
  assert.equal(nextLink('<https://h/p1>; rel="prev"'), null);
  assert.equal(nextLink(null), null);
});

test('Hugging Face: pages followed through Link, files below the folder kept, resolve URLs', async () => {
  const p1 = 'https://hf.test/api/datasets/org/d/tree/main/tb?recursive=true';
  const p2 = 'https://hf.test/api/datasets/org/d/tree/main/tb?recursive=true&cursor=abc';
  const f = fakeFetch({
    [p1]: json(
      [
        { type: 'directory', path: 'tb/a', size: 0 },
        { type: 'file', path: 'tb/a/events.out.tfevents.1', size: 10 },
      ],
      { link: `<${p2}>; rel="next"` },
    ),
    [p2]: json([
      { type: 'file', path: 'tb/b c/events.out.tfevents.2', size: 20, lfs: { size: 20 } },
      { type: 'file', path: 'tb/weights.bin', size: 5 },
    ]),
  });
  const link = { repoType: 'dataset', repo: 'org/d', revision: 'main', path: 'tb' };
  const { files } = await listHf(link, o(f));
  assert.deepEqual(
    files.map((x) => [x.path, x.size, x.url]),
    [
      [
        'a/events.out.tfevents.1',
        10,
        'https://hf.test/datasets/org/d/resolve/main/tb/a/events.out.tfevents.1',
      ],
      [
        'b c/events.out.tfevents.2',
        20,
        'https://hf.test/datasets/org/d/resolve/main/tb/b%20c/events.out.tfevents.2',
      ],
      ['weights.bin', 5, 'https://hf.test/datasets/org/d/resolve/main/tb/weights.bin'],
    ],
  );
  // The Source keeps the event files only and adds the prefix.
  const src = hfSource(link, { hosts: H, fetchFn: f }, 'pre');
  assert.deepEqual(
    (await src.list()).map((x) => x.path),
    ['pre/a/events.out.tfevents.1', 'pre/b c/events.out.tfevents.2'],
  );
  assert.equal(src.reloadable, true);
  assert.equal(
    hfSource({ ...link, revision: 'a'.repeat(40) }, { hosts: H }).reloadable,
    false,
    'a commit never changes',
  );
});

test('Hugging Face: errors name the repository and say what to do; a looping or malformed listing stops', async () => {
  const link = { repoType: 'model', repo: 'org/private', revision: 'main', path: '' };
  const url = 'https://hf.test/api/models/org/private/tree/main?recursive=true';
  await assert.rejects(
    listHf(link, o(fakeFetch({ [url]: json({ error: 'Repository not found' }, {}) }))),
    /not a list/,
  );
  const r401 = fakeFetch({
    [url]: () => new Response(JSON.stringify({ error: 'Repository not found' }), { status: 401 }),
  });
  await assert.rejects(
    listHf(link, o(r401)),
    /Hugging Face model org\/private: HTTP 401 \(Repository not found\).*private or gated/,
  );
  const r429 = fakeFetch({
    [url]: () => new Response('', { status: 429, headers: { 'retry-after': '60' } }),
  });
  await assert.rejects(listHf(link, o(r429)), /rate limit was reached; it lifts at/);
  const loop = fakeFetch({ [url]: json([], { link: `<${url}>; rel="next"` }) });
  await assert.rejects(listHf(link, o(loop)), /next page repeats/);
  const bad = fakeFetch({ [url]: new Response('<html>', { status: 200 }) });
  await assert.rejects(listHf(link, o(bad)), /is not JSON/);
});

test('listings are capped at max entries, and the Source says so', async () => {
  const url = 'https://hf.test/api/models/o/m/tree/main?recursive=true';
  const many = Array.from({ length: 50 }, (_, i) => ({
    type: 'file',
    path: `r/events.out.tfevents.${i}`,
    size: 1,
  }));
  const f = fakeFetch({ [url]: json(many) });
  const r = await listHf({ repoType: 'model', repo: 'o/m', revision: 'main', path: '' }, o(f, 10));
  assert.equal(r.capped, true);
  assert.equal(r.files.length, 10);
  const src = hfSource(
    { repoType: 'model', repo: 'o/m', revision: 'main', path: '' },
    { hosts: H, fetchFn: f },
  );
  src.max = 10;
  assert.equal((await src.list()).length, 10);
  assert.match(src.notes.join(), /stopped at 10 entries/);
});

test('GitHub: the tree filtered to the folder, raw URLs, truncated said, missing folder refused', async () => {
  const url = 'https://api.test/repos/o/r/git/trees/main?recursive=1';
  const tree = {
    sha: 'x',
    truncated: true,
    tree: [
      { path: 'runs', type: 'tree' },
      { path: 'runs/a', type: 'tree' },
      { path: 'runs/a/events.out.tfevents.1', type: 'blob', size: 100 },
      { path: 'runsx/events.out.tfevents.1', type: 'blob', size: 1 },
      { path: 'sub', type: 'commit' },
    ],
  };
  const f = fakeFetch({ [url]: json(tree) });
  const r = await listGithub({ owner: 'o', repo: 'r', ref: 'main', path: 'runs' }, o(f));
  assert.deepEqual(r.files, [
    {
      path: 'a/events.out.tfevents.1',
      size: 100,
      url: 'https://raw.test/o/r/main/runs/a/events.out.tfevents.1',
    },
  ]);
  assert.match(r.notes.join(), /GitHub cut the listing short/);
  const g = fakeFetch({ [url]: json({ ...tree, truncated: false }) });
  await assert.rejects(
    listGithub({ owner: 'o', repo: 'r', ref: 'main', path: 'nope' }, o(g)),
    /no folder nope/,
  );
  await assert.rejects(
    listGithub(
      { owner: 'o', repo: 'r', ref: 'main', path: '' },
      o(fakeFetch({ [url]: json({ message: 'x' }) })),
    ),
    /no "tree" list/,
  );
});

test('GitHub: a spent rate limit (403 + x-ratelimit-remaining: 0) is said with its reset time and what to do', async () => {
  const url = 'https://api.test/repos/o/r/git/trees/HEAD?recursive=1';
  const reset = Math.floor(Date.UTC(2030, 0, 1, 13, 45) / 1000);
  const f = fakeFetch({
    [url]: () =>
      new Response(JSON.stringify({ message: 'API rate limit exceeded' }), {
        status: 403,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
      }),
  });
  await assert.rejects(
    listGithub({ owner: 'o', repo: 'r', ref: 'HEAD', path: '' }, o(f)),
    /GitHub o\/r: the provider's rate limit was reached; it lifts at \d\d:\d\d\. Without a login GitHub allows 60/,
  );
  // A 403 without the rate-limit headers is a plain error.
  const g = fakeFetch({ [url]: () => new Response('{"message":"Forbidden"}', { status: 403 }) });
  await assert.rejects(
    listGithub({ owner: 'o', repo: 'r', ref: 'HEAD', path: '' }, o(g)),
    /HTTP 403 \(Forbidden\)/,
  );
});

test('GitHub: a Git LFS pointer is refused with what to do; a real file is read; raw 429 is a rate limit', async () => {
  const url = 'https://api.test/repos/o/r/git/trees/main?recursive=1';
  const pointer = 'version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123456\n';
  const f = fakeFetch({
    [url]: json({
      tree: [
        { path: 'lfs/events.out.tfevents.1', type: 'blob', size: pointer.length },
        { path: 'ok/events.out.tfevents.1', type: 'blob', size: 4 },
        { path: 'hot/events.out.tfevents.1', type: 'blob', size: 4 },
      ],
    }),
    'https://raw.test/o/r/main/lfs/events.out.tfevents.1': () =>
      new Response(pointer, { status: 200 }),
    'https://raw.test/o/r/main/ok/events.out.tfevents.1': () =>
      new Response(new Uint8Array([1, 2, 3, 4]), {
        status: 206,
        headers: { 'content-range': 'bytes 0-3/4' },
      }),
    'https://raw.test/o/r/main/hot/events.out.tfevents.1': () =>
      new Response('', { status: 429, headers: { 'retry-after': '30' } }),
  });
  const src = githubSource(
    { owner: 'o', repo: 'r', ref: 'main', path: '' },
    { hosts: H, fetchFn: f },
  );
  const files = await src.list();
  const read = async (path) => {
    const out = [];
    for await (const c of src.read(
      files.find((x) => x.path === path),
      0,
      {},
    ))
      out.push(...new Uint8Array(c.chunk));
    return out;
  };
  await assert.rejects(read('lfs/events.out.tfevents.1'), /stored with Git LFS.*Download it/);
  assert.deepEqual(await read('ok/events.out.tfevents.1'), [1, 2, 3, 4]);
  await assert.rejects(
    read('hot/events.out.tfevents.1'),
    /hot\/events.out.tfevents.1 in GitHub o\/r at main: the provider's rate limit/,
  );
  assert.equal(isLfsPointer(new TextEncoder().encode('\x18\x00\x00').buffer), false);
  // A second listing within a minute reuses the first (rate limit).
  await src.list();
  assert.equal(f.seen.filter((s) => s.url === url).length, 1);
});

test('GCS: pages through nextPageToken; sizes are strings; errors and loops are said', async () => {
  const base = 'https://gcs.test/storage/v1/b/bkt/o?prefix=exp%2F';
  const f = fakeFetch({
    [base]: json({
      kind: 'storage#objects',
      nextPageToken: 't 1',
      items: [{ name: 'exp/a/events.out.tfevents.1', size: '12' }],
    }),
    [`${base}&pageToken=t%201`]: json({
      items: [
        { name: 'exp/b/', size: '0' },
        { name: 'exp/b/x.tar.gz', size: 'bad' },
      ],
    }),
  });
  const { files } = await listGcs({ bucket: 'bkt', prefix: 'exp/' }, o(f));
  assert.deepEqual(files, [
    {
      path: 'a/events.out.tfevents.1',
      size: 12,
      url: 'https://gcs.test/bkt/exp/a/events.out.tfevents.1',
    },
    { path: 'b/x.tar.gz', size: null, url: 'https://gcs.test/bkt/exp/b/x.tar.gz' },
  ]);
  const empty = fakeFetch({ [base]: json({ kind: 'storage#objects' }) });
  assert.deepEqual((await listGcs({ bucket: 'bkt', prefix: 'exp/' }, o(empty))).files, []);
  const denied = fakeFetch({
    [base]: () =>
      new Response(
        JSON.stringify({
          error: {
            code: 403,
            message: 'Anonymous caller does not have storage.objects.list access',
          },
        }),
        { status: 403 },
      ),
  });
  await assert.rejects(
    listGcs({ bucket: 'bkt', prefix: 'exp/' }, o(denied)),
    /gs:\/\/bkt\/exp\/: HTTP 403 \(Anonymous caller.*must be public/,
  );
  const loop = fakeFetch({
    [base]: json({ nextPageToken: 'x', items: [] }),
    [`${base}&pageToken=x`]: json({ nextPageToken: 'x', items: [] }),
  });
  await assert.rejects(listGcs({ bucket: 'bkt', prefix: 'exp/' }, o(loop)), /page token repeats/);
  await assert.rejects(
    listGcs({ bucket: 'bkt', prefix: 'exp/' }, o(fakeFetch({ [base]: json({ items: 'x' }) }))),
    /not an object list/,
  );
});

const s3Page = (keys, { truncated = false, token = null } = {}) =>
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>bkt</Name>' +
  keys
    .map(
      ([k, s]) =>
        `<Contents><Key>${k}</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified><Size>${s}</Size></Contents>`,
    )
    .join('') +
  `<IsTruncated>${truncated}</IsTruncated>${token ? `<NextContinuationToken>${token}</NextContinuationToken>` : ''}</ListBucketResult>`;

test('S3: ListObjectsV2 pages through continuation tokens; keys are XML-decoded', async () => {
  const base = 'https://s3.test/bkt/?list-type=2&prefix=exp%2F';
  const f = fakeFetch({
    [base]: new Response(
      s3Page([['exp/a&amp;b/events.out.tfevents.1', 7]], { truncated: true, token: '1/x+y=' }),
    ),
    [`${base}&continuation-token=1%2Fx%2By%3D`]: new Response(
      s3Page([
        ['exp/c/events.out.tfevents.&#50;', 8],
        ['exp/d/', 0],
      ]),
    ),
  });
  const { files } = await listS3({ bucket: 'bkt', prefix: 'exp/', endpoint: null }, o(f));
  assert.deepEqual(files, [
    {
      path: 'a&b/events.out.tfevents.1',
      size: 7,
      url: 'https://s3.test/bkt/exp/a%26b/events.out.tfevents.1',
    },
    {
      path: 'c/events.out.tfevents.2',
      size: 8,
      url: 'https://s3.test/bkt/exp/c/events.out.tfevents.2',
    },
  ]);
});

test('S3: error documents, truncated XML, a foreign document and a truncated page without token are refused', async () => {
  assert.throws(
    () =>
      parseS3Listing(
        '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>',
      ),
    /S3 error AccessDenied: Access Denied/,
  );
  assert.throws(() => parseS3Listing(s3Page([['a', 1]]).slice(0, -30)), /cut short/);
  assert.throws(() => parseS3Listing('<html><body>hi</body></html>'), /not an S3 listing/);
  const base = 'https://s3.test/bkt/?list-type=2&prefix=';
  const noToken = fakeFetch({ [base]: new Response(s3Page([['a', 1]], { truncated: true })) });
  await assert.rejects(
    listS3({ bucket: 'bkt', prefix: '', endpoint: null }, o(noToken)),
    /truncated but gives no continuation token/,
  );
  const denied = fakeFetch({
    [base]: () =>
      new Response('<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>', {
        status: 403,
      }),
  });
  await assert.rejects(
    listS3({ bucket: 'bkt', prefix: '', endpoint: null }, o(denied)),
    /S3 s3:\/\/bkt\/: HTTP 403 \(Access Denied\)/,
  );
  const cut = fakeFetch({ [base]: new Response(s3Page([['a', 1]]).slice(0, 120)) });
  await assert.rejects(listS3({ bucket: 'bkt', prefix: '', endpoint: null }, o(cut)), /cut short/);
});

const NGINX = `<html><head><title>Index of /logs/</title></head><body><h1>Index of /logs/</h1><hr><pre><a href="../">../</a>
<a href="run%201/">run 1/</a>                                           01-Jan-2024 00:00       -
<a href="events.out.tfevents.1">events.out.tfevents.1</a>                  01-Jan-2024 00:00     123
</pre><hr></body></html>`;
const APACHE = `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN"><html><body><h1>Index of /logs/run 1</h1>
<table><tr><th><a href="?C=N;O=D">Name</a></th><th><a href="?C=M;O=A">Last modified</a></th></tr>
<tr><td><a href="/logs/">Parent Directory</a></td></tr>
<tr><td><a href="events.out.tfevents.2">events.out.tfevents.2</a></td><td align="right">5.0K</td></tr>
<tr><td><a href="deep/">deep/</a></td></tr><tr><td><a href="https://other.example/x">x</a></td></tr></table></body></html>`;
const PYTHON = `<!DOCTYPE HTML><html lang="en"><head><title>Directory listing for /logs/run 1/deep/</title></head>
<body><h1>Directory listing for /logs/run 1/deep/</h1><hr><ul>
<li><a href="a.tar.gz">a.tar.gz</a></li><li><a href="loop/">loop/</a></li><li><a href="notes.txt">notes.txt</a></li>
</ul><hr></body></html>`;

test('web folders: nginx, Apache and Python index pages; parent, sort and foreign links ignored', () => {
  assert.deepEqual(parseIndexPage(NGINX, 'http://h/logs/'), {
    files: ['http://h/logs/events.out.tfevents.1'],
    folders: ['http://h/logs/run%201/'],
  });
  assert.deepEqual(parseIndexPage(APACHE, 'http://h/logs/run%201/'), {
    files: ['http://h/logs/run%201/events.out.tfevents.2'],
    folders: ['http://h/logs/run%201/deep/'],
  });
  assert.deepEqual(parseIndexPage(PYTHON, 'http://h/logs/run%201/deep/').files.length, 2);
});

test('web folders: subfolders followed breadth-first, each once, bounded in depth', async () => {
  const html = (body) => () =>
    new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8' } });
  const loopPage = '<a href="../">up</a><a href="loop/">loop/</a>';
  const routes = {
    'http://h/logs/': html(NGINX),
    'http://h/logs/run%201/': html(APACHE),
    'http://h/logs/run%201/deep/': html(PYTHON),
  };
  let url = 'http://h/logs/run%201/deep/loop/';
  for (let i = 0; i < 12; i++) {
    routes[url] = html(loopPage);
    url += 'loop/';
  }
  const f = fakeFetch(routes);
  const r = await listWebFolder('http://h/logs/', { fetchFn: f });
  assert.deepEqual(
    r.files.map((x) => x.path),
    [
      'events.out.tfevents.1',
      'run 1/events.out.tfevents.2',
      'run 1/deep/a.tar.gz',
      'run 1/deep/notes.txt',
    ],
  );
  assert.ok(r.files.every((x) => x.size === null));
  assert.match(r.notes.join(), /deeper than 8 levels/);
  assert.ok(f.seen.length <= 10, `bounded: ${f.seen.length} pages fetched`);
  const notHtml = fakeFetch({
    'http://h/x/': () => new Response('{}', { headers: { 'content-type': 'application/json' } }),
  });
  await assert.rejects(
    listWebFolder('http://h/x/', { fetchFn: notHtml }),
    /not an HTML folder listing/,
  );
  await assert.rejects(listWebFolder('http://h/y/', { fetchFn: fakeFetch({}) }), /HTTP 404/);
});

test('S3 in another region (301 PermanentRedirect) and an unknown Hugging Face revision say what to do', async () => {
  const base = 'https://s3.test/bkt/?list-type=2&prefix=';
  const moved = fakeFetch({
    [base]: () =>
      new Response(
        '<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message></Error>',
        { status: 301 },
      ),
  });
  await assert.rejects(
    listS3({ bucket: 'bkt', prefix: '', endpoint: null }, o(moved)),
    /HTTP 301 \(The bucket you are attempting.*\. The bucket is in another region: give its regional URL/,
  );
  const url = 'https://hf.test/api/models/o/m/tree/nope?recursive=true';
  const missing = fakeFetch({
    [url]: () => new Response('{"error":"Invalid rev id: nope"}', { status: 404 }),
  });
  await assert.rejects(
    listHf({ repoType: 'model', repo: 'o/m', revision: 'nope', path: '' }, o(missing)),
    /Hugging Face model o\/m at nope: HTTP 404 \(Invalid rev id: nope\).*Check the repository id, the revision and the folder/,
  );
});

test('GitHub: a branch with "/" in its name is found by lengthening the ref on 404', async () => {
  const api = 'https://api.test/repos/o/r/git/trees/';
  const f = fakeFetch({
    [`${api}feature%2Fx?recursive=1`]: json({
      tree: [{ path: 'runs/a/events.out.tfevents.1', type: 'blob', size: 3 }],
    }),
  });
  const r = await listGithub({ owner: 'o', repo: 'r', ref: 'feature', path: 'x/runs' }, o(f));
  assert.deepEqual(r.files, [
    {
      path: 'a/events.out.tfevents.1',
      size: 3,
      url: 'https://raw.test/o/r/feature/x/runs/a/events.out.tfevents.1',
    },
  ]);
  assert.deepEqual(r.link, { owner: 'o', repo: 'r', ref: 'feature/x', path: 'runs' });
  assert.deepEqual(
    f.seen.map((s) => s.url),
    [`${api}feature?recursive=1`, `${api}feature%2Fx?recursive=1`],
  );
  // Nothing found under any reading: the first answer is the one reported.
  const none = fakeFetch({});
  await assert.rejects(
    listGithub({ owner: 'o', repo: 'r', ref: 'nope', path: 'a/b/c/d' }, o(none)),
    /GitHub o\/r at nope, folder a\/b\/c\/d: HTTP 404/,
  );
  assert.equal(none.seen.length, 4, 'the ref as given and 3 longer readings, no more');
});

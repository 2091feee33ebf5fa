// Published folders and reload planning: manifest.js (what a URL names, the
// manifest format), sources/source.js (reading a URL from an offset: 206, a server that
// ignores Range, 416, a file that shrank, errors) and reload.js (what to read).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { classifyUrl, parseManifest } from '../src/sources/manifest.js';
import { ShrunkError, planReload } from '../src/sources/source.js';
import { parseContentRange, rangeChunks } from '../src/sources/url.js';
import { DEFAULT_RELOAD_SECONDS, reloadSetting } from '../src/sources/reload.js';

const PAGE = 'https://example.org/app/index.html';

test('classifyUrl: a folder ends with /, a .json is its manifest, anything else is one file', () => {
  assert.deepEqual(classifyUrl('https://h.org/exp/logs/', PAGE), {
    kind: 'folder',
    base: 'https://h.org/exp/logs/',
    name: 'logs',
    listings: ['https://h.org/exp/logs/tbview-manifest.json', 'https://h.org/exp/logs/index.json'],
  });
  assert.deepEqual(classifyUrl('logs/tbview-manifest.json', PAGE), {
    kind: 'folder',
    base: 'https://example.org/app/logs/',
    name: 'logs',
    listings: ['https://example.org/app/logs/tbview-manifest.json'],
  });
  assert.deepEqual(classifyUrl(' https://h.org/a/events.out.tfevents.1.x#frag ', PAGE), {
    kind: 'file',
    url: 'https://h.org/a/events.out.tfevents.1.x',
    name: 'events.out.tfevents.1.x',
  });
  assert.equal(classifyUrl('https://h.org/runs%20x.tar.gz', PAGE).name, 'runs x.tar.gz');
  assert.throws(() => classifyUrl('file:///tmp/x', PAGE), /only http\(s\) URLs/);
  assert.throws(() => classifyUrl('', PAGE), /no URL/);
});

test('parseManifest: tbview-manifest-1 and the schema-less serve.mjs listing; paths checked, sorted, encoded', () => {
  const m = parseManifest(
    {
      schema: 'tbview-manifest-1',
      files: [
        { path: 'run b/events.out.tfevents.2', size: 10, mtime: 1700000000000 },
        { path: 'run a/x#1', size: 3 },
        { path: '../outside', size: 1 },
        { path: 'tbview-manifest.json', size: 100 },
        { path: 'run a/x#1', size: 3 },
        { path: 'nosize' },
        { nopath: true },
      ],
      runs: ['run b'],
      generator: 'anything',
    },
    'https://h.org/logs/tbview-manifest.json',
  );
  assert.deepEqual(m.files, [
    { path: 'nosize', url: 'https://h.org/logs/nosize', size: null, mtime: null },
    { path: 'run a/x#1', url: 'https://h.org/logs/run%20a/x%231', size: 3, mtime: null },
    {
      path: 'run b/events.out.tfevents.2',
      url: 'https://h.org/logs/run%20b/events.out.tfevents.2',
      size: 10,
      mtime: 1700000000000,
    },
  ]);
  assert.equal(m.dropped, 2);
  assert.deepEqual(m.runs, ['run b']);
  const listing = parseManifest(
    { files: [{ path: 'a', size: 1 }] },
    'http://127.0.0.1:1/logdir/index.json',
  );
  assert.equal(listing.schema, null);
  assert.equal(listing.files[0].url, 'http://127.0.0.1:1/logdir/a');
  assert.throws(
    () => parseManifest({ schema: 'tbview-manifest-2', files: [] }, PAGE),
    /unsupported manifest schema/,
  );
  assert.throws(() => parseManifest([], PAGE), /not a tbview manifest/);
  assert.throws(() => parseManifest({ runs: [] }, PAGE), /no "files" list/);
});

test('planReload: new files from 0, grown ones from the bytes read, unchanged and given-up ones skipped', () => {
  const known = new Map([
    ['a', { bytes: 100, status: 'ok' }],
    ['b', { bytes: 50, status: 'waiting' }],
    ['c', { bytes: 10, status: 'corrupt' }],
    ['d', { bytes: 70, status: 'ok' }],
    ['u', { bytes: 5, status: 'ok' }],
  ]);
  const plan = planReload(
    [
      { path: 'a', size: 100 },
      { path: 'b', size: 80 },
      { path: 'c', size: 99 },
      { path: 'd', size: 20 },
      { path: 'n', size: 0 },
      { path: 'u', size: null },
    ],
    known,
  );
  assert.deepEqual(
    plan.reads.map((r) => [r.entry.path, r.offset]),
    [
      ['b', 50],
      ['d', 70],
      ['n', 0],
      ['u', 5],
    ],
  );
  assert.equal(plan.unchanged, 1);
  assert.equal(plan.final, 1);
});

test('reloadSetting: ?reload= wins, then localStorage, then 30 s', () => {
  const store = (v) => ({ getItem: () => v });
  assert.deepEqual(reloadSetting('?reload=0', store('10')), { seconds: 0, from: 'url' });
  assert.deepEqual(reloadSetting('?x=1', store('10')), { seconds: 10, from: 'storage' });
  assert.deepEqual(reloadSetting('?reload=-3', store('bad')), {
    seconds: DEFAULT_RELOAD_SECONDS,
    from: 'default',
  });
  assert.equal(DEFAULT_RELOAD_SECONDS, 30);
});

test('parseContentRange', () => {
  assert.deepEqual(parseContentRange('bytes 10-19/1000'), { start: 10, total: 1000 });
  assert.deepEqual(parseContentRange('bytes */7'), { start: null, total: 7 });
  assert.deepEqual(parseContentRange(null), { start: null, total: null });
});

// ---- rangeChunks against a fake fetch

const FILE = Uint8Array.from({ length: 100 }, (_, i) => i);

/** A fetch that answers like a server; `mode`: 'range' | 'ignore' (200 always). */
function fakeFetch(bytes, mode = 'range', log = []) {
  return async (url, init) => {
    const h = init.headers.Range;
    log.push(h);
    const start = Number(/^bytes=(\d+)-$/.exec(h)[1]);
    const headers = new Headers();
    if (mode === 'ignore') {
      headers.set('content-length', String(bytes.length));
      return new Response(bytes.slice(), { status: 200, headers });
    }
    if (start >= bytes.length) {
      headers.set('content-range', `bytes */${bytes.length}`);
      return new Response(null, { status: 416, headers });
    }
    headers.set('content-range', `bytes ${start}-${bytes.length - 1}/${bytes.length}`);
    return new Response(bytes.slice(start), { status: 206, headers });
  };
}

async function collect(gen) {
  const parts = [];
  for await (const { chunk } of gen) parts.push(...new Uint8Array(chunk));
  return parts;
}

test('rangeChunks: 206 from the offset; 200 skips the prefix already read; 416 is nothing new', async () => {
  const log = [];
  let size = 0;
  assert.deepEqual(
    await collect(
      rangeChunks('u', 0, {
        fetchFn: fakeFetch(FILE, 'range', log),
        setSize: (n) => {
          size = n;
        },
      }),
    ),
    [...FILE],
  );
  assert.equal(size, 100);
  assert.deepEqual(
    await collect(rangeChunks('u', 60, { fetchFn: fakeFetch(FILE, 'range', log) })),
    [...FILE.slice(60)],
  );
  assert.deepEqual(log, ['bytes=0-', 'bytes=60-']);
  // A server that ignores Range: the same bytes, from several small chunks.
  assert.deepEqual(
    await collect(rangeChunks('u', 37, { fetchFn: fakeFetch(FILE, 'ignore'), chunkBytes: 8 })),
    [...FILE.slice(37)],
  );
  assert.deepEqual(
    await collect(rangeChunks('u', 100, { fetchFn: fakeFetch(FILE, 'ignore') })),
    [],
  );
  assert.deepEqual(await collect(rangeChunks('u', 100, { fetchFn: fakeFetch(FILE) })), []);
});

test('rangeChunks: a file shorter than what was read is ShrunkError; HTTP and network errors are plain', async () => {
  await assert.rejects(collect(rangeChunks('u', 150, { fetchFn: fakeFetch(FILE) })), ShrunkError);
  await assert.rejects(
    collect(rangeChunks('u', 150, { fetchFn: fakeFetch(FILE, 'ignore') })),
    ShrunkError,
  );
  await assert.rejects(
    collect(
      rangeChunks('https://h/x', 0, { fetchFn: async () => new Response('no', { status: 404 }) }),
    ),
    /HTTP 404 \(not found\) for https:\/\/h\/x/,
  );
  await assert.rejects(
    collect(
      rangeChunks('https://h/x', 0, {
        fetchFn: async () => {
          throw new TypeError('Failed to fetch');
        },
      }),
    ),
    /could not fetch https:\/\/h\/x: network error, or .*CORS/,
  );
  const wrong = async () =>
    new Response(FILE.slice(5), { status: 206, headers: { 'content-range': 'bytes 5-99/100' } });
  await assert.rejects(
    collect(rangeChunks('u', 10, { fetchFn: wrong })),
    /answered bytes from 5 when asked for 10/,
  );
});

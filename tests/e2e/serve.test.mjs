// scripts/serve.mjs over HTTP (no browser): the logdir listing, Range requests,
// the page's logdir hint, and that nothing outside the served folders leaks
// ('..', encoded '..', symlinks out).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import http from 'node:http';

import { startServer } from './helpers.mjs';

let tmp;
let srv;
const BYTES = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));

/** A raw GET (fetch would normalise '..' away before sending). */
function rawGet(port, p, headers = {}, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: p, method, headers }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () =>
        resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'tbview-serve-'));
  const root = path.join(tmp, 'dist');
  const logdir = path.join(tmp, 'logs');
  mkdirSync(root);
  mkdirSync(path.join(logdir, 'run b/sub'), { recursive: true });
  mkdirSync(path.join(logdir, 'run a'), { recursive: true });
  writeFileSync(
    path.join(root, 'index.html'),
    '<!doctype html><html><head><title>t</title></head><body></body></html>',
  );
  writeFileSync(path.join(root, 'app.js'), 'console.log(1)');
  writeFileSync(path.join(logdir, 'run a/events.out.tfevents.1'), BYTES);
  writeFileSync(path.join(logdir, 'run b/sub/events.out.tfevents.2'), 'abc');
  writeFileSync(path.join(logdir, 'empty'), '');
  writeFileSync(path.join(tmp, 'secret.txt'), 'secret');
  symlinkSync(path.join(tmp, 'secret.txt'), path.join(logdir, 'link-out'));
  symlinkSync(tmp, path.join(logdir, 'dir-out'));
  symlinkSync(path.join(logdir, 'run a'), path.join(logdir, 'link-in'));
  symlinkSync(logdir, path.join(logdir, 'run b/loop'));
  srv = await startServer({ root, logdir });
});

after(async () => {
  if (srv) await srv.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('index.json lists every file below the logdir, relative, sorted, symlinks out left out', async () => {
  const res = await fetch(`${srv.url}logdir/index.json`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /application\/json/);
  assert.deepEqual(await res.json(), {
    files: [
      { path: 'empty', size: 0 },
      { path: 'link-in/events.out.tfevents.1', size: 1000 },
      { path: 'run a/events.out.tfevents.1', size: 1000 },
      { path: 'run b/sub/events.out.tfevents.2', size: 3 },
    ],
  });
});

test('files are served whole, by Range (206), and out of range (416)', async () => {
  const url = `${srv.url}logdir/run%20a/events.out.tfevents.1`;
  const whole = await fetch(url);
  assert.equal(whole.status, 200);
  assert.equal(whole.headers.get('accept-ranges'), 'bytes');
  assert.equal(whole.headers.get('cache-control'), 'no-store');
  assert.deepEqual(Buffer.from(await whole.arrayBuffer()), BYTES);

  const part = await fetch(url, { headers: { Range: 'bytes=10-19' } });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get('content-range'), 'bytes 10-19/1000');
  assert.equal(part.headers.get('content-length'), '10');
  assert.deepEqual(Buffer.from(await part.arrayBuffer()), BYTES.subarray(10, 20));

  const open = await fetch(url, { headers: { Range: 'bytes=990-' } });
  assert.equal(open.status, 206);
  assert.deepEqual(Buffer.from(await open.arrayBuffer()), BYTES.subarray(990));

  const suffix = await fetch(url, { headers: { Range: 'bytes=-5' } });
  assert.equal(suffix.headers.get('content-range'), 'bytes 995-999/1000');

  const past = await fetch(url, { headers: { Range: 'bytes=1000-' } });
  assert.equal(past.status, 416);
  assert.equal(past.headers.get('content-range'), 'bytes */1000');

  const head = await rawGet(srv.port, '/logdir/run%20a/events.out.tfevents.1', {}, 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.headers['content-length'], '1000');
  assert.equal(head.body.length, 0);

  const empty = await fetch(`${srv.url}logdir/empty`);
  assert.equal(empty.status, 200);
  assert.equal((await empty.arrayBuffer()).byteLength, 0);
});

test('nothing outside the logdir or the app root is served', async () => {
  for (const p of [
    '/logdir/../secret.txt',
    '/logdir/%2e%2e/secret.txt',
    '/logdir/..%2fsecret.txt',
    '/logdir/link-out',
    '/logdir/dir-out/secret.txt',
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/logdir/run%20a/%00',
  ]) {
    const res = await rawGet(srv.port, p);
    assert.ok([400, 404].includes(res.status), `${p} -> ${res.status}`);
    assert.ok(!res.body.toString().includes('secret'), p);
  }
  const post = await rawGet(srv.port, '/logdir/index.json', {}, 'POST');
  assert.equal(post.status, 405);
});

test('the app is served, with the logdir hint in its page', async () => {
  const page = await (await fetch(srv.url)).text();
  assert.match(page, /<meta name="tbview-logdir" content="logdir\/">/);
  const js = await fetch(`${srv.url}app.js`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type'), /text\/javascript/);
  assert.equal((await fetch(`${srv.url}nope.js`)).status, 404);
});

test('without --logdir there is no logdir and no hint', async () => {
  const plain = await startServer({ root: path.join(tmp, 'dist') });
  try {
    assert.doesNotMatch(await (await fetch(plain.url)).text(), /tbview-logdir/);
    assert.equal((await fetch(`${plain.url}logdir/index.json`)).status, 404);
  } finally {
    await plain.stop();
  }
});

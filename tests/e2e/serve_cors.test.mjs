// scripts/serve.mjs --cors: the logs (and only the logs) may be read from any
// origin, so a logdir served by tbview opens in a tbview page elsewhere.
// Over HTTP: the headers, the preflight, errors carrying CORS too, nothing
// without --cors. In Chromium: a page of another origin opens the logdir by
// ?url= with Range reads, draws its chart, and reloads the appended bytes.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { serveWith } from './cors_server.mjs';
import { eventFile, scalarLog } from '../support/tfrecord.mjs';
import { DIST, launchBrowser, startServer, waitIdle } from './helpers.mjs';

const HAVE_DIST = existsSync(path.join(DIST, 'index.html'));
const skip = HAVE_DIST ? false : 'web/dist is not built: (cd web && npx vite build)';

let tmp;
let logdir;
let logs; // serve.mjs --cors --logdir (origin B)
let plain; // serve.mjs --logdir without --cors
let app; // the app (origin A)
let browser;

function request(port, p, { method = 'GET', headers = {} } = {}) {
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
  if (skip) return;
  tmp = mkdtempSync(path.join(tmpdir(), 'tbview-cors-'));
  logdir = path.join(tmp, 'logs');
  mkdirSync(path.join(logdir, 'run a'), { recursive: true });
  writeFileSync(
    path.join(logdir, 'run a/events.out.tfevents.1.h'),
    scalarLog({ tags: ['loss'], steps: 5 }),
  );
  logs = await serveWith(['--logdir', logdir, '--cors']);
  plain = await serveWith(['--logdir', logdir]);
  app = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  for (const s of [app, logs, plain]) if (s) await s.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test(
  '--cors: logs, listings and errors under /logdir/ carry CORS; the preflight is answered; the app does not',
  { skip },
  async () => {
    const f = await request(logs.port, '/logdir/run%20a/events.out.tfevents.1.h', {
      headers: { Range: 'bytes=10-', Origin: 'http://a.test' },
    });
    assert.equal(f.status, 206);
    assert.equal(f.headers['access-control-allow-origin'], '*');
    assert.match(
      f.headers['access-control-expose-headers'],
      /Content-Range.*Content-Length.*Accept-Ranges/,
    );
    for (const p of ['/logdir/tbview-manifest.json', '/logdir/index.json', '/logdir/missing']) {
      const r = await request(logs.port, p);
      assert.equal(r.headers['access-control-allow-origin'], '*', p);
    }
    const pre = await request(logs.port, '/logdir/run%20a/events.out.tfevents.1.h', {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://a.test',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'range',
      },
    });
    assert.equal(pre.status, 204);
    assert.match(pre.headers['access-control-allow-methods'], /GET/);
    assert.match(pre.headers['access-control-allow-headers'], /Range/);
    const page = await request(logs.port, '/');
    assert.equal(
      page.headers['access-control-allow-origin'],
      undefined,
      'the app itself is not shared',
    );
    assert.equal((await request(logs.port, '/', { method: 'OPTIONS' })).status, 405);
    // Without --cors: no header, no preflight.
    const p2 = await request(plain.port, '/logdir/index.json');
    assert.equal(p2.headers['access-control-allow-origin'], undefined);
    assert.equal(
      (await request(plain.port, '/logdir/index.json', { method: 'OPTIONS' })).status,
      405,
    );
  },
);

test(
  'a page of another origin opens a --cors logdir by ?url=, draws it, and reloads the appended bytes',
  { skip },
  async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const ranges = [];
    page.on('request', (r) => {
      if (r.url().startsWith(logs.url) && r.headers().range) ranges.push(r.headers().range);
    });
    await page.goto(`${app.url}?reload=0&url=${encodeURIComponent(`${logs.url}logdir/`)}`);
    await page.waitForFunction(() => window.__tbview && window.__tbview.ready);
    await waitIdle(page);
    assert.deepEqual(await page.evaluate(() => window.__tbview.client.runs()), ['run a']);
    await page.waitForSelector('.sc-card[data-tag="loss"][data-drawn="1"]');
    const size = (await request(logs.port, '/logdir/index.json')).body.toString();
    const old = JSON.parse(size).files[0].size;
    const more = [];
    for (let s = 5; s < 8; s++)
      more.push({
        wallTime: 1_600_000_000 + s,
        step: s,
        values: [{ tag: 'loss', simpleValue: 0.5 }],
      });
    appendFileSync(path.join(logdir, 'run a/events.out.tfevents.1.h'), eventFile(more));
    await page.click('#reload');
    await page.waitForFunction(
      () => Number(document.body.dataset.reloads) >= 2 && document.body.dataset.state === 'idle',
    );
    await waitIdle(page);
    const steps = await page.evaluate(async () =>
      Array.from((await window.__tbview.client.scalarsFull('run a', 'loss')).step),
    );
    assert.deepEqual(steps, [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(ranges, ['bytes=0-', `bytes=${old}-`]);
    // The same logdir without --cors cannot be read from this origin: said as CORS.
    await page.goto(`${app.url}?reload=0&url=${encodeURIComponent(`${plain.url}logdir/`)}`);
    await page.waitForFunction(() => window.__tbview && window.__tbview.ready);
    await waitIdle(page);
    assert.match(await page.textContent('#notice'), /CORS/);
    await context.close();
  },
);

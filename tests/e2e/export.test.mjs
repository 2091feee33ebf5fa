// Publishing logs (scripts/export.mjs, web/src/report/*.js, report/export.js,
// service_worker.js), end to end in headless Chromium:
// - export-html of the demo logs opens from file:// with every non-file request
//   aborted, under its own CSP with no violation, reads every file, draws its
//   scalar cards (non-blank canvases), shows the other dashboards' tabs, and
//   restores the exported view state;
// - export-site (a --runs selection) served by a tiny static server written here
//   (not scripts/serve.mjs) opens its logs by itself from "/" and shows exactly
//   the selected runs;
// - the in-app "Export report" button on that site downloads a report of the
//   selected runs (a deselected run left out), which opens from file:// offline,
//   and whose own button re-exports it from file://;
// - the service worker: after a first visit, with the server stopped, a reload
//   still starts the app (page, bundle, worker and engine from the cache), and
//   no log file is in any cache.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  createReadStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { DIST, HAVE_WASM, ROOT, launchBrowser } from './helpers.mjs';

const NATIVE = path.join(ROOT, 'build/native/tbview');
const HAVE_APP = existsSync(path.join(DIST, 'tbview-assets.json'));
const SKIP = !HAVE_WASM
  ? 'needs the real wasm engine in web/dist (scripts/build_wasm.sh, then cd web && npx vite build)'
  : !HAVE_APP
    ? 'needs web/dist/tbview-assets.json (cd web && npx vite build)'
    : !existsSync(NATIVE)
      ? 'needs build/native/tbview for the demo logs (scripts/build.sh)'
      : false;

let tmp;
let demo;
let browser;

/** Runs scripts/export.mjs on the current web/dist (never rebuilding the shared build). */
function exportCmd(...args) {
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, 'scripts/export.mjs'), ...args, '--no-build'],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, `export.mjs ${args.join(' ')} failed: ${r.stderr}`);
  return r;
}

/** Every run of a logdir: each directory (relative, '.' for the root) that holds a file. */
function runsOf(dir, rel = '') {
  const out = new Set();
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory())
      for (const r of runsOf(path.join(dir, e.name), rel ? `${rel}/${e.name}` : e.name)) out.add(r);
    else out.add(rel || '.');
  }
  return [...out].sort();
}

/**
 * A minimal static server: GET/HEAD of files under root, index.html for
 * directories, single byte ranges, a few content types. Records request paths.
 */
function staticServer(root) {
  const TYPES = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.json': 'application/json',
  };
  const requests = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    requests.push({ path: decodeURIComponent(url.pathname), range: req.headers.range || null });
    let file = path.join(root, decodeURIComponent(url.pathname));
    if (!file.startsWith(root)) {
      res.writeHead(403);
      res.end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404);
      res.end();
      return;
    }
    const size = statSync(file).size;
    const headers = {
      'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
      'Accept-Ranges': 'bytes',
    };
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range || '');
    let start = 0;
    let end = size - 1;
    if (m) {
      start = Number(m[1]);
      end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
      headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
    }
    headers['Content-Length'] = size ? end - start + 1 : 0;
    res.writeHead(m ? 206 : 200, headers);
    if (req.method === 'HEAD' || !size) {
      res.end();
      return;
    }
    createReadStream(file, { start, end }).pipe(res);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}/`,
        requests,
        stop: () =>
          new Promise((r) => {
            server.close(r);
            server.closeAllConnections();
          }),
      }),
    ),
  );
}

/** A browser context that aborts every request that is not file:// (recorded). */
async function offlineContext() {
  const context = await browser.newContext({ acceptDownloads: true });
  context.blocked = [];
  await context.route(
    (url) => url.protocol !== 'file:',
    (route) => {
      context.blocked.push(route.request().url());
      return route.abort();
    },
  );
  return context;
}

/** A page that records errors and CSP violations. */
async function watchedPage(context) {
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') page.errors.push(m.text());
  });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return page;
}

async function waitIdle(page) {
  await page.waitForFunction(
    () =>
      window.__tbview &&
      window.__tbview.ready &&
      document.body.dataset.state === 'idle' &&
      window.__tbview.idle &&
      window.__tbview.files.length > 0,
    null,
    { timeout: 60_000 },
  );
}

/** Visible tab labels, without counts. */
function visibleTabs(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-tab]')]
      .filter((t) => !t.hidden)
      .map((t) => t.firstChild.textContent.trim()),
  );
}

/** Waits for n scalar charts and returns how many of their canvases have ink. */
async function inkedCanvases(page, n) {
  await page.waitForFunction(
    (k) => document.querySelectorAll('[data-view="scalars"] canvas').length >= k,
    n,
    { timeout: 30_000 },
  );
  return page
    .waitForFunction(
      (k) => {
        let inked = 0;
        for (const c of document.querySelectorAll('[data-view="scalars"] canvas')) {
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let ink = 0;
          for (let i = 0; i < d.length; i += 4)
            if (d[i + 3] > 0 && (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200)) ink++;
          if (ink > 200) inked++;
        }
        return inked >= k ? inked : false;
      },
      n,
      { timeout: 30_000 },
    )
    .then((h) => h.jsonValue());
}

before(async () => {
  if (SKIP) return;
  tmp = mkdtempSync(path.join(tmpdir(), 'tbview-export-'));
  demo = path.join(tmp, 'demo');
  const r = spawnSync(NATIVE, ['demo', demo], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test(
  'export-html: the report opens from file:// with no network and draws its cards',
  { skip: SKIP },
  async () => {
    const out = path.join(tmp, 'report.html');
    exportCmd('export-html', demo, out, '--state', 'smoothing=0.85&x=relative');
    const html = readFileSync(out, 'utf8');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)[1];
    assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|\*/, csp);
    assert.match(csp, /script-src 'sha256-[^']+' 'wasm-unsafe-eval'/);
    assert.match(csp, /connect-src 'none'/);

    const context = await offlineContext();
    const page = await watchedPage(context);
    await page.goto(`file://${out}`);
    await waitIdle(page);
    const got = await page.evaluate(() => ({
      runs: window.__tbview.runs.map((r) => r.name ?? r.run ?? r).sort(),
      files: window.__tbview.files.map((f) => [f.path, f.status]),
      search: location.search,
      title: document.getElementById('logdir-name').textContent,
    }));
    assert.deepEqual(got.runs, runsOf(demo));
    assert.equal(got.files.length, 14);
    assert.ok(
      got.files.every(([, s]) => s === 'ok'),
      JSON.stringify(got.files),
    );
    assert.equal(got.title, 'demo');
    assert.match(got.search, /smoothing=0\.85/);
    assert.match(got.search, /x=relative/);
    assert.ok((await inkedCanvases(page, 3)) >= 3);
    const tabs = await visibleTabs(page);
    for (const t of [
      'Scalars',
      'Images',
      'Audio',
      'Histograms',
      'Distributions',
      'Text',
      'PR Curves',
      'HParams',
      'Files',
    ]) {
      assert.ok(tabs.includes(t), `tab ${t} missing: ${tabs}`);
    }
    // Another dashboard draws from the embedded data too.
    await page.click('[data-tab="images"]');
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-view="images"] img')].some(
          (i) => i.complete && i.naturalWidth > 0,
        ),
      null,
      { timeout: 30_000 },
    );
    assert.deepEqual(context.blocked, []);
    assert.deepEqual(await page.evaluate(() => window.__csp), []);
    assert.deepEqual(page.errors, []);
    await context.close();
  },
);

let site;
let siteServer;
const SITE_RUNS = /^lr=0\.1,/;

test(
  'export-site: a plain static server serves a viewer that opens its logs by itself',
  { skip: SKIP },
  async () => {
    site = path.join(tmp, 'site');
    exportCmd('export-site', demo, site, '--runs', SITE_RUNS.source);
    const manifest = JSON.parse(readFileSync(path.join(site, 'logs/tbview-manifest.json'), 'utf8'));
    assert.equal(manifest.schema, 'tbview-manifest-1');
    const expectedRuns = runsOf(demo).filter((r) => SITE_RUNS.test(r));
    const runOf = (p) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '.');
    assert.deepEqual([...new Set(manifest.files.map((f) => runOf(f.path)))].sort(), expectedRuns);
    for (const f of manifest.files)
      assert.equal(statSync(path.join(site, 'logs', f.path)).size, f.size);

    siteServer = await staticServer(site);
    const context = await browser.newContext();
    const page = await watchedPage(context);
    await page.goto(siteServer.url);
    await waitIdle(page);
    const runs = await page.evaluate(() =>
      window.__tbview.runs.map((r) => r.name ?? r.run ?? r).sort(),
    );
    assert.deepEqual(runs, expectedRuns);
    assert.ok((await inkedCanvases(page, 3)) >= 3);
    // The page found the logs through the published listing and fetched every file.
    const paths = siteServer.requests.map((r) => r.path);
    assert.ok(
      paths.some((p) => /^\/logs\/(index|tbview-manifest)\.json$/.test(p)),
      paths.join(' '),
    );
    for (const f of manifest.files)
      assert.ok(paths.includes(`/logs/${f.path}`), `never fetched ${f.path}`);
    assert.deepEqual(page.errors, []);
    await context.close();
  },
);

test(
  'Export report button: a report of the selected runs that opens from file://, and re-exports itself',
  { skip: SKIP },
  async () => {
    assert.ok(siteServer, 'needs the export-site test');
    const hidden = 'lr=0.1,batch=32/eval';
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await watchedPage(context);
    await page.goto(`${siteServer.url}?smoothing=0.9&hide=${encodeURIComponent(hidden)}`);
    await waitIdle(page);
    const served = await page.evaluate(() =>
      window.__tbview.runs.map((r) => r.name ?? r.run ?? r).sort(),
    );
    assert.ok(served.includes(hidden));
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-action="export-report"]'),
    ]);
    const first = path.join(tmp, 'from-button.html');
    await download.saveAs(first);
    assert.match(download.suggestedFilename(), /^tbview-report-.*\.html$/);
    await context.close();

    const expected = served.filter((r) => r !== hidden);
    for (const round of [1, 2]) {
      const offline = await offlineContext();
      const report = await watchedPage(offline);
      await report.goto(`file://${first}`);
      await waitIdle(report);
      const got = await report.evaluate(() => ({
        runs: window.__tbview.runs.map((r) => r.name ?? r.run ?? r).sort(),
        search: location.search,
      }));
      assert.deepEqual(got.runs, expected, `round ${round}`);
      assert.match(got.search, /smoothing=0\.9/);
      assert.doesNotMatch(got.search, /hide=/);
      assert.ok((await inkedCanvases(report, 3)) >= 3);
      assert.deepEqual(offline.blocked, []);
      assert.deepEqual(await report.evaluate(() => window.__csp), []);
      assert.deepEqual(report.errors, []);
      if (round === 1) {
        // The report's own button, from file://, with its embedded copies.
        const [again] = await Promise.all([
          report.waitForEvent('download'),
          report.click('[data-action="export-report"]'),
        ]);
        await again.saveAs(first);
      }
      await offline.close();
    }
  },
);

test(
  'service worker: after a first visit the app starts with the server stopped; logs are never cached',
  { skip: SKIP },
  async () => {
    assert.ok(siteServer, 'needs the export-site test');
    const context = await browser.newContext();
    const page = await watchedPage(context);
    await page.goto(siteServer.url);
    await waitIdle(page);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await page.waitForFunction(
      async () => {
        const keys = await caches.keys();
        return keys.some((k) => k.startsWith('tbview-shell-'));
      },
      null,
      { timeout: 30_000 },
    );
    await siteServer.stop();
    siteServer = null;

    page.errors.length = 0;
    await page.reload();
    await page.waitForFunction(() => window.__tbview && window.__tbview.ready, null, {
      timeout: 30_000,
    });
    const state = await page.evaluate(async () => {
      const cached = [];
      for (const k of await caches.keys())
        for (const r of await (await caches.open(k)).keys()) cached.push(new URL(r.url).pathname);
      return {
        error: window.__tbview.error,
        engine: window.__tbview.engine,
        brand: document.querySelector('.tb-logo').textContent,
        cached,
      };
    });
    assert.equal(state.error, null, 'the engine started from the cache');
    assert.ok(state.engine, 'the worker answered init');
    assert.equal(state.brand, 'tbview');
    assert.ok(
      state.cached.some((p) => p.endsWith('/wasm/tbview_web.js')),
      state.cached.join(' '),
    );
    assert.ok(
      state.cached.every((p) => !p.startsWith('/logs/')),
      state.cached.join(' '),
    );
    await context.close();
  },
);

after(async () => {
  if (siteServer) await siteServer.stop();
});

// Shared helpers for the browser end-to-end tests (logs are written with
// tests/support/tfrecord.mjs):
//   - starting scripts/serve.mjs on a free port and launching the system Chromium;
//   - picking the engine: the real wasm module when scripts/build_wasm.sh has
//     produced it, else the JS fake engine of web/test/fake_engine.js, served in
//     its place through page.route (test-only; the fake never ships in dist/).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = path.join(ROOT, 'web/dist');
export const REAL_WASM = path.join(DIST, 'wasm/tbview_web.js');
export const HAVE_WASM = existsSync(REAL_WASM) && process.env.TBVIEW_E2E_FAKE !== '1';
/** A browser test's `skip` option: false when the app is built, else why not. */
export const SKIP_WITHOUT_DIST = existsSync(path.join(DIST, 'index.html'))
  ? false
  : 'web/dist is not built: (cd web && npx vite build)';

// ---------------------------------------------------------------- server, browser

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * Starts scripts/serve.mjs on a free port; resolves {url, port, stop()} once it
 * prints its URL.
 */
export async function startServer({ root = DIST, logdir } = {}) {
  const port = await freePort();
  const args = [path.join(ROOT, 'scripts/serve.mjs'), '--port', String(port), '--root', root];
  if (logdir) args.push('--logdir', logdir);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => {
    err += d;
  });
  await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('http://')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`serve.mjs exited ${code}: ${err}`)));
  });
  return {
    port,
    url: `http://127.0.0.1:${port}/`,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchBrowser() {
  const { chromium } = await import(path.join(ROOT, 'web/node_modules/playwright-core/index.mjs'));
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/**
 * The fake engine as a classic script defining createTbviewModule, for pages
 * tested before the wasm module exists.
 */
export function fakeEngineScript() {
  return readFileSync(path.join(ROOT, 'web/test/fake_engine.js'), 'utf8');
}

/**
 * Opens a page of the app; when the wasm module has not been built, routes its URL
 * to the fake engine. Collects page errors into page.__errors.
 */
export async function openApp(browser, url) {
  const context = await browser.newContext();
  // scripts/test.sh builds the wasm and the app before the e2e stage and sets
  // this, so a missing build fails loudly instead of quietly testing the fake.
  if (!HAVE_WASM && process.env.TBVIEW_REQUIRE_WASM === '1') {
    throw new Error(
      `${REAL_WASM} is missing: build with scripts/build_wasm.sh and (cd web && npx vite build)`,
    );
  }
  if (!HAVE_WASM) {
    const body = fakeEngineScript();
    await context.route('**/wasm/tbview_web.js', (route) =>
      route.fulfill({ status: 200, contentType: 'text/javascript', body }),
    );
  }
  const page = await context.newPage();
  page.__errors = [];
  page.on('pageerror', (e) => page.__errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') page.__errors.push(m.text());
  });
  await page.goto(url);
  await page.waitForFunction(() => window.__tbview && window.__tbview.ready);
  return page;
}

/** Waits until the app has read everything it was given. */
export async function waitIdle(page, timeout = 60_000) {
  await page.waitForFunction(
    () => document.body.dataset.state === 'idle' && window.__tbview.idle,
    null,
    { timeout },
  );
}

/**
 * The number of scalar points the viewer keeps per tag when a run's files (their
 * expected JSONs, in name order) are read as one stream: TensorBoard's Rust
 * loader's restart rule, a step lower than the last stored one drops the stored
 * points with step >= it. Scalars (data_class 1) only. Returns Map tag -> count.
 */
export function keptScalarCounts(expectedFiles) {
  const kept = new Map();
  for (const exp of expectedFiles) {
    // tags: {name: entry} (tb-reference-1), or [{tag, ...}].
    const entries = Array.isArray(exp.tags)
      ? exp.tags.map((t) => [t.tag, t])
      : Object.entries(exp.tags || {});
    for (const [tag, t] of entries) {
      if (t.data_class !== 1) continue;
      let steps = kept.get(tag) || [];
      for (const s of t.steps) {
        if (steps.length && s < steps[steps.length - 1]) steps = steps.filter((x) => x < s);
        steps.push(s);
      }
      kept.set(tag, steps);
    }
  }
  return new Map([...kept].map(([tag, steps]) => [tag, steps.length]));
}

// ---------------------------------------------------------------- one test file's set-up

/**
 * The set-up a browser test file shares between its tests, as node:test hooks.
 * Before the tests: a temporary folder (`tmp`), then `prepare(session)` (to write
 * logs with `write`), then the app server (`server`, serving `tmp/<logdir>` with
 * --logdir when `logdir` is given; its absolute path is `logdir`) and Chromium
 * (`browser`). After them: all closed and the folder removed. When the app is
 * not built nothing starts, and `skip` says why (pass it to each test).
 * @param {string} name names the temporary folder
 * @param {{logdir?: string, prepare?: (session: object) => void | Promise<void>}} [opts]
 */
export function appSession(name, { logdir, prepare } = {}) {
  const session = {
    skip: SKIP_WITHOUT_DIST,
    tmp: null,
    logdir: null,
    server: null,
    browser: null,
    /** Writes `bytes` at `rel` below tmp (folders made as needed); returns the path. */
    write(rel, bytes) {
      const p = path.join(session.tmp, rel);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, bytes);
      return p;
    },
  };
  before(async () => {
    if (session.skip) return;
    session.tmp = mkdtempSync(path.join(tmpdir(), `tbview-${name}-`));
    if (logdir) session.logdir = path.join(session.tmp, logdir);
    if (prepare) await prepare(session);
    session.server = await startServer(session.logdir ? { logdir: session.logdir } : {});
    session.browser = await launchBrowser();
  });
  after(async () => {
    if (session.browser) await session.browser.close();
    if (session.server) await session.server.stop();
    if (session.tmp) rmSync(session.tmp, { recursive: true, force: true });
  });
  return session;
}

/**
 * A new page (in its own context) at `url`, waiting until the app is ready;
 * `init` is added as an init script, `prepare(page, context)` runs before the
 * page loads (routes, request listeners). With 'about:blank' nothing loads.
 * Page errors are collected in page.__errors.
 */
export async function openPage(browser, url, { init, prepare } = {}) {
  const context = await browser.newContext();
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  page.__errors = [];
  page.on('pageerror', (e) => page.__errors.push(String(e)));
  if (prepare) await prepare(page, context);
  if (url === 'about:blank') return page;
  await page.goto(url);
  await page.waitForFunction(() => window.__tbview && window.__tbview.ready);
  return page;
}

/** Clicks Reload and waits until that reload has been read and shown. */
export async function reloadAndWait(page) {
  const n = Number(await page.evaluate(() => document.body.dataset.reloads || 0)) + 1;
  await page.click('#reload');
  await page.waitForFunction(
    (k) =>
      Number(document.body.dataset.reloads) >= k &&
      document.body.dataset.state === 'idle' &&
      window.__tbview.idle,
    n,
  );
}

/** What the Files view shows: path -> {status, records, text}. */
export function filesShown(page) {
  return page.$$eval('[data-table="files"] tbody tr', (rows) =>
    Object.fromEntries(
      rows.map((r) => [
        r.dataset.path,
        {
          status: r.dataset.status,
          records: Number(r.dataset.records),
          text: r.querySelector('.tb-status').textContent,
        },
      ]),
    ),
  );
}

/** What the tags table shows: "run\ttag" -> points. */
export function tagsShown(page) {
  return page.$$eval('[data-table="tags"] tbody tr', (rows) =>
    Object.fromEntries(
      rows.map((r) => [`${r.dataset.run}\t${r.dataset.tag}`, Number(r.dataset.points)]),
    ),
  );
}

/** The steps of the scalar tag 'loss' of `run`, as the engine keeps them. */
export function lossSteps(page, run) {
  return page.evaluate(
    async (r) => Array.from((await window.__tbview.client.scalarsFull(r, 'loss')).step),
    run,
  );
}

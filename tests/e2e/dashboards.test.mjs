// End-to-end tests of the non-scalar dashboards in headless Chromium, against the
// development harness (web/dev/dashboards.html: every dashboard mounted with the
// fake engine's demo logs, web/test/fake_logs.js). The harness is built with vite into a
// temporary folder and served by a tiny static server here.
//   node --test tests/e2e/dashboards.test.mjs
// To be switched to the real app (web/dist) once the shell mounts the dashboards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WEB = path.join(ROOT, 'web');
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

let out;
let server;
let origin;
let browser;

async function buildHarness(dir) {
  const { build } = await import(path.join(WEB, 'node_modules/vite/dist/node/index.js'));
  await build({
    root: WEB,
    base: './',
    logLevel: 'warn',
    configFile: false,
    build: {
      outDir: dir,
      emptyOutDir: true,
      rollupOptions: { input: { dashboards: path.join(WEB, 'dev/dashboards.html') } },
    },
  });
}

function serve(dir) {
  return new Promise((resolve) => {
    const s = createServer(async (req, res) => {
      const rel = path
        .normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname))
        .replace(/^([/\\]*\.\.)+/, '');
      try {
        const body = await readFile(path.join(dir, rel));
        res.writeHead(200, {
          'content-type': TYPES[path.extname(rel)] || 'application/octet-stream',
        });
        res.end(body);
      } catch {
        res.writeHead(404);
        res.end();
      }
    });
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}

before(async () => {
  out = mkdtempSync(path.join(tmpdir(), 'tbview-dash-'));
  await buildHarness(out);
  server = await serve(out);
  origin = `http://127.0.0.1:${server.address().port}`;
  const { chromium } = await import(path.join(WEB, 'node_modules/playwright-core/index.mjs'));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) await new Promise((r) => server.close(r));
  if (out) rmSync(out, { recursive: true, force: true });
});

/**
 * Opens the harness on one dashboard. Every request that is not to our own
 * origin (or a data:/blob: URL) is recorded and aborted.
 */
async function open(dash, { viewport = { width: 1400, height: 1000 } } = {}) {
  const context = await browser.newContext({ viewport });
  const foreign = [];
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(origin) || u.startsWith('data:') || u.startsWith('blob:'))
      return route.continue();
    foreign.push(u);
    return route.abort();
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${origin}/dev/dashboards.html?dash=${dash}`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 15000 });
  await page.waitForSelector(`[data-dashboard="${dash}"]`);
  return { page, context, foreign, errors };
}

test('every dashboard with data is offered and mounts with data-dashboard', async () => {
  const { page, context, errors } = await open('images');
  const ids = await page.evaluate(() => window.__harness.available);
  assert.deepEqual([...ids].sort(), [
    'audio',
    'custom_scalars',
    'distributions',
    'histograms',
    'hparams',
    'images',
    'pr_curves',
    'runs_table',
    'scalars',
    'text',
  ]);
  for (const id of ids) {
    await page.evaluate((d) => window.__harness.show(d), id);
    await page.waitForSelector(`[data-dashboard="${id}"]`);
  }
  await page.waitForTimeout(500);
  assert.deepEqual(errors, []);
  await context.close();
});

test('hostile Markdown renders inert: no script runs, no request leaves the page', async () => {
  const { page, context, foreign, errors } = await open('text');
  const card = '[data-tag="hostile/markdown"] .db-markdown';
  await page.waitForSelector(card);
  await page.waitForTimeout(500);
  const report = await page.evaluate((sel) => {
    const root = document.querySelector(sel);
    const all = [...root.querySelectorAll('*')];
    return {
      pwned: window.__pwned,
      text: root.textContent,
      bad: all
        .filter((e) =>
          /^(script|iframe|form|style|svg|link|object|embed|video|input|button|meta|base)$/i.test(
            e.tagName,
          ),
        )
        .map((e) => e.tagName),
      handlers: all.flatMap((e) =>
        [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName}.${a.name}`),
      ),
      styles: all.filter((e) => e.hasAttribute('style')).length,
      imgs: [...root.querySelectorAll('img')].map((i) => i.getAttribute('src')),
      hrefs: [...root.querySelectorAll('a')].map((a) => [
        a.getAttribute('href'),
        a.getAttribute('rel'),
      ]),
      blocked: root.querySelectorAll('.md-blocked-img').length,
      classes: all.flatMap((e) => [...e.classList]).filter((c) => !/^(language|lang|md)-/.test(c)),
    };
  }, card);
  assert.equal(report.pwned, undefined);
  assert.deepEqual(report.bad, []);
  assert.deepEqual(report.handlers, []);
  assert.equal(report.styles, 0);
  assert.deepEqual(report.classes, [], "a log cannot borrow the app's class names");
  assert.ok(
    report.text.includes('Hostile log') && report.text.includes('para with onclick'),
    'benign content kept',
  );
  assert.ok(
    report.imgs.every((s) => s && (s.startsWith('data:image/png') || s.startsWith('blob:'))),
    JSON.stringify(report.imgs),
  );
  assert.equal(report.imgs.length, 1, 'the inline data: image is kept');
  assert.ok(report.blocked >= 3, 'remote images become placeholders');
  for (const [href, rel] of report.hrefs) {
    if (href === null) continue;
    assert.ok(/^https?:/.test(href), href);
    assert.match(rel, /noopener/);
  }
  // Interact: hover and click everything; still nothing may run.
  await page.hover(`${card} p:last-of-type`).catch(() => {});
  await page.click(`${card} summary`).catch(() => {});
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(foreign, [], 'no request to any other origin');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the sanitizer neutralises classic XSS and beacon vectors in the live document', async () => {
  const { page, context, foreign } = await open('text');
  const vectors = [
    '<img src=x onerror="window.__pwned=1">',
    '<svg><script>window.__pwned=2</script></svg>',
    '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=3">',
    '<a href="jav&#x09;ascript:window.__pwned=4">x</a>',
    '<iframe srcdoc="<script>parent.__pwned=5</script>"></iframe>',
    '<meta http-equiv="refresh" content="0;url=http://evil.example/">',
    '<base href="http://evil.example/">',
    '<img src="data:image/svg+xml,<svg onload=window.__pwned=6>">',
    '<div style="background-image:url(http://evil.example/a.png)">a</div>',
    '<link rel=prefetch href="http://evil.example/p">',
    '<audio src="http://evil.example/a.wav" autoplay></audio>',
    '<object data="http://evil.example/o"></object>',
    '<form><button formaction="javascript:window.__pwned=7">b</button></form>',
    '<details open ontoggle="window.__pwned=8">d</details>',
    '![x](http://evil.example/md.png "t")',
    '[y](javascript:window.__pwned=9)',
    '<noscript><p title="</noscript><img src=x onerror=window.__pwned=10>">',
    '<table background="http://evil.example/t.png"><tr><td>t</td></tr></table>',
    '<input type="image" src="http://evil.example/i.png">',
    '<video poster="http://evil.example/p.png"></video>',
  ];
  const html = await page.evaluate((vs) => {
    const host = document.createElement('div');
    host.className = 'db-markdown';
    document.body.append(host);
    for (const v of vs) {
      const d = document.createElement('div');
      d.append(window.__harness.renderMarkdown(v));
      host.append(d);
    }
    return host.innerHTML;
  }, vectors);
  await page.waitForTimeout(800);
  assert.equal(await page.evaluate(() => window.__pwned), undefined, html);
  assert.deepEqual(foreign, [], 'no request to any other origin');
  assert.doesNotMatch(
    html,
    /evil\.example\/(?!md\.png)/,
    'no remote URL survives as an attribute (md.png only in a title)',
  );
  assert.doesNotMatch(html, /javascript:/i);
  assert.doesNotMatch(html, /<(script|iframe|meta|base|link|object|audio|video|form|svg|style)\b/i);
  await context.close();
});

test("an image's pixels are the PNG's, at every step of the slider", async () => {
  const { testPicture } = await import(path.join(WEB, 'test/fake_logs.js'));
  const { page, context, errors } = await open('images');
  const sel = 'img.db-image[data-run="mnist/adam"][data-tag="input/samples"]';
  await page.waitForSelector(`${sel}[data-loaded="1"]`, { timeout: 10000 });
  const pixels = () =>
    page.evaluate((s) => {
      const img = document.querySelector(s);
      const c = document.createElement('canvas');
      c.width = img.naturalWidth;
      c.height = img.naturalHeight;
      const g = c.getContext('2d');
      g.drawImage(img, 0, 0);
      return {
        w: c.width,
        h: c.height,
        step: img.dataset.step,
        index: Number(img.dataset.index),
        data: Array.from(g.getImageData(0, 0, c.width, c.height).data),
      };
    }, sel);
  const expectRgb = (index, sample) =>
    testPicture(96, 64, 1 /* mnist/adam is run 0 of the fake: seed r + 1 */, index, sample);
  const compare = (got, want) => {
    assert.equal(got.w, 96);
    assert.equal(got.h, 64);
    let diff = 0;
    for (let i = 0, j = 0; i < want.length; i += 3, j += 4) {
      diff = Math.max(
        diff,
        Math.abs(got.data[j] - want[i]),
        Math.abs(got.data[j + 1] - want[i + 1]),
        Math.abs(got.data[j + 2] - want[i + 2]),
      );
      assert.equal(got.data[j + 3], 255);
    }
    assert.equal(diff, 0, 'pixels differ');
  };
  const steps = await page.evaluate(() =>
    window.__harness.client.tensorSteps('mnist/adam', 'input/samples'),
  );
  const n = Object.keys(steps.step).length;
  const card = `article.db-card[data-run="mnist/adam"][data-tag="input/samples"]`;
  assert.equal(
    await page.getAttribute(`${card} .db-step-slider:not(.db-sample-row) input`, 'max'),
    String(n - 1),
    'one slider position per step',
  );
  let got = await pixels();
  assert.equal(got.index, n - 1, 'starts at the newest step');
  compare(got, expectRgb(n - 1, 0));
  // First step, then the third sample of it.
  await page.fill(`${card} .db-step-slider:not(.db-sample-row) input`, '0');
  await page.waitForFunction(
    (s) =>
      document.querySelector(s).dataset.index === '0' &&
      document.querySelector(s).dataset.loaded === '1',
    sel,
  );
  compare(await pixels(), expectRgb(0, 0));
  await page.fill(`${card} .db-sample-row input`, '2');
  await page.waitForFunction(
    (s) =>
      document.querySelector(s).dataset.sample === '2' &&
      document.querySelector(s).dataset.loaded === '1',
    sel,
  );
  compare(await pixels(), expectRgb(0, 2));
  // Brightness is a CSS filter on the element, not a re-encode.
  await page.fill('[data-dashboard="images"] input[aria-label="Brightness"]', '1.5');
  assert.match(
    await page.evaluate((s) => getComputedStyle(document.querySelector(s)).filter, sel),
    /brightness\(1\.5\)/,
  );
  // The BMP tag shows too (type sniffed from bytes).
  await page.waitForSelector('img.db-image[data-tag="debug/attention_map"][data-loaded="1"]');
  assert.match(
    await page.getAttribute('img.db-image[data-tag="debug/attention_map"]', 'title'),
    /BMP/,
  );
  assert.deepEqual(errors, []);
  await context.close();
});

test('histogram offset view draws one curve per step; overlay toggles', async () => {
  const { page, context, errors } = await open('histograms');
  const card = 'article.db-card[data-run="mnist/adam"][data-tag="weights/dense1"]';
  await page.waitForSelector(`${card}[data-curves]`, { timeout: 10000 });
  const n = await page.evaluate(
    async () => (await window.__harness.client.tensors('mnist/adam', 'weights/dense1')).step.length,
  );
  assert.equal(await page.getAttribute(card, 'data-curves'), String(n));
  assert.equal(await page.getAttribute(card, 'data-mode'), 'offset');
  // Hover shows a tooltip with step, bin and count.
  const box = await page.locator(`${card} canvas`).boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height - 40);
  await page.waitForSelector('.db-tooltip:not([hidden])');
  const tip = await page.textContent('.db-tooltip');
  assert.match(tip, /Step/);
  assert.match(tip, /Bin/);
  assert.match(tip, /Count/);
  await page.click('[data-dashboard="histograms"] .db-seg-btn:has-text("Overlay")');
  assert.equal(await page.getAttribute(card, 'data-mode'), 'overlay');
  assert.equal(await page.getAttribute(card, 'data-curves'), String(n));
  assert.deepEqual(errors, []);
  await context.close();
});

test('distributions, PR curves, audio and custom scalars draw from the client', async () => {
  const { page, context, errors } = await open('distributions');
  await page.waitForSelector(
    'article.db-card[data-run="mnist/sgd"][data-tag="weights/dense1"][data-steps="60"]',
  );
  await page.evaluate(() => window.__harness.show('pr_curves'));
  await page.waitForSelector('article.db-pr-card[data-tag="pr/cat"][data-curves="3"]');
  await page.evaluate(() => window.__harness.show('audio'));
  await page.waitForSelector(
    'article.db-card[data-tag="audio/generated"] audio[data-sample-rate="16000"]',
  );
  const info = await page.textContent(
    'article.db-card[data-run="mnist/adam"][data-tag="audio/generated"] .db-audio-info',
  );
  assert.match(info, /16 kHz · mono · 16-bit PCM · 0\.6 s/);
  await page.evaluate(() => window.__harness.show('custom_scalars'));
  await page.waitForSelector('.db-cs-card[data-kind="multiline"] .db-line-chart[data-series="6"]');
  await page.waitForSelector('.db-cs-card[data-kind="margin"] .db-line-chart[data-series="3"]');
  assert.deepEqual(errors, []);
  await context.close();
});

test('hparams: table sorts and filters; plots and session curves', async () => {
  const { page, context, errors } = await open('hparams');
  const rows = () =>
    page.$$eval('[data-dashboard="hparams"] tbody tr', (trs) => trs.map((t) => t.dataset.run));
  await page.waitForSelector('[data-dashboard="hparams"] tbody tr');
  assert.equal((await rows()).length, 12);
  await page.click('[data-dashboard="hparams"] th button:has-text("Val accuracy")');
  const vals = await page.$$eval('[data-dashboard="hparams"] tbody tr', (trs) =>
    trs.map((t) => Number(t.children[t.children.length - 3].textContent)),
  );
  assert.deepEqual(
    vals,
    [...vals].sort((a, b) => b - a),
    'higher-is-better metric sorts descending first',
  );
  // Filter: uncheck optimizer "sgd".
  await page.click(
    '[data-dashboard="hparams"] [data-col="h:optimizer"] label:has-text("sgd") input',
  );
  assert.equal((await rows()).length, 8);
  // Range filter on dropout.
  await page.fill('[data-dashboard="hparams"] input[aria-label="Dropout max"]', '0.15');
  const left = await rows();
  assert.ok(left.length > 0 && left.length < 8);
  // Select a session: its curves appear.
  await page.click(`[data-dashboard="hparams"] tbody tr[data-run="${left[0]}"]`);
  await page.waitForSelector(
    `.db-hp-detail[data-session="${left[0]}"] .db-line-chart[data-series="1"]`,
  );
  await page.click('[data-dashboard="hparams"] .db-seg-btn:has-text("Parallel coordinates")');
  assert.equal(await page.getAttribute('.db-pc', 'data-lines'), String(left.length));
  await page.click('[data-dashboard="hparams"] .db-seg-btn:has-text("Scatter plot matrix")');
  assert.equal(await page.getAttribute('.db-spm', 'data-cells'), '15');
  assert.deepEqual(errors, []);
  await context.close();
});

test('shared view state: hiding a run and the tag filter apply to the dashboards', async () => {
  const { page, context } = await open('images');
  await page.waitForSelector('img.db-image[data-run="mnist/sgd"]');
  await page.evaluate(() => window.__harness.store.update({ hiddenRuns: ['mnist/sgd'] }));
  await page.waitForFunction(() => !document.querySelector('img.db-image[data-run="mnist/sgd"]'));
  await page.evaluate(() => window.__harness.store.update({ tagFilter: '^debug' }));
  await page.waitForFunction(
    () => !document.querySelector('img.db-image[data-tag="input/samples"]'),
  );
  assert.ok(await page.$('img.db-image[data-tag="debug/attention_map"]'));
  assert.match(page.url(), /hide=mnist%2Fsgd/);
  await page.evaluate(() => window.__harness.show('runs_table'));
  await page.waitForSelector('[data-dashboard="runs_table"] tbody tr');
  assert.equal(await page.$('[data-dashboard="runs_table"] tbody tr[data-run="mnist/sgd"]'), null);
  assert.ok(await page.$('[data-dashboard="runs_table"] tbody tr[data-run="mnist/adam"]'));
  await context.close();
});

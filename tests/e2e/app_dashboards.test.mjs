// End-to-end: every dashboard of the real app (real worker, real wasm engine) on
// the demo log set written by the project's own writer (`tbview demo`).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
  DIST,
  HAVE_WASM,
  ROOT,
  launchBrowser,
  openApp,
  startServer,
  waitIdle,
} from './helpers.mjs';

const CLI = path.join(ROOT, 'build/native/tbview');
const skip =
  !existsSync(path.join(DIST, 'index.html')) || !HAVE_WASM || !existsSync(CLI)
    ? 'needs web/dist, the wasm engine and build/native/tbview (scripts/test.sh builds them)'
    : false;

let tmp;
let server;
let browser;
let page;

before(async () => {
  if (skip) return;
  tmp = mkdtempSync(path.join(tmpdir(), 'tbview-demo-e2e-'));
  execFileSync(CLI, ['demo', tmp]);
  server = await startServer({ logdir: tmp });
  browser = await launchBrowser();
  page = await openApp(browser, server.url);
  await waitIdle(page);
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function openTab(id) {
  await page.click(`[data-tab="${id}"]`);
  await page.waitForSelector(`[data-view="${id}"] [data-dashboard="${id}"]`);
}

test('every kind of data in the demo logs gets its tab', { skip }, async () => {
  const shown = await page.$$eval('[data-tab]:not([hidden])', (tabs) =>
    tabs.map((t) => t.dataset.tab),
  );
  for (const id of [
    'scalars',
    'custom_scalars',
    'images',
    'audio',
    'histograms',
    'distributions',
    'text',
    'pr_curves',
    'hparams',
    'runs_table',
    'files',
  ]) {
    assert.ok(shown.includes(id), `tab ${id} shown (shown: ${shown})`);
  }
});

test('images: the logged PNG is shown at its size, for every step', { skip }, async () => {
  await openTab('images');
  const img = await page.waitForSelector(
    '[data-view="images"] img[data-run="lr=0.1,batch=32/train"]',
  );
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, img);
  assert.deepEqual(await img.evaluate((el) => [el.naturalWidth, el.naturalHeight]), [64, 48]);
  // The slider reaches every step that has an image.
  const steps = await img.evaluate((el) => {
    let card = el;
    while (card && !card.querySelector('input.db-slider')) card = card.parentElement;
    const r = card.querySelector('input.db-slider');
    return Number(r.max) - Number(r.min) + 1;
  });
  assert.equal(steps, 10);
  // The pixels are the logged image's: same bytes as the engine's blob, decoded.
  const same = await img.evaluate(async (el) => {
    const blob = await window.__tbview.client.blob('lr=0.1,batch=32/train', 'samples/blob', 9, 2);
    const bmp = await createImageBitmap(new Blob([blob], { type: 'image/png' }));
    const draw = (src) => {
      const c = new OffscreenCanvas(64, 48);
      const g = c.getContext('2d');
      g.drawImage(src, 0, 0);
      return g.getImageData(0, 0, 64, 48).data;
    };
    const a = draw(el);
    const b = draw(bmp);
    let nonzero = 0;
    for (let i = 0; i < a.length; i++) {
      if (a[i] !== b[i]) return false;
      if (a[i]) nonzero++;
    }
    return nonzero > 1000;
  });
  assert.ok(same, 'displayed pixels equal the logged PNG and are not blank');
});

test('histograms: the offset view draws one curve per logged step', { skip }, async () => {
  await openTab('histograms');
  const el = await page.waitForSelector('[data-view="histograms"] [data-curves]');
  await page.waitForFunction((e) => Number(e.dataset.curves) > 0, el);
  assert.equal(Number(await el.getAttribute('data-curves')), 20);
});

test('text: Markdown is rendered', { skip }, async () => {
  await openTab('text');
  await page.waitForSelector('[data-view="text"] .db-markdown h2');
  const h = await page.$eval('[data-view="text"] .db-markdown h2', (e) => e.textContent);
  assert.equal(h, 'Demo run');
});

test('hparams: one row per session with its eval metrics', { skip }, async () => {
  await openTab('hparams');
  await page.waitForSelector('[data-view="hparams"] tbody tr');
  const rows = await page.$$eval('[data-view="hparams"] tbody tr', (trs) =>
    trs.map((tr) => tr.textContent),
  );
  assert.equal(rows.length, 4);
  const lr01 = rows.find((r) => r.includes('lr=0.1,batch=32'));
  assert.ok(lr01 && !/—\s*—/.test(lr01), `metrics shown: ${lr01}`);
});

test('the page logged no errors', { skip }, async () => {
  assert.deepEqual(page.__errors, []);
});

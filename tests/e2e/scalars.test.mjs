// End-to-end tests of the Scalars dashboard in headless Chromium, on the real
// app: web/ is built with vite into a temporary folder, a generated log
// directory (3 runs, 4 scalar tags, 300 steps each, run i starting at step
// 100 i so every run has a stretch of its own) is served beside it by
// scripts/serve.mjs, and the page opens it by itself. The engine is the real
// wasm module when built, else the fake engine (see helpers.mjs).
//   node --test tests/e2e/scalars.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scalarLog } from '../support/tfrecord.mjs';
import { ROOT, launchBrowser, openApp, startServer, waitIdle } from './helpers.mjs';

const RUNS = ['exp/run_b', 'run_a', 'run_c'];
const TAGS = ['loss/train', 'loss/eval', 'metrics/acc', 'lr'];
const STEPS = 300;
const START = (i) => i * 100;
const WALL0 = (i) => 1_600_000_000 + i * 1000;

let work;
let server;
let browser;

before(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'tbview-scalars-'));
  const logdir = path.join(work, 'logs');
  RUNS.forEach((run, i) => {
    mkdirSync(path.join(logdir, run), { recursive: true });
    writeFileSync(
      path.join(logdir, run, `events.out.tfevents.${1_600_000_000 + i}.host`),
      scalarLog({ tags: TAGS, steps: STEPS, startStep: START(i), wallTime0: WALL0(i) }),
    );
  });
  const dist = path.join(work, 'dist');
  const { build } = await import(path.join(ROOT, 'web/node_modules/vite/dist/node/index.js'));
  await build({
    root: path.join(ROOT, 'web'),
    logLevel: 'warn',
    build: { outDir: dist, emptyOutDir: true },
  });
  server = await startServer({ root: dist, logdir });
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Opens the app (optionally with a query string) and waits for drawn cards. */
async function open(query = '') {
  const page = await openApp(browser, `${server.url}${query}`);
  await waitIdle(page);
  await page.waitForSelector('.sc-card[data-drawn="1"]');
  return page;
}

const card = (page, tag) => page.locator(`.sc-card[data-tag="${tag}"]`);

/** Pixels of the card's canvas that are neither transparent nor near-white. */
function inkedPixels(page, tag) {
  return page.$eval(`.sc-card[data-tag="${tag}"] canvas`, (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] > 0 && (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200)) n++;
    }
    return n;
  });
}

/** Count of pixels whose colour is close to `hex` (a run's line colour). */
function pixelsOfColor(page, tag, hex) {
  return page.$eval(
    `.sc-card[data-tag="${tag}"] canvas`,
    (c, h) => {
      const want = [1, 3, 5].map((k) => parseInt(h.slice(k, k + 2), 16));
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (
          Math.abs(d[i] - want[0]) + Math.abs(d[i + 1] - want[1]) + Math.abs(d[i + 2] - want[2]) <
          40
        )
          n++;
      }
      return n;
    },
    hex,
  );
}

async function waitRerender(page, tag, before) {
  await page.waitForFunction(
    ([t, n]) => {
      const el = document.querySelector(`.sc-card[data-tag="${t}"]`);
      return el && Number(el.dataset.renders) > n && el.dataset.drawn === '1';
    },
    [tag, before],
  );
}

test('cards are drawn: one per scalar tag, grouped, non-blank canvases with every run', async () => {
  const page = await open();
  const tags = await page.$$eval('.sc-card', (els) => els.map((e) => e.dataset.tag).sort());
  assert.deepEqual(tags, [...TAGS].sort());
  const groups = await page.$$eval('.sc-group', (els) => els.map((e) => e.dataset.group));
  assert.deepEqual(groups, ['loss', 'lr', 'metrics']);
  const c = card(page, 'loss/train');
  assert.equal(await c.getAttribute('data-runs'), RUNS.join(','));
  assert.ok((await inkedPixels(page, 'loss/train')) > 500, 'canvas has drawn lines');
  // Each run's stable colour is on the canvas.
  const colors = await page.$$eval('.sc-run input', (els) =>
    els.map((e) => e.style.getPropertyValue('--run-color')),
  );
  assert.equal(new Set(colors).size, RUNS.length);
  for (const col of colors)
    assert.ok((await pixelsOfColor(page, 'loss/train', col)) > 20, `colour ${col} drawn`);
  // Never more than ~2 points per pixel column reach Vega.
  const width = await c.locator('canvas').evaluate((el) => el.clientWidth);
  const points = Number(await c.getAttribute('data-points'));
  assert.ok(
    points > 0 && points <= RUNS.length * (2 * width + 4),
    `points ${points} for width ${width}`,
  );
  // (a missing favicon is the shell's business, not an error of this dashboard)
  assert.deepEqual(
    page.__errors.filter((e) => !/favicon|Failed to load resource/.test(e)),
    [],
  );
  await page.context().close();
});

test('smoothing slider updates the URL and re-renders', async () => {
  const page = await open();
  const before = Number(await card(page, 'loss/train').getAttribute('data-renders'));
  await page.$eval('.sc-smoothing-slider', (s) => {
    s.value = '0.9';
    s.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await page.waitForFunction(() => new URLSearchParams(location.search).get('smoothing') === '0.9');
  await waitRerender(page, 'loss/train', before);
  assert.equal(await page.inputValue('.sc-smoothing-value'), '0.9');
  await page.context().close();
});

test('the URL restores the view after a reload', async () => {
  const page = await open();
  await page.click('.sc-x-axis button[data-value="relative"]');
  await page.click('.sc-y-scale button[data-value="log"]');
  await page.click('.sc-outliers');
  await page.fill('.sc-tag-filter input', 'loss');
  await page.click('.sc-run input[data-run="run_c"]');
  await page.waitForFunction(
    () => new URLSearchParams(location.search).get('tagFilter') === 'loss',
  );
  const url = page.url();
  for (const [k, v] of [
    ['x', 'relative'],
    ['y', 'log'],
    ['outliers', '0'],
    ['hide', 'run_c'],
  ]) {
    assert.equal(new URL(url).searchParams.get(k), v);
  }
  await page.reload();
  await waitIdle(page);
  await page.waitForSelector('.sc-card[data-drawn="1"]');
  assert.equal(page.url(), url);
  assert.equal(await page.getAttribute('.sc-x-axis button.active', 'data-value'), 'relative');
  assert.equal(await page.getAttribute('.sc-y-scale button.active', 'data-value'), 'log');
  assert.equal(await page.isChecked('.sc-outliers'), false);
  assert.equal(await page.inputValue('.sc-tag-filter input'), 'loss');
  assert.equal(await page.isChecked('.sc-run input[data-run="run_c"]'), false);
  const tags = await page.$$eval('.sc-card', (els) => els.map((e) => e.dataset.tag).sort());
  assert.deepEqual(tags, ['loss/eval', 'loss/train']);
  assert.equal(await card(page, 'loss/train').getAttribute('data-runs'), 'exp/run_b,run_a');
  await page.context().close();
});

test('pinning moves a card to a Pinned group on top, and survives a reload', async () => {
  const page = await open();
  await card(page, 'metrics/acc').locator('.sc-pin').click();
  await page.waitForFunction(
    () => document.querySelector('.sc-group')?.dataset.group === ':pinned',
  );
  const first = await page.$eval('.sc-group', (g) =>
    [...g.querySelectorAll('.sc-card')].map((c) => c.dataset.tag),
  );
  assert.deepEqual(first, ['metrics/acc']);
  const yPinned = (await card(page, 'metrics/acc').boundingBox()).y;
  const yOther = (await card(page, 'loss/eval').boundingBox()).y;
  assert.ok(yPinned < yOther);
  assert.deepEqual(new URL(page.url()).searchParams.getAll('pin'), ['metrics/acc']);
  await card(page, 'metrics/acc').waitFor();
  await page.waitForSelector('.sc-card[data-tag="metrics/acc"][data-drawn="1"]');
  await page.reload();
  await waitIdle(page);
  await page.waitForFunction(
    () => document.querySelector('.sc-group')?.dataset.group === ':pinned',
  );
  await page.context().close();
});

test('brush zooms (re-query), double-click resets', async () => {
  const page = await open();
  const c = card(page, 'loss/train');
  const before = Number(await c.getAttribute('data-renders'));
  const box = await c.locator('canvas').boundingBox();
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  await waitRerender(page, 'loss/train', before);
  assert.equal(await c.locator('.sc-reset').isVisible(), true);
  // The tooltip lists every run at the hovered step.
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
  await page.waitForSelector('.sc-tooltip:not([hidden])');
  assert.equal(await page.locator('.sc-tooltip tbody tr').count(), RUNS.length);
  await page.mouse.dblclick(box.x + box.width * 0.5, box.y + box.height / 2);
  await waitRerender(page, 'loss/train', before + 1);
  assert.equal(await c.locator('.sc-reset').isVisible(), false);
  await page.context().close();
});

test('CSV download: exact header and one row per step', async () => {
  const page = await open();
  const c = card(page, 'loss/train');
  await c.locator('.sc-download').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    c.locator('[data-download="csv"][data-run="run_a"]').click(),
  ]);
  assert.equal(download.suggestedFilename(), 'run-run_a-tag-loss_train.csv');
  const text = readFileSync(await download.path(), 'utf8');
  const lines = text.trimEnd().split('\n');
  assert.equal(lines[0], 'Wall time,Step,Value');
  assert.equal(lines.length, STEPS + 1);
  const i = RUNS.indexOf('run_a');
  const s1 = START(i) + 1;
  const [wall, step, value] = lines[2].split(',').map(Number);
  assert.equal(step, s1);
  assert.equal(wall, WALL0(i) + s1);
  assert.ok(Math.abs(value - 1 / (s1 + 1)) < 1e-6);
  // JSON of the same run: [wall, step, value] triples.
  await c.locator('.sc-download').click();
  const [dj] = await Promise.all([
    page.waitForEvent('download'),
    c.locator('[data-download="json"][data-run="run_a"]').click(),
  ]);
  const json = JSON.parse(readFileSync(await dj.path(), 'utf8'));
  assert.equal(json.length, STEPS);
  assert.deepEqual(json[1].slice(0, 2), [WALL0(i) + s1, s1]);
  await page.context().close();
});

// End-to-end: images reach the Images dashboard by reference (ARCHITECTURE.md: "keep
// (file, offset, length) and slice the File or range-request the URL on
// demand"), in the real app (real worker, real wasm engine), on the demo logs.
// - Picked with the folder picker: the shown image's bytes came from a
//   File.slice (client.blobReads.fileSlices), never from the worker's heap.
// - Served with scripts/serve.mjs --logdir: from an HTTP Range request.
// In both, the bytes are exactly the logged PNG (found verbatim in the file on
// disk) and the shown pixels are that PNG's.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
const RUN = 'lr=0.1,batch=32/train';

let tmp;
let browser;

before(async () => {
  if (skip) return;
  tmp = mkdtempSync(path.join(tmpdir(), 'tbview-blobref-e2e-'));
  execFileSync(CLI, ['demo', tmp]);
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** The train run's event file on disk (the demo writes one per run). */
function trainFileBytes() {
  const dir = path.join(tmp, ...RUN.split('/'));
  const names = readdirSync(dir)
    .filter((n) => n.includes('tfevents'))
    .sort();
  return Buffer.concat(names.map((n) => readFileSync(path.join(dir, n))));
}

/**
 * Opens the Images tab, waits for the train run's image, and returns what the
 * client read and whether the shown pixels equal the bytes of blob() (last step).
 */
async function showImage(page) {
  const before = await page.evaluate(() => ({ ...window.__tbview.client.blobReads }));
  await page.click('[data-tab="images"]');
  await page.waitForSelector('[data-view="images"] [data-dashboard="images"]');
  const img = await page.waitForSelector(`[data-view="images"] img[data-run="${RUN}"]`);
  await page.waitForFunction(
    (el) => el.complete && el.naturalWidth > 0 && el.dataset.loaded === '1',
    img,
  );
  const shown = await page.evaluate(() => ({ ...window.__tbview.client.blobReads }));
  const result = await img.evaluate(async (el, run) => {
    const index = Number(el.dataset.index);
    const bytes = await window.__tbview.client.blob(
      run,
      'samples/blob',
      index,
      2 + Number(el.dataset.sample),
    );
    const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const draw = (src) => {
      const c = new OffscreenCanvas(64, 48);
      const g = c.getContext('2d');
      g.drawImage(src, 0, 0);
      return g.getImageData(0, 0, 64, 48).data;
    };
    const a = draw(el);
    const b = draw(bmp);
    let same = a.length === b.length;
    let nonzero = 0;
    for (let i = 0; same && i < a.length; i++) {
      if (a[i] !== b[i]) same = false;
      if (a[i]) nonzero++;
    }
    return {
      same: same && nonzero > 1000,
      size: [el.naturalWidth, el.naturalHeight],
      bytes: Array.from(bytes),
    };
  }, RUN);
  return { before, shown, ...result };
}

test('picked files: the shown image is a File slice of the logged PNG', { skip }, async () => {
  const server = await startServer({});
  try {
    const page = await openApp(browser, server.url);
    await page.setInputFiles('#folder-input', tmp);
    await waitIdle(page);
    const r = await showImage(page);
    assert.deepEqual(r.size, [64, 48]);
    assert.ok(r.same, 'displayed pixels equal the PNG read by reference');
    assert.equal(r.before.fileSlices, 0, 'nothing read by reference before the tab was shown');
    assert.ok(
      r.shown.fileSlices >= 1,
      `the shown image came through File.slice (${JSON.stringify(r.shown)})`,
    );
    assert.equal(r.shown.rangeRequests, 0);
    // The bytes are the logged PNG, verbatim in the file on disk.
    const png = Buffer.from(r.bytes);
    assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
    assert.ok(trainFileBytes().indexOf(png) > 0, 'the PNG is a slice of the event file');
    // tensor() (what the Audio dashboard reads) resolves its references too.
    const clip = await page.evaluate(async (run) => {
      const t = await window.__tbview.client.tensor(run, 'audio/tone', 0);
      return {
        refs: 'refs' in t,
        isBytes: t.strings[0] instanceof Uint8Array,
        head: Array.from(t.strings[0].subarray(0, 4)),
      };
    }, RUN);
    assert.deepEqual(clip, { refs: false, isBytes: true, head: [82, 73, 70, 70] }); // 'RIFF'
    // The worker's heap holds no image or clip.
    const stats = await page.evaluate(() => window.__tbview.client.stats());
    assert.equal(stats.blobBytesHeld, 0);
    assert.ok(stats.blobsByReference > 0);
    assert.deepEqual(page.__errors, []);
    await page.context().close();
  } finally {
    await server.stop();
  }
});

test('a served logdir: the shown image is an HTTP Range request', { skip }, async () => {
  const server = await startServer({ logdir: tmp });
  try {
    const page = await openApp(browser, server.url);
    await waitIdle(page);
    const r = await showImage(page);
    assert.deepEqual(r.size, [64, 48]);
    assert.ok(r.same, 'displayed pixels equal the PNG read by reference');
    assert.ok(
      r.shown.rangeRequests >= 1,
      `the shown image came through a Range request (${JSON.stringify(r.shown)})`,
    );
    assert.equal(r.shown.fileSlices, 0);
    assert.ok(
      trainFileBytes().indexOf(Buffer.from(r.bytes)) > 0,
      'the PNG is a slice of the event file',
    );
    assert.deepEqual(page.__errors, []);
    await page.context().close();
  } finally {
    await server.stop();
  }
});

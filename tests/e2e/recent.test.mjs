// End-to-end: recent logdirs on the start screen (web/src/sources/recent.js,
// web/src/shell/recent_ui.js). Nothing is stored until a box is ticked; with
// "Remember", links and picked folders (handles in IndexedDB) are listed
// and reopen with one click; with "Keep dropped folders offline", a drop's
// bytes are copied into the origin-private file system and reopen from there;
// "Clear" removes every trace. The folder picker is replaced (addInitScript)
// by one returning an OPFS folder, as in reload.test.mjs.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { serveWith } from './cors_server.mjs';
import { scalarLog } from '../support/tfrecord.mjs';
import { DIST, launchBrowser, startServer, waitIdle } from './helpers.mjs';

const HAVE_DIST = existsSync(path.join(DIST, 'index.html'));
const skip = HAVE_DIST ? false : 'web/dist is not built: (cd web && npx vite build)';

let tmp;
let server;
let browser;

before(async () => {
  if (skip) return;
  tmp = mkdtempSync(path.join(tmpdir(), 'tbview-recent-'));
  mkdirSync(path.join(tmp, 'logs/run a'), { recursive: true });
  writeFileSync(
    path.join(tmp, 'logs/run a/events.out.tfevents.1.h'),
    scalarLog({ tags: ['loss'], steps: 4 }),
  );
  server = await startServer(); // the app only: links point at a second server's logdir
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const PICKER = `
  window.showDirectoryPicker = async () => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('picked', { create: true });
    const run = await dir.getDirectoryHandle('run p', { create: true });
    const fh = await run.getFileHandle('events.out.tfevents.1.h', { create: true });
    const w = await fh.createWritable();
    await w.write(new Uint8Array(window.__pickedBytes));
    await w.close();
    return dir;
  };
`;

/** Everything the app may have stored: localStorage keys, IndexedDB names, OPFS entries. */
function stored(page) {
  return page.evaluate(async () => {
    const keys = Object.keys(localStorage)
      .filter((k) => k.startsWith('tbview.') && k !== 'tbview.reloadSeconds')
      .sort();
    const dbs = (await indexedDB.databases()).map((d) => d.name).sort();
    const opfs = [];
    for await (const [name] of (await navigator.storage.getDirectory()).entries()) opfs.push(name);
    return { keys, dbs, opfs: opfs.sort() };
  });
}

async function start(context, url = server.url) {
  const page = await context.newPage();
  page.__errors = [];
  page.on('pageerror', (e) => page.__errors.push(String(e)));
  await page.goto(`${url}${url.includes('?') ? '&' : '?'}reload=0`);
  await page.waitForFunction(
    () => window.__tbview && window.__tbview.ready && document.body.dataset.state === 'idle',
  );
  return page;
}

const recentItems = (page) =>
  page.$$eval('#recent-list li', (lis) =>
    lis.map((li) => `${li.dataset.kind}: ${li.querySelector('.tb-recent-open').textContent}`),
  );
const runs = (page) => page.evaluate(() => window.__tbview.client.runs());

test(
  'nothing is stored unless chosen; Remember lists links and folders, which reopen; Clear removes all',
  { skip },
  async () => {
    const logs = await serveWith(['--logdir', path.join(tmp, 'logs'), '--cors']);
    const context = await browser.newContext();
    const bytes = [...scalarLog({ tags: ['loss'], steps: 3 })];
    await context.addInitScript((b) => {
      window.__pickedBytes = b;
    }, bytes);
    await context.addInitScript(PICKER);
    try {
      // 1. Opening a link without opting in stores nothing.
      let page = await start(
        context,
        `${server.url}?url=${encodeURIComponent(`${logs.url}logdir/`)}`,
      );
      await waitIdle(page);
      assert.deepEqual(await runs(page), ['run a']);
      assert.deepEqual(await stored(page), { keys: [], dbs: [], opfs: [] });
      await page.close();

      // 2. Opt in, open a link by the field and a folder by the picker.
      page = await start(context);
      assert.equal(await page.isVisible('#recent'), true);
      assert.deepEqual(await recentItems(page), []);
      await page.check('#recent-remember');
      await page.fill('#url-input', `${logs.url}logdir/`);
      await page.click('#url-form button[type="submit"]');
      await page.waitForFunction(() => document.body.dataset.reloads === '1');
      await waitIdle(page);
      await page.close();
      page = await start(context);
      await page.click('.tb-welcome [data-action="open-folder"]');
      await page.waitForFunction(() => document.body.dataset.reloads === '1');
      await waitIdle(page);
      assert.deepEqual(await runs(page), ['run p']);
      await page.close();

      // 3. A new page lists both, newest first; each reopens with one click.
      page = await start(context);
      assert.deepEqual(await recentItems(page), ['handle: picked', `url: ${logs.url}logdir/`]);
      assert.equal(await page.isChecked('#recent-remember'), true);
      await page.click('#recent-list li[data-kind="url"] .tb-recent-open');
      await page.waitForFunction(() => document.body.dataset.reloads === '1');
      await waitIdle(page);
      assert.deepEqual(await runs(page), ['run a']);
      await page.close();
      page = await start(context);
      await page.click('#recent-list li[data-kind="handle"] .tb-recent-open');
      await page.waitForFunction(() => document.body.dataset.reloads === '1');
      await waitIdle(page);
      assert.deepEqual(await runs(page), ['run p']);
      const s = await stored(page);
      assert.deepEqual(s.keys, ['tbview.recent', 'tbview.remember']);
      assert.deepEqual(s.dbs, ['tbview-recent']);
      await page.close();

      // 4. Clear: the list, the handles and the choice are gone.
      page = await start(context);
      await page.click('#recent-clear');
      await page.waitForFunction(() => document.querySelector('#recent').dataset.count === '0');
      const after = await stored(page);
      assert.deepEqual(after.keys, []);
      assert.deepEqual(after.dbs, []);
      assert.equal(await page.isChecked('#recent-remember'), false);
      assert.deepEqual(page.__errors, []);
    } finally {
      await context.close();
      await logs.stop();
    }
  },
);

test(
  'Keep dropped folders offline: a drop is copied into OPFS, reopens without the files, and Clear deletes it',
  { skip },
  async () => {
    const context = await browser.newContext();
    try {
      let page = await start(context);
      await page.check('#recent-offline');
      const bytes = [...scalarLog({ tags: ['loss'], steps: 5 })];
      await page.evaluate((b) => {
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array(b)], 'events.out.tfevents.1.h'));
        window.dispatchEvent(
          new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }),
        );
      }, bytes);
      await page.waitForFunction(() =>
        /Kept offline/.test(document.querySelector('#notice').textContent),
      );
      await waitIdle(page);
      assert.deepEqual(await runs(page), ['.']);
      assert.deepEqual((await stored(page)).opfs, ['tbview-offline']);
      await page.close();

      // A new page (the dropped file is gone from it): the copy is listed and reopens.
      page = await start(context);
      const items = await recentItems(page);
      assert.deepEqual(items, ['offline: events.out.tfevents.1.h']);
      assert.match(
        await page.textContent('#recent-list .tb-recent-kind'),
        /kept offline · 1 files/,
      );
      await page.click('#recent-list li[data-kind="offline"] .tb-recent-open');
      await page.waitForFunction(() => document.body.dataset.reloads === '1');
      await waitIdle(page);
      assert.deepEqual(await runs(page), ['.']);
      const steps = await page.evaluate(async () =>
        Array.from((await window.__tbview.client.scalarsFull('.', 'loss')).step),
      );
      assert.deepEqual(steps, [0, 1, 2, 3, 4]);
      await page.close();

      page = await start(context);
      await page.click('#recent-clear');
      await page.waitForFunction(() => document.querySelector('#recent').dataset.count === '0');
      assert.deepEqual(await stored(page), { keys: [], dbs: [], opfs: [] });
    } finally {
      await context.close();
    }
  },
);

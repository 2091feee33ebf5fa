// End-to-end: live logs. Appending records to a served file and to a local
// folder (picked with showDirectoryPicker) shows the new points after a reload,
// none lost or doubled, including a record split across two appends; new runs
// appear; a file that shrank is reported, not mixed; auto-reload runs by itself.
//
// Playwright cannot drive the real folder picker, so window.showDirectoryPicker
// is replaced (addInitScript) by one returning a folder of the Origin Private
// File System: real FileSystemDirectoryHandle / FileSystemFileHandle objects,
// into which the test writes and appends, so the app's own handle walking and
// file.slice(offset) reading are what runs.
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { scalarLog, scalarRecords } from '../support/tfrecord.mjs';
import {
  appSession,
  lossSteps,
  openPage,
  reloadAndWait,
  startServer,
  waitIdle,
} from './helpers.mjs';

const session = appSession('reload');
const { skip, write } = session;

const range = (a, b) => Array.from({ length: b - a }, (_, i) => a + i);

const fileRow = (page, p) =>
  page.$eval(`[data-table="files"] tbody tr[data-path="${p}"]`, (r) => ({
    status: r.dataset.status,
    text: r.querySelector('.tb-status').textContent,
  }));

test(
  'a served file: appends, a record split across two appends, a new run; none lost or doubled',
  { skip },
  async () => {
    const file = write(
      'served/run/events.out.tfevents.1.h',
      scalarLog({ tags: ['loss'], steps: 10 }),
    );
    const srv = await startServer({ logdir: path.join(session.tmp, 'served') });
    try {
      const page = await openPage(session.browser, `${srv.url}?reload=0`);
      await waitIdle(page);
      assert.deepEqual(await lossSteps(page, 'run'), range(0, 10));

      // Step 10's record, cut in the middle of its payload.
      const rec = scalarRecords(10, 11);
      const cut = 20;
      appendFileSync(file, rec.subarray(0, cut));
      await reloadAndWait(page);
      assert.deepEqual(await lossSteps(page, 'run'), range(0, 10));
      assert.equal((await fileRow(page, 'run/events.out.tfevents.1.h')).status, 'waiting');

      // The rest of it, two more records, and a new run.
      appendFileSync(file, rec.subarray(cut));
      appendFileSync(file, scalarRecords(11, 13));
      write('served/run2/events.out.tfevents.2.h', scalarLog({ tags: ['loss'], steps: 3 }));
      await reloadAndWait(page);
      assert.deepEqual(
        await lossSteps(page, 'run'),
        range(0, 13),
        'the split record completes, nothing doubles',
      );
      assert.equal((await fileRow(page, 'run/events.out.tfevents.1.h')).status, 'ok');
      assert.deepEqual(await page.evaluate(() => window.__tbview.client.runs()), ['run', 'run2']);
      assert.deepEqual(await lossSteps(page, 'run2'), range(0, 3));

      // Nothing new: a reload reads nothing and changes nothing.
      await reloadAndWait(page);
      assert.deepEqual(await lossSteps(page, 'run'), range(0, 13));
      assert.deepEqual(page.__errors, []);
      await page.context().close();
    } finally {
      await srv.stop();
    }
  },
);

test('auto-reload (?reload=1) picks up appended records by itself', { skip }, async () => {
  const file = write('auto/events.out.tfevents.1.h', scalarLog({ tags: ['loss'], steps: 4 }));
  const srv = await startServer({ logdir: path.join(session.tmp, 'auto') });
  try {
    const page = await openPage(session.browser, `${srv.url}?reload=1`);
    await waitIdle(page);
    assert.equal(await page.$eval('#reload-every', (s) => s.value), '1');
    appendFileSync(file, scalarRecords(4, 6));
    await page.waitForFunction(
      () => {
        const row = document.querySelector('[data-table="tags"] tbody tr[data-tag="loss"]');
        return row && Number(row.dataset.points) >= 6 && window.__tbview.idle;
      },
      null,
      { timeout: 30_000, polling: 250 },
    );
    assert.deepEqual(await lossSteps(page, '.'), range(0, 6));
    await page.context().close();
  } finally {
    await srv.stop();
  }
});

// ---- a local folder through File System Access handles (OPFS-backed)

const FAKE_PICKER = `
  window.showDirectoryPicker = async () =>
    (await navigator.storage.getDirectory()).getDirectoryHandle('picked', { create: true });
`;

/** Writes (or appends) bytes to picked/<rel> in the page's OPFS. */
async function opfsWrite(page, rel, bytes, { append = false } = {}) {
  await page.evaluate(
    async ({ rel, b64, append }) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      let dir = await (
        await navigator.storage.getDirectory()
      ).getDirectoryHandle('picked', { create: true });
      const segs = rel.split('/');
      for (const s of segs.slice(0, -1)) dir = await dir.getDirectoryHandle(s, { create: true });
      const fh = await dir.getFileHandle(segs[segs.length - 1], { create: true });
      const size = (await fh.getFile()).size;
      const w = await fh.createWritable({ keepExistingData: append });
      if (append) await w.seek(size);
      await w.write(data);
      await w.close();
    },
    { rel, b64: Buffer.from(bytes).toString('base64'), append },
  );
}

test(
  'a local folder (showDirectoryPicker handles): appends, a split record, new runs; a file that shrank is reported',
  { skip },
  async () => {
    const page = await openPage(session.browser, `${session.server.url}?reload=0`, {
      init: FAKE_PICKER,
    });
    await opfsWrite(
      page,
      'train/events.out.tfevents.1.h',
      scalarLog({ tags: ['loss'], steps: 10 }),
    );
    await opfsWrite(page, 'eval/events.out.tfevents.1.h', scalarLog({ tags: ['loss'], steps: 3 }));
    await page.click('.tb-actions [data-action="open-folder"]');
    await page.waitForFunction(() => Number(document.body.dataset.reloads) >= 1);
    await waitIdle(page);
    assert.deepEqual(await page.evaluate(() => window.__tbview.client.runs()), ['eval', 'train']);
    assert.deepEqual(await lossSteps(page, 'train'), range(0, 10));

    const rec = scalarRecords(10, 11);
    await opfsWrite(page, 'train/events.out.tfevents.1.h', rec.subarray(0, 9), { append: true });
    await reloadAndWait(page);
    assert.deepEqual(await lossSteps(page, 'train'), range(0, 10));
    assert.equal((await fileRow(page, 'train/events.out.tfevents.1.h')).status, 'waiting');

    await opfsWrite(page, 'train/events.out.tfevents.1.h', rec.subarray(9), { append: true });
    await opfsWrite(page, 'train/events.out.tfevents.1.h', scalarRecords(11, 14), { append: true });
    await opfsWrite(
      page,
      'new/deeper/events.out.tfevents.5.h',
      scalarLog({ tags: ['loss'], steps: 2 }),
    );
    await reloadAndWait(page);
    assert.deepEqual(await lossSteps(page, 'train'), range(0, 14), 'none lost or doubled');
    assert.deepEqual(await page.evaluate(() => window.__tbview.client.runs()), [
      'eval',
      'new/deeper',
      'train',
    ]);

    // eval rewritten shorter: reported, its points kept, not mixed with the new bytes.
    await opfsWrite(page, 'eval/events.out.tfevents.1.h', scalarLog({ tags: ['loss'], steps: 1 }));
    await reloadAndWait(page);
    const row = await fileRow(page, 'eval/events.out.tfevents.1.h');
    assert.equal(row.status, 'read_error');
    assert.match(row.text, /shorter than the \d+ bytes already read/);
    assert.deepEqual(await lossSteps(page, 'eval'), range(0, 3));
    assert.match(
      await page.textContent('#notice'),
      /eval\/events\.out\.tfevents\.1\.h: the file is now/,
    );
    // And it stays out of later reloads.
    await opfsWrite(page, 'eval/events.out.tfevents.1.h', scalarRecords(1, 50), { append: true });
    await reloadAndWait(page);
    assert.deepEqual(await lossSteps(page, 'eval'), range(0, 3));
    assert.deepEqual(page.__errors, []);
    await page.context().close();
  },
);

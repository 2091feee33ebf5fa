// End-to-end: loading logs in headless Chromium through every way in (file
// picker, folder picker, a folder drop, a served --logdir), the Files view,
// cancelling, and the Scalars dashboard mounting. The logs are written here by
// tests/support/tfrecord.mjs, so these tests need no corpus. They use the real wasm engine
// when it has been built (web/dist/wasm/tbview_web.js), else the fake engine.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';

import { scalarLog } from '../support/tfrecord.mjs';
import {
  HAVE_WASM,
  appSession,
  filesShown,
  openApp,
  startServer,
  tagsShown,
  waitIdle,
} from './helpers.mjs';

const session = appSession('e2e', {
  prepare: () =>
    console.log(
      `# engine: ${HAVE_WASM ? 'wasm (web/dist/wasm/tbview_web.js)' : 'fake (web/test/fake_engine.js)'}`,
    ),
});
const { skip, write } = session;

async function runsOf(page) {
  return page.evaluate(() => window.__tbview.client.runs());
}

test(
  'file picker: event files load; a non-event file and a cut-off file say what they are',
  { skip },
  async () => {
    const log = scalarLog({ tags: ['loss', 'acc'], steps: 30 });
    const cut = scalarLog({ tags: ['x'], steps: 5 });
    const files = [
      write('picker/events.out.tfevents.100.host', log),
      write('picker/notes.txt', 'these are not the events you are looking for\n'),
      write('picker/events.out.tfevents.200.host.cut', cut.subarray(0, cut.length - 5)),
    ];
    const page = await openApp(session.browser, session.server.url);
    assert.equal(await page.evaluate(() => document.body.dataset.state), 'idle');
    await page.setInputFiles('#file-input', files);
    await waitIdle(page);
    const shown = await filesShown(page);
    assert.deepEqual(Object.keys(shown).sort(), [
      'events.out.tfevents.100.host',
      'events.out.tfevents.200.host.cut',
      'notes.txt',
    ]);
    assert.equal(shown['events.out.tfevents.100.host'].status, 'ok');
    assert.equal(shown['events.out.tfevents.100.host'].records, 31);
    assert.equal(shown['notes.txt'].status, 'not_event');
    assert.match(shown['notes.txt'].text, /^not an event file: \S/);
    assert.equal(shown['events.out.tfevents.200.host.cut'].status, 'waiting');
    assert.match(shown['events.out.tfevents.200.host.cut'].text, /waiting for more data/);
    const tags = await tagsShown(page);
    assert.equal(tags['.\tloss'], 30);
    assert.equal(tags['.\tacc'], 30);
    assert.equal(tags['.\tx'], 4, 'the records before the cut are kept');
    assert.deepEqual(await runsOf(page), ['.']);
    const progress = await page.textContent('#progress-text');
    assert.match(progress, /3 \/ 3 files/);
    assert.match(await page.textContent('#file-problems'), /1 file with problems/);
    assert.deepEqual(page.__errors, []);
    await page.context().close();
  },
);

test(
  'folder picker: the folder is the root, its subfolders are runs, charts appear',
  { skip },
  async () => {
    const root = path.join(session.tmp, 'picked');
    write('picked/train/events.out.tfevents.1.a', scalarLog({ tags: ['loss', 'lr'], steps: 100 }));
    write('picked/eval/events.out.tfevents.1.a', scalarLog({ tags: ['loss'], steps: 10 }));
    write('picked/events.out.tfevents.1.root', scalarLog({ tags: ['top'], steps: 3 }));
    const page = await openApp(session.browser, session.server.url);
    await page.setInputFiles('#folder-input', root);
    await waitIdle(page);
    assert.deepEqual(await runsOf(page), ['.', 'eval', 'train']);
    const tags = await tagsShown(page);
    assert.deepEqual(tags, { '.\ttop': 3, 'eval\tloss': 10, 'train\tloss': 100, 'train\tlr': 100 });
    // With scalar tags, the Scalars view is shown and the dashboard draws.
    assert.equal(await page.getAttribute('[data-tab="scalars"]', 'aria-selected'), 'true');
    await page.waitForSelector('[data-view="scalars"] canvas, [data-view="scalars"] svg', {
      timeout: 20_000,
    });
    assert.deepEqual(page.__errors, []);
    await page.context().close();
  },
);

test("a run's files are read in name order as one stream", { skip }, async () => {
  // Steps 0..9 then 10..19: in name order, one stream of 20 points. Read the
  // other way round, the restart rule would drop the first ten.
  const a = write('order/run/events.out.tfevents.1000.h', scalarLog({ steps: 10, startStep: 0 }));
  const b = write('order/run/events.out.tfevents.2000.h', scalarLog({ steps: 10, startStep: 10 }));
  const page = await openApp(session.browser, session.server.url);
  await page.setInputFiles('#file-input', [b, a]);
  await waitIdle(page);
  assert.deepEqual(await tagsShown(page), { '.\tloss': 20 });
  const full = await page.evaluate(async () =>
    Array.from((await window.__tbview.client.scalarsFull('.', 'loss')).step),
  );
  assert.deepEqual(
    full,
    Array.from({ length: 20 }, (_, i) => i),
  );
  await page.context().close();
});

/**
 * Dispatches a drop of a folder tree on the page, through fake FileSystemEntry
 * objects (what webkitGetAsEntry returns for a real drag), listing directories
 * in batches of 2 as readEntries may. `files`: [{path, bytes}] where the first
 * path segment is the dropped item.
 */
async function dropTree(page, files) {
  const payload = files.map((f) => ({
    path: f.path,
    b64: Buffer.from(f.bytes).toString('base64'),
  }));
  await page.evaluate((items) => {
    const fileEntry = (name, fullPath, file) => ({
      isFile: true,
      isDirectory: false,
      name,
      fullPath,
      file: (ok) => setTimeout(() => ok(file)),
    });
    const dirEntry = (name, fullPath) => {
      const children = [];
      return {
        isFile: false,
        isDirectory: true,
        name,
        fullPath,
        children,
        createReader() {
          let i = 0;
          return {
            readEntries(ok) {
              const batch = children.slice(i, i + 2);
              i += 2;
              setTimeout(() => ok(batch));
            },
          };
        },
      };
    };
    const tops = new Map();
    for (const { path, b64 } of items) {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const segs = path.split('/');
      const file = new File([bytes], segs[segs.length - 1]);
      if (segs.length === 1) {
        tops.set(path, fileEntry(path, `/${path}`, file));
        continue;
      }
      if (!tops.has(segs[0])) tops.set(segs[0], dirEntry(segs[0], `/${segs[0]}`));
      let dir = tops.get(segs[0]);
      for (let i = 1; i < segs.length - 1; i++) {
        let next = dir.children.find((c) => c.name === segs[i]);
        if (!next) {
          next = dirEntry(segs[i], `/${segs.slice(0, i + 1).join('/')}`);
          dir.children.push(next);
        }
        dir = next;
      }
      dir.children.push(fileEntry(segs[segs.length - 1], `/${path}`, file));
    }
    const dt = {
      types: ['Files'],
      files: [],
      items: [...tops.values()].map((entry) => ({
        kind: 'file',
        webkitGetAsEntry: () => entry,
        getAsFile: () => null,
      })),
    };
    const ev = new Event('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(ev, 'dataTransfer', { value: dt });
    document.body.dispatchEvent(ev);
  }, payload);
}

test(
  'folder drop: several roots keep their names; folders are walked in batches; more drops add',
  { skip },
  async () => {
    const page = await openApp(session.browser, session.server.url);
    await dropTree(page, [
      { path: 'expA/train/events.out.tfevents.1.h', bytes: scalarLog({ steps: 7 }) },
      { path: 'expA/eval/events.out.tfevents.1.h', bytes: scalarLog({ steps: 3 }) },
      { path: 'expA/eval/sub/deeper/events.out.tfevents.1.h', bytes: scalarLog({ steps: 2 }) },
      { path: 'expA/eval/a1', bytes: 'x' },
      { path: 'expA/eval/a2', bytes: 'y' },
      { path: 'expA/eval/a3', bytes: 'z' },
      { path: 'expB/events.out.tfevents.1.h', bytes: scalarLog({ steps: 5 }) },
    ]);
    await page.waitForFunction(
      () => document.body.dataset.state === 'loading' || window.__tbview.files.length > 0,
    );
    await waitIdle(page);
    assert.deepEqual(await runsOf(page), [
      'expA/eval',
      'expA/eval/sub/deeper',
      'expA/train',
      'expB',
    ]);
    assert.deepEqual(await tagsShown(page), {
      'expA/eval\tloss': 3,
      'expA/eval/sub/deeper\tloss': 2,
      'expA/train\tloss': 7,
      'expB\tloss': 5,
    });
    const shown = await filesShown(page);
    assert.equal(Object.keys(shown).length, 7);
    assert.equal(shown['expA/eval/a2'].status, 'not_event');

    // A second drop of one folder adds to what is open, keeping its name.
    await dropTree(page, [
      { path: 'later/run1/events.out.tfevents.9.h', bytes: scalarLog({ steps: 4 }) },
    ]);
    await page.waitForFunction(
      () => window.__tbview.files.some((f) => f.path.startsWith('later/')) && window.__tbview.idle,
    );
    await waitIdle(page);
    assert.deepEqual(await runsOf(page), [
      'expA/eval',
      'expA/eval/sub/deeper',
      'expA/train',
      'expB',
      'later/run1',
    ]);
    assert.deepEqual(page.__errors, []);
    await page.context().close();
  },
);

test('a single dropped folder is the root', { skip }, async () => {
  const page = await openApp(session.browser, session.server.url);
  await dropTree(page, [
    { path: 'mylogs/events.out.tfevents.1.h', bytes: scalarLog({ steps: 2 }) },
    { path: 'mylogs/b/events.out.tfevents.1.h', bytes: scalarLog({ steps: 3 }) },
  ]);
  await page.waitForFunction(() => window.__tbview.files.length === 2 && window.__tbview.idle);
  assert.deepEqual(await runsOf(page), ['.', 'b']);
  await page.context().close();
});

test(
  'cancel stops reading: the current file is cut, keeps what was read; the queue is skipped',
  { skip },
  async () => {
    // ~6 MB in 256 KB slices, so Cancel lands in the middle of the first file.
    const big = write(
      'cancel/run/events.out.tfevents.1.big',
      scalarLog({ tags: ['a', 'b', 'c'], steps: 50_000 }),
    );
    const small = write('cancel/run/events.out.tfevents.2.small', scalarLog({ steps: 5 }));
    const page = await openApp(session.browser, session.server.url);
    await page.evaluate(() => {
      const { client } = window.__tbview;
      client.chunkBytes = 256 << 10;
      const onProgress = (e) => {
        if (e.detail.bytesDone > 0) {
          client.removeEventListener('progress', onProgress);
          document.querySelector('#cancel').click();
        }
      };
      client.addEventListener('progress', onProgress);
    });
    await page.setInputFiles('#file-input', [big, small]);
    await waitIdle(page);
    const shown = await filesShown(page);
    const bigRow = shown['events.out.tfevents.1.big'];
    assert.equal(bigRow.status, 'cancelled');
    assert.match(bigRow.text, /cancelled: read stopped after \d+ of \d+ bytes/);
    assert.ok(bigRow.records > 0, 'records read before the cancel are kept');
    assert.equal(shown['events.out.tfevents.2.small'].status, 'cancelled');
    assert.match(shown['events.out.tfevents.2.small'].text, /not read/);
    assert.match(await page.textContent('#progress-text'), /cancelled/);
    assert.ok(await page.isDisabled('#cancel'));
    // What was read is usable.
    const tags = await tagsShown(page);
    assert.ok(tags['.\ta'] > 0);
    // Loading again afterwards works.
    await page.setInputFiles('#file-input', [small]);
    await waitIdle(page);
    assert.equal((await filesShown(page))['events.out.tfevents.2.small'].status, 'ok');
    await page.context().close();
  },
);

test('--logdir: the page opens the served directory by itself', { skip }, async () => {
  const logdir = path.join(session.tmp, 'served');
  write('served/run a/events.out.tfevents.1.h', scalarLog({ tags: ['loss'], steps: 12 }));
  write('served/run b/x/events.out.tfevents.1.h', scalarLog({ tags: ['loss', 'acc'], steps: 6 }));
  write(
    'served/run b/x/events.out.tfevents.2.h',
    scalarLog({ tags: ['loss', 'acc'], steps: 6, startStep: 6 }),
  );
  write('served/README', 'not an event file');
  const srv = await startServer({ logdir });
  try {
    const page = await openApp(session.browser, srv.url);
    await waitIdle(page);
    assert.deepEqual(await runsOf(page), ['run a', 'run b/x']);
    assert.deepEqual(await tagsShown(page), {
      'run a\tloss': 12,
      'run b/x\tacc': 12,
      'run b/x\tloss': 12,
    });
    const shown = await filesShown(page);
    assert.equal(Object.keys(shown).length, 4);
    assert.equal(shown.README.status, 'not_event');
    assert.match(await page.textContent('#logdir-name'), /\/logdir\//);
    assert.deepEqual(page.__errors, []);
    await page.context().close();
  } finally {
    await srv.stop();
  }
});

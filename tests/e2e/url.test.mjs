// End-to-end: opening logs by URL (?url=, the URL field): a served or published
// folder read through its manifest with HTTP Range requests (the requests are
// asserted), a reload reading only the appended bytes, a server that ignores
// Range (200), a folder published with `tbview manifest` on a plain static
// server, and errors said plainly (404, no manifest, CORS, not an event file).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { scalarLog, scalarRecords } from '../support/tfrecord.mjs';
import {
  DIST,
  ROOT,
  appSession,
  filesShown,
  lossSteps,
  openPage,
  reloadAndWait,
  startServer,
  tagsShown,
  waitIdle,
} from './helpers.mjs';

const CLI = process.env.TBVIEW_CLI || path.join(ROOT, 'build/native/tbview');

// The app serves tmp/pub (--logdir): two runs and a file that is not an event file.
const session = appSession('url', {
  logdir: 'pub',
  prepare: ({ write }) => {
    write('pub/run a/events.out.tfevents.1.h', scalarLog({ tags: ['loss'], steps: 12 }));
    write('pub/run b/events.out.tfevents.1.h', scalarLog({ tags: ['loss', 'acc'], steps: 5 }));
    write('pub/notes.txt', 'not an event file\n');
  },
});
const { skip, write } = session;

/** Requests the page makes: [{path, range}] (path relative to the server). */
function recordRequests(page, origin) {
  const seen = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(origin)) return;
    seen.push({
      path: decodeURIComponent(new URL(r.url()).pathname),
      range: r.headers().range || null,
    });
  });
  return seen;
}

test(
  '?url= of a served folder: manifest, then every file by Range from 0; a reload asks only for the new bytes',
  { skip },
  async () => {
    const page = await openPage(session.browser, 'about:blank');
    const seen = recordRequests(page, session.server.url.replace(/\/$/, ''));
    await page.goto(
      `${session.server.url}?reload=0&url=${encodeURIComponent(`${session.server.url}logdir/`)}`,
    );
    await page.waitForFunction(() => window.__tbview && window.__tbview.ready);
    await waitIdle(page);
    assert.deepEqual(await page.evaluate(() => window.__tbview.client.runs()), ['run a', 'run b']);
    assert.deepEqual(await tagsShown(page), {
      'run a\tloss': 12,
      'run b\tacc': 5,
      'run b\tloss': 5,
    });
    assert.equal((await filesShown(page))['notes.txt'].status, 'not_event');
    const logReq = seen.filter((r) => r.path.startsWith('/logdir/'));
    assert.deepEqual(
      logReq.filter((r) => r.path.endsWith('.json')).map((r) => r.path),
      ['/logdir/tbview-manifest.json'],
      "the manifest is read (and ?url= wins over the page's served logdir)",
    );
    const fileReq = logReq.filter((r) => !r.path.endsWith('.json'));
    assert.deepEqual(fileReq.map((r) => `${r.path} ${r.range}`).sort(), [
      '/logdir/notes.txt bytes=0-',
      '/logdir/run a/events.out.tfevents.1.h bytes=0-',
      '/logdir/run b/events.out.tfevents.1.h bytes=0-',
    ]);
    assert.equal(await page.isVisible('#reload'), true);

    // Append three steps to run a; run b does not change.
    const fileA = path.join(session.logdir, 'run a/events.out.tfevents.1.h');
    const sizeA = readFileSync(fileA).length;
    appendFileSync(fileA, scalarRecords(12, 15));
    seen.length = 0;
    await reloadAndWait(page);
    const again = seen.filter((r) => r.path.startsWith('/logdir/'));
    assert.deepEqual(
      again.map((r) => `${r.path} ${r.range}`),
      [
        '/logdir/tbview-manifest.json null',
        `/logdir/run a/events.out.tfevents.1.h bytes=${sizeA}-`,
      ],
      'only the grown file is read, from where the last read ended',
    );
    assert.deepEqual(
      await lossSteps(page, 'run a'),
      Array.from({ length: 15 }, (_, i) => i),
    );
    assert.deepEqual(await tagsShown(page), {
      'run a\tloss': 15,
      'run b\tacc': 5,
      'run b\tloss': 5,
    });
    assert.deepEqual(page.__errors, []);
    await page.context().close();
  },
);

test(
  'a server that ignores Range (200 with the whole file): the prefix already read is skipped, nothing doubles',
  { skip },
  async () => {
    const file = write(
      'norange/run/events.out.tfevents.1.h',
      scalarLog({ tags: ['loss'], steps: 8 }),
    );
    const srv = await startServer({ logdir: path.join(session.tmp, 'norange') });
    try {
      let served = 0;
      const page = await openPage(session.browser, 'about:blank', {
        prepare: (p, context) =>
          context.route('**/logdir/run/**', async (route) => {
            served++;
            await route.fulfill({
              status: 200,
              contentType: 'application/octet-stream',
              body: readFileSync(file),
            });
          }),
      });
      await page.goto(`${srv.url}?reload=0&url=${encodeURIComponent(`${srv.url}logdir/`)}`);
      await page.waitForFunction(() => window.__tbview && window.__tbview.ready);
      await waitIdle(page);
      assert.deepEqual(
        await lossSteps(page, 'run'),
        Array.from({ length: 8 }, (_, i) => i),
      );
      appendFileSync(file, scalarRecords(8, 11));
      await reloadAndWait(page);
      assert.equal(served, 2);
      assert.deepEqual(
        await lossSteps(page, 'run'),
        Array.from({ length: 11 }, (_, i) => i),
        'no step read twice',
      );
      assert.equal((await filesShown(page))['run/events.out.tfevents.1.h'].status, 'ok');
      await page.context().close();
    } finally {
      await srv.stop();
    }
  },
);

test(
  'a folder published with `tbview manifest` on a static server (no listing) opens by ?url=, by its manifest',
  {
    skip: skip || (!existsSync(CLI) && `needs ${CLI} (scripts/build.sh)`),
  },
  async () => {
    const site = path.join(session.tmp, 'site');
    cpSync(DIST, site, { recursive: true });
    write('site/pub/logs/train/events.out.tfevents.1.h', scalarLog({ tags: ['loss'], steps: 6 }));
    write('site/pub/logs/eval/events.out.tfevents.1.h', scalarLog({ tags: ['loss'], steps: 2 }));
    execFileSync(CLI, ['manifest', path.join(site, 'pub/logs')]);
    const srv = await startServer({ root: site });
    try {
      const page = await openPage(session.browser, 'about:blank');
      const seen = recordRequests(page, srv.url.replace(/\/$/, ''));
      // The manifest named directly (relative to the page).
      await page.goto(`${srv.url}?reload=0&url=pub/logs/tbview-manifest.json`);
      await page.waitForFunction(() => window.__tbview && window.__tbview.ready);
      await waitIdle(page);
      assert.deepEqual(await tagsShown(page), { 'eval\tloss': 2, 'train\tloss': 6 });
      const ranged = seen.filter((r) => r.path.includes('/events.')).map((r) => r.range);
      assert.deepEqual(ranged, ['bytes=0-', 'bytes=0-']);
      assert.deepEqual(page.__errors, []);
      await page.context().close();
    } finally {
      await srv.stop();
    }
  },
);

test(
  'errors are said plainly: 404, a folder without a manifest, CORS, a file that is not an event file',
  { skip },
  async () => {
    const other = await startServer({ logdir: session.logdir }); // another origin, which sends no CORS headers
    const plain = await startServer(); // the app alone
    try {
      // A missing file: a Files row saying 404, and the notice.
      let page = await openPage(
        session.browser,
        `${session.server.url}?reload=0&url=${encodeURIComponent(`${session.server.url}logdir/run a/missing.tfevents`)}`,
      );
      await waitIdle(page);
      let shown = await filesShown(page);
      assert.equal(shown['missing.tfevents'].status, 'read_error');
      assert.match(shown['missing.tfevents'].text, /HTTP 404 \(not found\)/);
      assert.match(await page.textContent('#notice'), /404/);
      await page.context().close();

      // A folder with neither tbview-manifest.json nor index.json.
      page = await openPage(
        session.browser,
        `${session.server.url}?reload=0&url=${encodeURIComponent(`${session.server.url}nothing-here/`)}`,
      );
      await waitIdle(page);
      assert.equal(await page.isVisible('#notice'), true);
      assert.match(
        await page.textContent('#notice'),
        /no file list for .*nothing-here\/: HTTP 404.*tbview manifest DIR/,
      );
      await page.context().close();

      // Another origin without Access-Control-Allow-Origin.
      page = await openPage(
        session.browser,
        `${session.server.url}?reload=0&url=${encodeURIComponent(`${other.url}logdir/`)}`,
      );
      await waitIdle(page);
      assert.match(await page.textContent('#notice'), /could not fetch .*CORS/);
      await page.context().close();

      // Not an event file, through the URL field of a page that opened nothing.
      page = await openPage(session.browser, `${plain.url}?reload=0`, {
        prepare: (p, context) =>
          context.route('**/remote/notes.txt', (route) =>
            route.fulfill({ status: 200, body: 'just text\n' }),
          ),
      });
      await waitIdle(page);
      await page.fill('#url-input', 'remote/notes.txt');
      await page.click('#url-form button[type="submit"]');
      await page.waitForFunction(
        () => window.__tbview.files.some((f) => f.path === 'notes.txt') && window.__tbview.idle,
      );
      await waitIdle(page);
      shown = await filesShown(page);
      assert.equal(shown['notes.txt'].status, 'not_event');
      assert.match(shown['notes.txt'].text, /not an event file: text/);
      await page.context().close();
    } finally {
      await other.stop();
      await plain.stop();
    }
  },
);

// End-to-end: opening logs where they already live. A local stand-in for each
// provider (provider_server.mjs: Hugging Face tree API and resolve redirects,
// GitHub trees and raw files, GCS JSON and S3 XML listings with paging, nginx /
// Apache / Python index pages), on another origin than the app, with CORS and
// Range. The page is pointed at it through the test-only
// window.__tbviewTestHosts (web/src/sources/hosts.js); every link is pasted in
// its real form (huggingface.co, github.com, gs://, s3://, https bucket URLs).
// Each kind opens its runs and draws the Scalars chart; a reload reads only the
// appended bytes; rate limits, Git LFS pointers and unknown repositories are
// said plainly.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { eventFile, scalarLog } from '../support/tfrecord.mjs';
import { DIST, launchBrowser, startServer, waitIdle } from './helpers.mjs';
import { startProviderServer } from './provider_server.mjs';

const HAVE_DIST = existsSync(path.join(DIST, 'index.html'));
const skip = HAVE_DIST ? false : 'web/dist is not built: (cd web && npx vite build)';

let app;
let providers;
let browser;

/** Scalar events of tag 'loss' for steps [from, to) (no file_version record). */
function steps(from, to) {
  const ev = [];
  for (let s = from; s < to; s++)
    ev.push({
      wallTime: 1_600_000_000 + s,
      step: s,
      values: [{ tag: 'loss', simpleValue: 1 / (s + 1) }],
    });
  return Buffer.from(eventFile(ev));
}

const log = (n) => Buffer.from(scalarLog({ tags: ['loss'], steps: n }));
/** A store: Map path -> bytes, under `root` ('' for the top). */
function store(root, extra = {}) {
  const p = (x) => (root ? `${root}/${x}` : x);
  return new Map(
    Object.entries({
      [p('run a/events.out.tfevents.1.h')]: log(6),
      [p('run b/events.out.tfevents.1.h')]: log(4),
      [p('model.safetensors')]: Buffer.from('not a log, not downloaded'),
      'README.md': Buffer.from('# readme'),
      ...extra,
    }),
  );
}

before(async () => {
  if (skip) return;
  const stores = new Map([
    ['hf:org/model', store('logs')],
    ['hf:org/data', store('')],
    ['gh:o/r', store('runs', { 'lfs/events.out.tfevents.9.h': log(2) })],
    ['gcs:bkt', store('exp')],
    ['s3:bkt', store('exp')],
    ['web', store('')],
  ]);
  providers = await startProviderServer(stores);
  app = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (app) await app.stop();
  if (providers) await providers.close();
});

/** A page of the app told the test hosts, opening `link` by ?url=. */
async function openLink(link, { wait = true } = {}) {
  const context = await browser.newContext();
  await context.addInitScript((h) => {
    window.__tbviewTestHosts = h;
  }, providers.hosts);
  const page = await context.newPage();
  page.__errors = [];
  page.on('pageerror', (e) => page.__errors.push(String(e)));
  await page.goto(`${app.url}?reload=0${link ? `&url=${encodeURIComponent(link)}` : ''}`);
  await page.waitForFunction(() => window.__tbview && window.__tbview.ready);
  if (wait) await waitIdle(page);
  return page;
}

/** The Scalars card of `tag` has been drawn, with ink on its canvas. */
async function assertChartDrawn(page, tag = 'loss') {
  await page.waitForSelector(`.sc-card[data-tag="${tag}"][data-drawn="1"]`, { timeout: 30_000 });
  const inked = await page.$eval(`.sc-card[data-tag="${tag}"] canvas`, (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4)
      if (d[i + 3] > 0 && (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200)) n++;
    return n;
  });
  assert.ok(inked > 200, `the ${tag} chart has ink (${inked} pixels)`);
}

const runs = (page) => page.evaluate(() => window.__tbview.client.runs());
const lossSteps = (page, run) =>
  page.evaluate(
    async (r) => Array.from((await window.__tbview.client.scalarsFull(r, 'loss')).step),
    run,
  );
const requestedSince = (n) =>
  providers.requests.slice(n).map(([, url, range]) => `${decodeURIComponent(url)} ${range}`);

test(
  'each kind of link opens its runs and draws the chart, reading only the kept files',
  { skip },
  async (t) => {
    const cases = [
      [
        'Hugging Face model folder',
        'https://huggingface.co/org/model/tree/main/logs',
        '/hf-cdn/org/model/logs/',
      ],
      ['Hugging Face dataset (hf://)', 'hf://datasets/org/data', '/hf-cdn/org/data/'],
      ['GitHub folder', 'https://github.com/o/r/tree/main/runs', '/gh-raw/o/r/main/runs/'],
      ['GCS prefix (gs://)', 'gs://bkt/exp', '/gcs/bkt/exp/'],
      ['GCS https form', 'https://storage.googleapis.com/bkt/exp/', '/gcs/bkt/exp/'],
      ['S3 prefix (s3://)', 's3://bkt/exp/', '/s3/bkt/exp/'],
      ['S3 https form', 'https://bkt.s3.us-west-2.amazonaws.com/exp/', '/s3/bkt/exp/'],
      ['nginx index', `${'URL'}/web/nginx/`, '/web/nginx/'],
      ['Apache index', `${'URL'}/web/apache/`, '/web/apache/'],
      ['Python http.server index', `${'URL'}/web/python/`, '/web/python/'],
    ];
    for (const [name, given, filesAt] of cases) {
      await t.test(name, async () => {
        const link = given.replace('URL', providers.url);
        const n = providers.requests.length;
        const page = await openLink(link);
        assert.deepEqual(await runs(page), ['run a', 'run b'], await page.textContent('#notice'));
        assert.deepEqual(await lossSteps(page, 'run a'), [0, 1, 2, 3, 4, 5]);
        await assertChartDrawn(page);
        // Only the event files were read, each once from 0; weights and READMEs never.
        const reads = requestedSince(n).filter(
          (r) => r.includes(filesAt) && / bytes=\d+-$/.test(r),
        );
        assert.deepEqual(
          reads.map((r) => r.replace(filesAt, '')).sort(),
          ['run a/events.out.tfevents.1.h bytes=0-', 'run b/events.out.tfevents.1.h bytes=0-'],
          reads.join('\n'),
        );
        assert.ok(
          !requestedSince(n).some((r) => /safetensors|README/.test(r)),
          'nothing else downloaded',
        );
        assert.deepEqual(page.__errors, []);
        await page.context().close();
      });
    }
  },
);

test(
  'one file of a provider: a Hugging Face blob link, a GitHub blob link, a gs:// object',
  { skip },
  async () => {
    const links = [
      [
        'https://huggingface.co/org/model/blob/main/logs/run%20a/events.out.tfevents.1.h',
        '/hf-cdn/org/model/logs/run a/',
      ],
      [
        'https://github.com/o/r/blob/main/runs/run%20b/events.out.tfevents.1.h',
        '/gh-raw/o/r/main/runs/run b/',
      ],
      ['gs://bkt/exp/run a/events.out.tfevents.1.h', '/gcs/bkt/exp/run a/'],
    ];
    for (const [link, at] of links) {
      const n = providers.requests.length;
      const page = await openLink(link);
      assert.deepEqual(await runs(page), ['.'], link);
      await assertChartDrawn(page);
      assert.deepEqual(
        requestedSince(n).filter((r) => r.includes(at)),
        [`${at}events.out.tfevents.1.h bytes=0-`],
      );
      await page.context().close();
    }
  },
);

test(
  'a bare Hugging Face repo id (OWNER/NAME, spaces/OWNER/NAME) opens the whole repository',
  { skip },
  async () => {
    for (const [id, want] of [
      ['org/model', ['logs/run a', 'logs/run b']],
      ['spaces/org/data', ['run a', 'run b']],
    ]) {
      const page = await openLink(id);
      assert.deepEqual(await runs(page), want, id);
      assert.equal(await page.textContent('#logdir-name'), id);
      await page.context().close();
    }
  },
);

test(
  'listings are paged: HF by Link, GCS by pageToken, S3 by continuation-token',
  { skip },
  async () => {
    const n = providers.requests.length;
    for (const link of ['hf://org/model/logs', 'gs://bkt/exp/', 's3://bkt/exp/']) {
      const page = await openLink(link);
      assert.deepEqual(await runs(page), ['run a', 'run b']);
      await page.context().close();
    }
    const got = requestedSince(n);
    assert.ok(
      got.some((r) => r.includes('/hf/api/models/org/model/tree/main/logs?recursive=true&cursor=')),
      'HF next page',
    );
    assert.ok(
      got.some((r) => /\/gcs\/storage\/v1\/b\/bkt\/o\?prefix=exp\/&pageToken=2 /.test(r)),
      'GCS third page',
    );
    assert.ok(
      got.some((r) => /\/s3\/bkt\/\?list-type=2&prefix=exp\/&continuation-token=2 /.test(r)),
      'S3 third page',
    );
  },
);

test(
  'the URL field opens a link too, and a reload reads only the appended bytes (sizes from a fresh listing)',
  { skip },
  async () => {
    const page = await openLink('', { wait: false });
    await page.fill('#url-input', 's3://bkt/exp/');
    await page.click('#url-form button[type="submit"]');
    await page.waitForFunction(() => document.body.dataset.reloads === '1');
    await waitIdle(page);
    assert.deepEqual(await runs(page), ['run a', 'run b']);
    const bucket = providers.stores.get('s3:bkt');
    const key = 'exp/run a/events.out.tfevents.1.h';
    const old = bucket.get(key).length;
    bucket.set(key, Buffer.concat([bucket.get(key), steps(6, 9)]));
    const n = providers.requests.length;
    await page.click('#reload');
    await page.waitForFunction(
      () => Number(document.body.dataset.reloads) >= 2 && document.body.dataset.state === 'idle',
    );
    await waitIdle(page);
    assert.deepEqual(await lossSteps(page, 'run a'), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const reads = requestedSince(n).filter((r) => !r.includes('list-type'));
    assert.deepEqual(
      reads,
      [`/s3/bkt/exp/run a/events.out.tfevents.1.h bytes=${old}-`],
      'only the grown file, from its old size',
    );
    await page.context().close();
  },
);

test(
  'a web folder reloads too: unknown sizes are probed from the offset read (416: nothing new)',
  { skip },
  async () => {
    const page = await openLink(`${providers.url}/web/python/`);
    const web = providers.stores.get('web');
    const old = web.get('run b/events.out.tfevents.1.h').length;
    web.set(
      'run b/events.out.tfevents.1.h',
      Buffer.concat([web.get('run b/events.out.tfevents.1.h'), steps(4, 6)]),
    );
    const n = providers.requests.length;
    await page.click('#reload');
    await page.waitForFunction(
      () => Number(document.body.dataset.reloads) >= 2 && document.body.dataset.state === 'idle',
    );
    await waitIdle(page);
    assert.deepEqual(await lossSteps(page, 'run b'), [0, 1, 2, 3, 4, 5]);
    const reads = requestedSince(n).filter((r) => !r.endsWith('/ null'));
    assert.ok(
      reads.includes(`/web/python/run b/events.out.tfevents.1.h bytes=${old}-`),
      reads.join('\n'),
    );
    await page.context().close();
  },
);

test(
  'said plainly: a GitHub rate limit, a Git LFS pointer, an unknown Hugging Face repository, a missing bucket',
  { skip },
  async () => {
    let page = await openLink('https://github.com/o/limited');
    assert.match(
      await page.textContent('#notice'),
      /Could not read: GitHub o\/limited: the provider's rate limit was reached; it lifts at \d\d:\d\d\. Without a login GitHub allows 60 API requests an hour/,
    );
    await page.context().close();

    page = await openLink('https://github.com/o/r');
    assert.deepEqual(
      await runs(page),
      ['runs/run a', 'runs/run b'],
      'the LFS pointer is not read as a run',
    );
    const notice = await page.textContent('#notice');
    assert.match(
      notice,
      /lfs\/events.out.tfevents.9.h: lfs\/events.out.tfevents.9.h in GitHub o\/r is stored with Git LFS.*Download it/,
    );
    const status = await page
      .$eval(
        '[data-table="files"] tbody tr[data-path="lfs/events.out.tfevents.9.h"]',
        (r) => r.dataset.status,
      )
      .catch(() => null);
    if (status !== null) assert.equal(status, 'read_error');
    await page.context().close();

    page = await openLink('https://huggingface.co/org/nope');
    assert.match(
      await page.textContent('#notice'),
      /Hugging Face model org\/nope: HTTP 401 \(Repository not found\).*private or gated/,
    );
    await page.context().close();

    page = await openLink('s3://nobucket/x/');
    assert.match(
      await page.textContent('#notice'),
      /Could not read: S3 s3:\/\/nobucket\/x\/: HTTP 404 \(The specified bucket does not exist\) for \S+\. Check the bucket name/,
    );
    await page.context().close();
  },
);

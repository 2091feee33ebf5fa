// End-to-end against the corpus of real logs (../shared/corpus, or
// $TBVIEW_CORPUS): the whole files/ folder is opened through the folder picker,
// and what the page shows is compared with TensorBoard's own reading in
// expected/: each file's status and record count, and each run's scalar points
// per tag (the files of a run concatenated in name order, with the restart rule
// applied). Skipped, saying so, when the corpus or the wasm engine is absent
// (the fake engine does not understand every writer).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { CORPUS, HAVE_CORPUS } from '../support/corpus.cjs';
import {
  DIST,
  HAVE_WASM,
  keptScalarCounts,
  launchBrowser,
  openApp,
  startServer,
  waitIdle,
} from './helpers.mjs';

const skip = !HAVE_CORPUS
  ? `no corpus at ${CORPUS}`
  : !HAVE_WASM
    ? 'the wasm engine is not built (scripts/build_wasm.sh)'
    : !existsSync(path.join(DIST, 'index.html'))
      ? 'web/dist is not built'
      : false;

const FILES = path.join(CORPUS, 'files');
const EXPECTED = path.join(CORPUS, 'expected');
const ARCHIVE = /\.(zip|tar|tar\.gz|tgz|gz)$/;

function walk(dir, rel = '') {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const abs = path.join(dir, name);
    const r = rel ? `${rel}/${name}` : name;
    if (statSync(abs).isDirectory()) out.push(...walk(abs, r));
    else out.push(r);
  }
  return out;
}

function expectedOf(rel) {
  const p = path.join(EXPECTED, `${rel}.json`);
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : null;
}

let server;
let browser;
let page;
let shownFiles; // path -> {status, records, text}
let shownTags; // "run\ttag" -> points
let engineFiles;

before(async () => {
  if (skip) return;
  server = await startServer();
  browser = await launchBrowser();
  page = await openApp(browser, server.url);
  await page.setInputFiles('#folder-input', FILES);
  await page.waitForFunction(() => window.__tbview.files.length > 0, null, { timeout: 60_000 });
  await waitIdle(page, 180_000);
  shownFiles = await page.$$eval('[data-table="files"] tbody tr', (rows) =>
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
  shownTags = await page.$$eval('[data-table="tags"] tbody tr', (rows) =>
    Object.fromEntries(
      rows.map((r) => [
        `${r.dataset.run}\t${r.dataset.tag}`,
        { points: Number(r.dataset.points), plugin: r.dataset.plugin },
      ]),
    ),
  );
  engineFiles = await page.evaluate(() => window.__tbview.client.files());
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test(
  'every corpus file is listed; statuses and record counts match TensorBoard',
  { skip, timeout: 300_000 },
  () => {
    const problems = [];
    for (const rel of walk(FILES)) {
      const row = shownFiles[rel];
      if (!row) {
        problems.push(`${rel}: not listed`);
        continue;
      }
      if (ARCHIVE.test(rel)) {
        if (row.status === 'not_event') problems.push(`${rel}: archive not opened: ${row.text}`);
        continue;
      }
      const exp = expectedOf(rel);
      if (!exp) {
        // Projector files and other non-event files beside the logs.
        if (row.status !== 'not_event')
          problems.push(`${rel}: expected not_event, shown ${row.status}`);
        continue;
      }
      // A 0-byte file is "ok, 0 records" to TensorBoard; the viewer says what it is.
      if (
        exp.status === 'ok' &&
        exp.records === 0 &&
        row.status === 'not_event' &&
        /empty/.test(row.text)
      )
        continue;
      const want = { ok: 'ok', truncated: 'waiting', error: 'not_event' }[exp.status];
      if (row.status !== want)
        problems.push(`${rel}: status ${row.status} (${row.text}), TensorBoard: ${exp.status}`);
      if (exp.status !== 'error' && row.records !== exp.records)
        problems.push(`${rel}: ${row.records} records, TensorBoard: ${exp.records}`);
      if (exp.status === 'error' && !/^not an event file: \S/.test(row.text))
        problems.push(`${rel}: says "${row.text}"`);
    }
    assert.deepEqual(problems, []);
  },
);

test(
  'scalar points per run and tag match TensorBoard (restart rule applied)',
  { skip, timeout: 300_000 },
  () => {
    // Expected JSONs of the plain (non-archive) event files, grouped by run, in name order.
    const runs = new Map();
    for (const rel of walk(FILES)) {
      if (ARCHIVE.test(rel)) continue;
      const exp = expectedOf(rel);
      if (!exp || exp.status === 'error') continue;
      const run = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '.';
      if (!runs.has(run)) runs.set(run, []);
      runs.get(run).push(exp);
    }
    const problems = [];
    let compared = 0;
    for (const [run, exps] of runs) {
      for (const [tag, count] of keptScalarCounts(exps)) {
        const shown = shownTags[`${run}\t${tag}`];
        compared++;
        if (!shown) problems.push(`${run} / ${tag}: not shown (TensorBoard: ${count} points)`);
        else if (shown.points !== count)
          problems.push(`${run} / ${tag}: ${shown.points} points, TensorBoard: ${count}`);
      }
    }
    assert.ok(compared > 50, `compared only ${compared} scalar series`);
    assert.deepEqual(problems, []);
  },
);

test(
  'archives are opened in place: their members appear as files with their own records',
  { skip },
  () => {
    const problems = [];
    let members = 0;
    for (const rel of walk(FILES).filter((r) => ARCHIVE.test(r))) {
      const memberDir = path.join(EXPECTED, rel);
      if (!existsSync(memberDir)) continue;
      for (const m of walk(memberDir)) {
        const exp = JSON.parse(readFileSync(path.join(memberDir, m), 'utf8'));
        const member = m.replace(/\.json$/, '');
        const f = engineFiles.find(
          (x) => x.path === `${rel}/${member}` || x.path.endsWith(`/${member}`),
        );
        members++;
        if (!f) {
          problems.push(`${rel} :: ${member}: not listed`);
          continue;
        }
        if (exp.status === 'ok' && Number(f.records) !== exp.records)
          problems.push(`${rel} :: ${member}: ${f.records} records, TensorBoard: ${exp.records}`);
      }
    }
    assert.ok(members > 0, 'the corpus has archives with expected members');
    assert.deepEqual(problems, []);
  },
);

test('the page stayed free of errors while loading the corpus', { skip }, () => {
  assert.deepEqual(page.__errors, []);
});

#!/usr/bin/env node
// Sizes of single-file reports (scripts/export.mjs export-html); a benchmark that
// prints figures, not a test.
//
//   node tests/bench/report_size.mjs [--mb 50] [--no-open]
//
// Two logdirs: the demo logs (build/native/tbview demo) and a synthetic logdir of
// about --mb MB written by build/native/tbview_bench --keep (legacy scalars,
// tensor scalars and a mixed file, as the native benchmark writes them). For each:
// the logs' bytes, their gzip, the report's size and how much of it is the app,
// the export time, and (unless --no-open) the time headless Chromium takes to open
// the report from file:// until every file is read (network blocked).
// Uses web/dist as it is (build it first: cd web && npx vite build).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const targetMb = Number(args[args.indexOf('--mb') + 1]) || 50;
const open = !args.includes('--no-open');
const MB = (n) => `${(n / 1e6).toFixed(2)} MB`;

function run(cmd, argv) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')}: ${r.stderr || r.stdout}`);
  return r;
}

function dirBytes(d) {
  let n = 0;
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    n += e.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return n;
}

async function openTime(file) {
  const { launchBrowser } = await import(path.join(ROOT, 'tests/e2e/helpers.mjs'));
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext();
    await context.route(
      (u) => u.protocol !== 'file:',
      (r) => r.abort(),
    );
    const page = await context.newPage();
    const t0 = Date.now();
    await page.goto(`file://${file}`, { timeout: 300_000 });
    await page.waitForFunction(
      () =>
        window.__tbview &&
        window.__tbview.idle &&
        document.body.dataset.state === 'idle' &&
        window.__tbview.files.length > 0,
      null,
      { timeout: 300_000, polling: 200 },
    );
    const ms = Date.now() - t0;
    const files = await page.evaluate(() => window.__tbview.files.map((f) => f.status));
    return { ms, files: files.length, ok: files.filter((s) => s === 'ok').length };
  } finally {
    await browser.close();
  }
}

async function measure(name, logdir, tmp) {
  const out = path.join(tmp, `${name}.html`);
  const t0 = Date.now();
  const r = run(process.execPath, [
    path.join(ROOT, 'scripts/export.mjs'),
    'export-html',
    logdir,
    out,
    '--no-build',
  ]);
  const exportMs = Date.now() - t0;
  const size = statSync(out).size;
  const gz = /([\d.]+) MB gzipped/.exec(r.stdout);
  const app = /app ([\d.]+) MB/.exec(r.stdout);
  console.log(
    `${name}: logs ${MB(dirBytes(logdir))}, gzipped ${gz ? gz[1] : '?'} MB -> report ${MB(size)} ` +
      `(app part ${app ? app[1] : '?'} MB); export ${(exportMs / 1000).toFixed(1)} s`,
  );
  if (open) {
    const o = await openTime(out);
    console.log(
      `  opened from file:// in ${(o.ms / 1000).toFixed(1)} s (${o.ok}/${o.files} files ok)`,
    );
  }
}

const tmp = mkdtempSync(path.join(tmpdir(), 'tbview-report-size-'));
try {
  const demo = path.join(tmp, 'demo');
  run(path.join(ROOT, 'build/native/tbview'), ['demo', demo]);
  await measure('demo', demo, tmp);

  // tbview_bench writes about 131 bytes per event (measured: 100k events, 13.1 MB).
  const big = path.join(tmp, 'big');
  const events = Math.round((targetMb * 1e6) / 131);
  run(path.join(ROOT, 'build/native/tbview_bench'), [
    '--events',
    String(events),
    '--dir',
    big,
    '--keep',
    '--no-breakdown',
  ]);
  await measure(`synthetic ~${targetMb} MB`, big, tmp);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

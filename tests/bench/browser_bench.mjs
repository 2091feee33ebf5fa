// Browser figures of the built app (not a test: it prints numbers, asserts none).
//
//   node tests/bench/browser_bench.mjs [--only=decode,first-card,draw,size] [--events=N]
//        [--logdir-mb=100] [--repeat=3] [--bench=PATH_TO_tbview_bench] [--keep]
//
// Serves web/dist with scripts/serve.mjs, drives the system Chromium
// (playwright-core, headless) and prints:
//   decode      wasm decode throughput in the app's own parser worker: the same
//               legacy-scalar log as the native bench (tbview_bench --generate-only),
//               pushed in 4 MiB chunks through the worker protocol (as the app's
//               DataClient does), best of --repeat; beside it, the native figure
//               for the same file (`tbview_bench --file`), and the ratio.
//   first-card  a ~100 MB logdir (4 runs x 25 tags) opened through the folder
//               input (#folder-input): from the input's change event to the first
//               Scalars card with data-drawn="1", and to the load's end
//               (body[data-state="idle"]), best of --repeat fresh pages.
//   draw        20 cards of 10 runs x 100k points (tags of 100k steps): after the
//               load, each card scrolled into view and drawn; prints each card's
//               data-draw-ms (Vega) and its time from scroll to drawn (queries too).
//   size        the app as served: every file of web/dist by kind, raw and gzipped
//               (level 9), and the total (the wasm is inside tbview_web.js).
// Times are wall clock (a browser gives nothing else); on a busy machine they
// include the neighbours. The native figures are thread CPU time and wall clock.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { DIST, ROOT, launchBrowser, startServer } from '../e2e/helpers.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : dflt;
};
const ONLY = opt('only', 'size,decode,first-card,draw').split(',');
const EVENTS = Number(opt('events', 2000000));
const LOGDIR_MB = Number(opt('logdir-mb', 100));
const REPEAT = Number(opt('repeat', 3));
const KEEP = args.includes('--keep');

// The native bench: --bench=, else the newest of build/native and build-<name>.
function findBench() {
  const given = opt('bench', process.env.TBVIEW_BENCH || '');
  if (given) return given;
  const candidates = [path.join(ROOT, 'build/native/tbview_bench')];
  for (const d of readdirSync(ROOT))
    if (d.startsWith('build-')) candidates.push(path.join(ROOT, d, 'tbview_bench'));
  const found = candidates
    .filter((p) => existsSync(p))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (!found.length)
    throw new Error('no tbview_bench: build it (scripts/build.sh) or pass --bench=PATH');
  return found[0];
}
const BENCH = findBench();

/** Writes a legacy-scalar event file of `events` events over `tags` tags to `file`. */
function generate(file, events, tags) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tbview_gen_'));
  execFileSync(
    BENCH,
    [
      '--events',
      String(events),
      '--tags',
      String(tags),
      '--only',
      'legacy',
      '--dir',
      dir,
      '--generate-only',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  mkdirSync(path.dirname(file), { recursive: true });
  renameSync(path.join(dir, 'legacy.tfevents'), file);
  rmSync(dir, { recursive: true, force: true });
}

const fmt = (x, d = 1) => Number(x).toFixed(d);
const ms = (x) => `${fmt(x, 0)} ms`;

// ---------------------------------------------------------------- size

function sizeReport() {
  const byKind = new Map();
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) {
        walk(p);
        continue;
      }
      const buf = readFileSync(p);
      const ext = path.extname(name).slice(1) || 'other';
      const kind = p.includes(`${path.sep}wasm${path.sep}`)
        ? 'wasm (engine .js, wasm embedded)'
        : ext;
      const k = byKind.get(kind) || { files: 0, raw: 0, gz: 0 };
      k.files++;
      k.raw += buf.length;
      k.gz += zlib.gzipSync(buf, { level: 9 }).length;
      byKind.set(kind, k);
    }
  };
  walk(DIST);
  console.log('\n== size: web/dist as served (gzip -9)');
  let raw = 0;
  let gz = 0;
  let appGz = 0;
  for (const [kind, k] of [...byKind].sort((a, b) => b[1].gz - a[1].gz)) {
    console.log(
      `  ${kind.padEnd(34)} ${String(k.files).padStart(3)} files ${fmt(k.raw / 1024, 0).padStart(7)} KiB raw ${fmt(k.gz / 1024, 0).padStart(6)} KiB gzipped`,
    );
    raw += k.raw;
    gz += k.gz;
    if (/^wasm|^js$|^css$|^html$/.test(kind)) appGz += k.gz;
  }
  console.log(
    `  total                                    ${fmt(raw / 1024, 0).padStart(7)} KiB raw ${fmt(gz / 1024, 0).padStart(6)} KiB gzipped`,
  );
  console.log(`  app (wasm + JS + CSS + HTML), gzipped: ${fmt(appGz / 1024, 0)} KiB`);
}

// ---------------------------------------------------------------- helpers

async function newApp(browser, url, viewport = { width: 1400, height: 1000 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => window.__tbview && window.__tbview.ready, null, {
    timeout: 60_000,
  });
  page.__errors = errors;
  return { context, page };
}

// ---------------------------------------------------------------- decode

async function decodeBench(browser, server, work) {
  const file = path.join(work, 'decode', 'legacy.tfevents');
  generate(file, EVENTS, 100);
  const mb = statSync(file).size / 1e6;
  console.log(
    `\n== decode: ${EVENTS} legacy scalar events over 100 tags, ${fmt(mb)} MB, 4 MiB pushes`,
  );
  // Native, same file: the "Logdir load" line (thread CPU time, then wall clock).
  const nat = spawnSync(BENCH, ['--file', file, '--no-breakdown'], { encoding: 'utf8' });
  const lines = nat.stdout.split('\n');
  const i = lines.findIndex((l) => l.includes('Logdir load'));
  const nativeCpu = i >= 0 ? Number(/([\d.]+) M events\/s/.exec(lines[i])[1]) : NaN;
  const nativeWallS = i >= 0 ? Number(/^\s*([\d.]+) s/.exec(lines[i + 1])?.[1]) : NaN;
  const records = EVENTS + 1;
  const nativeWall = records / nativeWallS / 1e6;
  console.log(
    `  native (tbview_bench --file): ${fmt(nativeCpu, 2)} M events/s thread CPU; ${fmt(nativeWall, 2)} M events/s wall`,
  );

  const { context, page } = await newApp(browser, server.url);
  // The bytes reach the page as a File of a file input of its own (a local path,
  // nothing copied through the browser protocol), read once into memory.
  await page.evaluate(() => {
    const input = Object.assign(document.createElement('input'), {
      type: 'file',
      id: '__bench-input',
      hidden: true,
    });
    document.body.append(input);
  });
  await page.setInputFiles('#__bench-input', file);
  await page.evaluate(async () => {
    window.__benchBytes = await document.getElementById('__bench-input').files[0].arrayBuffer();
  });
  let best = Infinity;
  for (let r = 0; r < REPEAT; r++) {
    // The app's worker, through its protocol (client.rpc), as DataClient._read
    // does: one 4 MiB push in flight at a time (each a transferred copy).
    const x = await page.evaluate(async (run) => {
      const rpc = window.__tbview.client.rpc;
      const bytes = new Uint8Array(window.__benchBytes);
      const CHUNK = 4 << 20;
      const id = await rpc.call('open', {
        path: `bench${run}/events.out.tfevents.1600000000.bench`,
      });
      const chunks = [];
      for (let o = 0; o < bytes.length; o += CHUNK) chunks.push(bytes.slice(o, o + CHUNK).buffer);
      const t0 = performance.now();
      for (let k = 0; k < chunks.length; k++) {
        await rpc.call('push', { id, chunk: chunks[k], end: k === chunks.length - 1 }, [chunks[k]]);
      }
      const t = performance.now() - t0;
      const files = await rpc.call('files');
      return {
        ms: t,
        records: files.find((f) => f.id === id).records,
        status: files.find((f) => f.id === id).status,
      };
    }, r);
    const rate = x.records / (x.ms / 1e3) / 1e6;
    console.log(
      `  chromium worker run ${r + 1}: ${ms(x.ms)}, ${fmt(rate, 2)} M events/s, ${fmt(mb / (x.ms / 1e3), 0)} MB/s (${x.records} records, ${x.status})`,
    );
    best = Math.min(best, x.ms);
  }
  const rate = records / (best / 1e3) / 1e6;
  console.log(
    `  chromium worker best: ${fmt(rate, 2)} M events/s; ratio to native: ${fmt(rate / nativeCpu, 2)} (CPU) / ${fmt(rate / nativeWall, 2)} (wall)`,
  );
  await context.close();
  return { file, nativeCpu };
}

// ---------------------------------------------------------------- first card

/** Opens `dir` through the folder input; resolves the page's timings. */
async function openFolderTimed(page, dir, { timeout = 300_000 } = {}) {
  await page.evaluate(() => {
    const input = document.querySelector('#folder-input');
    window.__bench = { t0: 0, firstCard: 0, clientIdle: 0, idle: 0 };
    window.__tbview.client.addEventListener(
      'idle',
      () => {
        window.__bench.clientIdle = performance.now();
      },
      { once: true },
    );
    input.addEventListener(
      'change',
      () => {
        window.__bench.t0 = performance.now();
      },
      { capture: true, once: true },
    );
    const seen = () => {
      const b = window.__bench;
      if (!b.t0) return;
      if (!b.firstCard && document.querySelector('.sc-card[data-drawn="1"], [data-drawn="1"]'))
        b.firstCard = performance.now();
      if (!b.idle && document.body.dataset.state === 'idle') b.idle = performance.now();
    };
    new MutationObserver(seen).observe(document.body, {
      subtree: true,
      attributes: true,
      attributeFilter: ['data-drawn', 'data-state'],
    });
  });
  await page.setInputFiles('#folder-input', dir);
  await page.waitForFunction(() => window.__bench.firstCard && window.__bench.idle, null, {
    timeout,
  });
  return page.evaluate(() => {
    const b = window.__bench;
    return { firstCard: b.firstCard - b.t0, idle: b.idle - b.t0, clientIdle: b.clientIdle - b.t0 };
  });
}

async function firstCardBench(browser, server, work) {
  const dir = path.join(work, 'logdir100');
  const runs = 4;
  const tags = 25;
  // ~55 bytes per legacy event with these tag names.
  const perRun = Math.round((LOGDIR_MB * 1e6) / 55 / runs);
  for (let r = 0; r < runs; r++)
    generate(
      path.join(dir, `run_${r}`, `events.out.tfevents.${1600000000 + r}.bench`),
      perRun,
      tags,
    );
  let total = 0;
  for (let r = 0; r < runs; r++)
    total += statSync(
      path.join(dir, `run_${r}`, `events.out.tfevents.${1600000000 + r}.bench`),
    ).size;
  console.log(
    `\n== first card: ${runs} runs x ${tags} tags, ${perRun} events per run, ${fmt(total / 1e6)} MB, via #folder-input`,
  );
  const results = [];
  for (let r = 0; r < REPEAT; r++) {
    const { context, page } = await newApp(browser, server.url);
    const t = await openFolderTimed(page, dir);
    const drawn = await page.evaluate(() => document.querySelectorAll('[data-drawn="1"]').length);
    console.log(
      `  run ${r + 1}: first card drawn ${ms(t.firstCard)}, load finished (idle) ${ms(t.idle)} ` +
        `(all bytes parsed: ${ms(t.clientIdle)}); ${drawn} cards drawn` +
        (page.__errors.length ? `; page errors: ${page.__errors.join(' | ')}` : ''),
    );
    results.push(t);
    await context.close();
  }
  const best = (k) => Math.min(...results.map((x) => x[k]));
  const median = (k) =>
    results.map((x) => x[k]).sort((a, b) => a - b)[Math.floor(results.length / 2)];
  console.log(
    `  first card: best ${ms(best('firstCard'))}, median ${ms(median('firstCard'))}; ` +
      `full load: best ${ms(best('idle'))}, median ${ms(median('idle'))}  (${fmt(total / 1e6 / (best('idle') / 1e3), 0)} MB/s)`,
  );
}

// ---------------------------------------------------------------- draw

async function drawBench(browser, server, work) {
  const dir = path.join(work, 'draw20');
  const runs = 10;
  const tags = 20;
  const steps = 100000;
  for (let r = 0; r < runs; r++)
    generate(
      path.join(dir, `run_${r}`, `events.out.tfevents.${1600000000 + r}.bench`),
      steps * tags,
      tags,
    );
  console.log(`\n== draw: ${tags} cards x ${runs} runs x ${steps} points`);
  const { context, page } = await newApp(browser, server.url, { width: 1400, height: 900 });
  const t = await openFolderTimed(page, dir, { timeout: 600_000 });
  console.log(
    `  loaded ${runs * tags * steps} points: first card ${ms(t.firstCard)}, idle ${ms(t.idle)}`,
  );
  const cards = await page.evaluate(() =>
    [...document.querySelectorAll('.sc-card')].map((el) => el.dataset.tag),
  );
  const rows = [];
  for (const tag of cards) {
    // Force a fresh draw of this card with the full data: scroll it into view,
    // then (if it was drawn already) wait for a render that began after the scroll.
    const r = await page.evaluate(async (tag) => {
      const el = [...document.querySelectorAll('.sc-card')].find((e) => e.dataset.tag === tag);
      const card = el.__card;
      el.scrollIntoView({ block: 'center' });
      await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
      // A draw of our own (the one the scroll may have started is superseded):
      // the card's queries (one per run) and its Vega render.
      const t0 = performance.now();
      if (card && typeof card.draw === 'function') await card.draw();
      const limit = performance.now() + 20000;
      while (el.dataset.drawn !== '1' && performance.now() < limit)
        await new Promise((res) => setTimeout(res, 5));
      return {
        total: performance.now() - t0,
        drawMs: Number(el.dataset.drawMs),
        points: Number(el.dataset.points),
        runs: (el.dataset.runs || '').split(',').filter(Boolean).length,
        drawn: el.dataset.drawn === '1',
      };
    }, tag);
    rows.push({ tag, ...r });
  }
  for (const r of rows)
    console.log(
      `  ${r.tag.padEnd(24)} draw ${ms(r.drawMs).padStart(7)}  query+draw ${ms(r.total).padStart(7)}  (${r.runs} runs, ${r.points} rows to Vega${r.drawn ? '' : ', NOT DRAWN'})`,
    );
  const avg = (k) => rows.reduce((s, r) => s + r[k], 0) / rows.length;
  const max = (k) => Math.max(...rows.map((r) => r[k]));
  console.log(
    `  per card: draw mean ${ms(avg('drawMs'))}, max ${ms(max('drawMs'))}; query+draw mean ${ms(avg('total'))}, max ${ms(max('total'))}` +
      (page.__errors.length ? `; page errors: ${page.__errors.join(' | ')}` : ''),
  );
  await context.close();
}

// ---------------------------------------------------------------- main

async function main() {
  if (!existsSync(path.join(DIST, 'wasm/tbview_web.js')))
    throw new Error('web/dist has no wasm: scripts/build_wasm.sh, then (cd web && npx vite build)');
  console.log(
    `browser_bench: ${path.relative(ROOT, DIST)}, native bench ${path.relative(ROOT, BENCH)}, ${os.cpus().length} CPUs, load ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  if (ONLY.includes('size')) sizeReport();
  const need = ONLY.filter((x) => x !== 'size');
  if (!need.length) return;
  const work = mkdtempSync(path.join(os.tmpdir(), 'tbview_browser_bench_'));
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    if (ONLY.includes('decode')) await decodeBench(browser, server, work);
    if (ONLY.includes('first-card')) await firstCardBench(browser, server, work);
    if (ONLY.includes('draw')) await drawBench(browser, server, work);
  } finally {
    await browser.close();
    await server.stop();
    if (KEEP) console.log(`(kept ${work})`);
    else rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

#!/usr/bin/env node
// Publishing logs without a server of our own (plain Node, no dependencies; run by
// scripts/tbview):
//
//   export-site LOGDIR OUTDIR [--runs REGEX] [--all-files] [--force] [--no-build] [--dist DIR]
//   export-html LOGDIR REPORT.html [--runs REGEX] [--all-files] [--title T] [--state QUERY]
//                                  [--no-build] [--dist DIR]
//
// export-site writes a folder that any static host serves as a working viewer:
//   OUTDIR/                  a copy of the built app (web/dist), service worker included
//   OUTDIR/index.html        the app's page plus <meta name="tbview-logdir" content="logs/">,
//                            so the page opens logs/ by itself: no query string in the link
//                            (GitHub Pages, S3, any plain web server)
//   OUTDIR/logs/...          the selected log files, paths as in LOGDIR
//   OUTDIR/logs/tbview-manifest.json  {"schema":"tbview-manifest-1","files":[{path,size,mtime}],
//                            "runs":[...]}: written by `tbview manifest` (the native tool,
//                            built by scripts/tbview when needed)
//   OUTDIR/logs/index.json   {"files":[{path,size}]}, the listing scripts/serve.mjs serves;
//                            the page reads it first for the meta tag (web/src/shell/url_open.js),
//                            so no 404 is ever requested
//   OUTDIR/.nojekyll         GitHub Pages would otherwise drop folders starting with '_'
//
// export-html writes one self-contained HTML file (format: web/src/report/html.js):
// app, worker, wasm engine and the logs (one gzip stream, base64) inline, with a
// strict CSP of hashes; it opens from file:// with no network.
//
// What is exported: files of runs matching --runs (a JavaScript RegExp searched in
// the run name: the file's directory relative to LOGDIR, "." for LOGDIR itself),
// and only log files: event files and archives (.zip, .tar, gzip) by content, as
// the native `tbview detect` says (the core's rule), and files named like event
// files. Other files (checkpoints, configs) are counted and left out unless
// --all-files.
//
// The app: web/dist, built first with `npx vite build` when it is missing or older
// than any source of it (--no-build uses it as it is; --dist DIR uses another build).
//
// Exit codes: 0 written; 1 nothing to export or a file could not be read; 2 usage.
import { spawnSync } from 'node:child_process';
import { promises as fs, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { buildReportHtml } from '../web/src/report/html.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WEB = path.join(ROOT, 'web');

const USAGE = `usage:
  scripts/tbview export-site LOGDIR OUTDIR [--runs REGEX] [--all-files] [--force] [--no-build] [--dist DIR]
  scripts/tbview export-html LOGDIR REPORT.html [--runs REGEX] [--all-files] [--title T] [--state QUERY] [--no-build] [--dist DIR]`;

class UsageError extends Error {}

export function parseArgs(argv) {
  const [command, ...rest] = argv;
  if (command !== 'export-site' && command !== 'export-html')
    throw new UsageError(`unknown command ${command || '(none)'}`);
  const o = {
    command,
    runs: null,
    allFiles: false,
    force: false,
    build: true,
    dist: path.join(WEB, 'dist'),
    title: null,
    state: '',
  };
  const pos = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const val = () => {
      if (i + 1 >= rest.length) throw new UsageError(`${a} needs a value`);
      return rest[++i];
    };
    if (a === '--runs') {
      const src = val();
      try {
        o.runs = new RegExp(src);
      } catch (e) {
        throw new UsageError(`--runs: ${e.message}`);
      }
    } else if (a === '--all-files') o.allFiles = true;
    else if (a === '--force') o.force = true;
    else if (a === '--no-build') o.build = false;
    else if (a === '--dist') o.dist = path.resolve(val());
    else if (a === '--title') o.title = val();
    else if (a === '--state') o.state = val().replace(/^\?/, '');
    else if (a === '-h' || a === '--help') o.help = true;
    else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else pos.push(a);
  }
  if (o.help) return o;
  if (pos.length !== 2)
    throw new UsageError(
      `${command} needs LOGDIR and ${command === 'export-site' ? 'OUTDIR' : 'REPORT.html'}`,
    );
  [o.logdir, o.out] = pos.map((p) => path.resolve(p));
  return o;
}

// ------------------------------------------------------------------ the app build

/** Newest mtime (ms) of the files below `p` (or of p). */
function newest(p) {
  let st;
  try {
    st = statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const e of readdirSync(p)) m = Math.max(m, newest(path.join(p, e)));
  return m;
}

/** Builds web/dist when it is missing or older than its sources. */
export function ensureBuilt({ dist, build }) {
  const assets = path.join(dist, 'tbview-assets.json');
  const have = existsSync(assets);
  if (!build) {
    if (!have)
      throw new Error(`${assets} is missing: build the app first (cd web && npx vite build)`);
    return;
  }
  const sources = [
    'index.html',
    'vite.config.js',
    'package-lock.json',
    'src',
    'tools',
    'public',
  ].map((p) => newest(path.join(WEB, p)));
  if (have && statSync(assets).mtimeMs >= Math.max(...sources)) return;
  if (path.resolve(dist) !== path.join(WEB, 'dist'))
    throw new Error(`${dist} is not up to date; rebuild it or use --no-build`);
  if (!existsSync(path.join(WEB, 'node_modules/vite')))
    throw new Error('web/node_modules is missing: run scripts/setup.sh (or cd web && npm ci)');
  if (!existsSync(path.join(WEB, 'public/wasm/tbview_web.js')))
    throw new Error('the wasm engine is missing: run scripts/build_wasm.sh');
  console.error('tbview: building the app (cd web && npx vite build) ...');
  const r = spawnSync('npx', ['vite', 'build'], {
    cwd: WEB,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) throw new Error('the app build failed');
}

/** The built app's parts for a report, read through dist/tbview-assets.json. */
export function readAppParts(dist) {
  const assets = JSON.parse(readFileSync(path.join(dist, 'tbview-assets.json'), 'utf8'));
  const read = (rel) => readFileSync(path.join(dist, rel), 'utf8');
  return {
    shell: read(assets.html),
    css: assets.css.map(read).join('\n'),
    appJs: read(assets.js),
    workerJs: read(assets.worker),
    engineJs: read(assets.engine),
  };
}

// ------------------------------------------------------------------ the logs

/**
 * Runs the native command-line tool through scripts/tbview, which builds it first
 * when needed: the content rules (detect.h) and the manifest format
 * (cmd_manifest.cc) live there, not here. Returns its stdout; throws on failure.
 */
function tbview(args) {
  const r = spawnSync(path.join(ROOT, 'scripts/tbview'), args, {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.error) throw new Error(`scripts/tbview ${args[0]}: ${r.error.message}`);
  if (r.status !== 0)
    throw new Error(`scripts/tbview ${args[0]} failed (exit ${r.status}): ${r.stderr.trim()}`);
  return r.stdout;
}

/**
 * What each file is by content, from `tbview detect` (in batches that keep the
 * command line short): Map abs path -> 'event' | 'gzip' | 'tar' | 'zip' | 'other'.
 */
export function detectKinds(files) {
  const kinds = new Map();
  for (let i = 0; i < files.length;) {
    const batch = [];
    for (
      let len = 0;
      i < files.length && (batch.length === 0 || len + files[i].length < 100_000);
      i++
    ) {
      batch.push(files[i]);
      len += files[i].length + 1;
    }
    for (const f of JSON.parse(tbview(['detect', ...batch])).files) kinds.set(f.path, f.kind);
  }
  return kinds;
}

/**
 * 'event' | 'archive' | 'other': by content (the core's rule, from detectKinds),
 * then by name: a file named like an event file is one even if it does not look
 * like one yet (still empty, being written).
 */
function logKind(contentKind, name) {
  if (contentKind === 'event') return 'event';
  if (contentKind === 'gzip' || contentKind === 'tar' || contentKind === 'zip') return 'archive';
  return /tfevents/.test(name) ? 'event' : 'other';
}

/**
 * The files to export: [{path, abs, size}] sorted by path, and how many were
 * left out as not logs. Symlinks leading outside LOGDIR are not followed.
 */
export async function selectLogFiles(logdir, { runs = null, allFiles = false } = {}) {
  const root = await fs.realpath(logdir);
  const found = [];
  const out = [];
  let skipped = 0;
  const ancestors = new Set();
  async function walk(dir, rel) {
    const real = await fs.realpath(dir);
    if ((real !== root && !real.startsWith(root + path.sep)) || ancestors.has(real)) return;
    ancestors.add(real);
    for (const e of (await fs.readdir(dir)).sort()) {
      const abs = path.join(dir, e);
      const r = rel ? `${rel}/${e}` : e;
      let st;
      try {
        const rc = await fs.realpath(abs);
        if (rc !== root && !rc.startsWith(root + path.sep)) continue;
        st = await fs.stat(rc);
      } catch {
        continue;
      }
      if (st.isDirectory()) await walk(abs, r);
      else if (st.isFile()) {
        const run = rel || '.';
        if (runs && !runs.test(run)) continue;
        found.push({ path: r, abs, size: st.size, mtime: Math.round(st.mtimeMs) });
      }
    }
    ancestors.delete(real);
  }
  await walk(root, '');
  const contentKinds = detectKinds(found.map((f) => f.abs));
  for (const f of found) {
    f.kind = logKind(contentKinds.get(f.abs), path.basename(f.abs));
    if (!allFiles && f.kind === 'other') skipped++;
    else out.push(f);
  }
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: out, skipped };
}

// ------------------------------------------------------------------ commands

const MB = (n) => `${(n / 1e6).toFixed(2)} MB`;

async function isEmptyDir(d) {
  try {
    return (await fs.readdir(d)).length === 0;
  } catch (e) {
    if (e.code === 'ENOENT') return true;
    throw e;
  }
}

export async function exportSite(o, files) {
  if (!(await isEmptyDir(o.out))) {
    if (!o.force) throw new Error(`${o.out} is not empty (--force replaces an earlier export)`);
    if (!existsSync(path.join(o.out, 'tbview-assets.json'))) {
      throw new Error(
        `${o.out} does not look like an earlier export (no tbview-assets.json); not replacing it`,
      );
    }
    await fs.rm(o.out, { recursive: true, force: true });
  }
  await fs.mkdir(o.out, { recursive: true });
  await fs.cp(o.dist, o.out, { recursive: true });
  const logs = path.join(o.out, 'logs');
  for (const f of files) {
    const dest = path.join(logs, ...f.path.split('/'));
    await fs.mkdir(path.dirname(dest), { recursive: true });
    await fs.copyFile(f.abs, dest);
    const mtime = new Date(f.mtime);
    await fs.utimes(dest, mtime, mtime); // the manifest's mtimes are the logs' own
  }
  await fs.mkdir(logs, { recursive: true });
  // The manifest first (`tbview manifest` lists every file below logs/), then index.json.
  const manifestPath = path.join(logs, 'tbview-manifest.json');
  tbview(['manifest', logs]);
  const listed = JSON.parse(await fs.readFile(manifestPath, 'utf8')).files;
  const listing = listed.map((f) => ({ path: f.path, size: f.size }));
  await fs.writeFile(path.join(logs, 'index.json'), `${JSON.stringify({ files: listing })}\n`);
  const indexPath = path.join(o.out, 'index.html');
  const html = (await fs.readFile(indexPath, 'utf8'))
    .replace(/\s*<meta name="tbview-logdir"[^>]*>/g, '')
    .replace('</head>', '  <meta name="tbview-logdir" content="logs/">\n</head>');
  await fs.writeFile(indexPath, html);
  await fs.writeFile(path.join(o.out, '.nojekyll'), '');
  const bytes = files.reduce((s, f) => s + f.size, 0);
  console.log(
    `tbview: wrote ${o.out}: the app and ${files.length} log files (${MB(bytes)}) in logs/; serve the folder as is`,
  );
}

export async function exportHtml(o, files) {
  const parts = readAppParts(o.dist);
  // Sizes are those of the bytes read now (a file being written may have grown
  // since it was listed): the report's index must match its bytes exactly.
  const bufs = [];
  for (const f of files) bufs.push(await fs.readFile(f.abs));
  const raw = Buffer.concat(bufs);
  const packed = zlib.gzipSync(raw, { level: 9 });
  const { html } = await buildReportHtml({
    ...parts,
    files: files.map((f, i) => ({ path: f.path, size: bufs[i].length })),
    logsBase64: packed.toString('base64'),
    title: o.title ?? path.basename(o.logdir),
    state: o.state,
    extra: { createdBy: 'tbview export-html', created: new Date().toISOString() },
  });
  await fs.mkdir(path.dirname(o.out), { recursive: true });
  await fs.writeFile(o.out, html);
  const size = Buffer.byteLength(html);
  console.log(
    `tbview: wrote ${o.out}: ${MB(size)} (${files.length} log files, ${MB(raw.length)} of logs, ` +
      `${MB(packed.length)} gzipped, app ${MB(size - Math.ceil(packed.length / 3) * 4)})`,
  );
  if (size > 200e6)
    console.error(
      'tbview: warning: browsers may struggle with an HTML file this large; consider export-site or --runs',
    );
}

export async function main(argv = process.argv.slice(2)) {
  let o;
  try {
    o = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`tbview: ${e.message}\n${USAGE}`);
    return 2;
  }
  if (o.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    if (!(await fs.stat(o.logdir)).isDirectory()) throw new Error('not a directory');
  } catch (e) {
    console.error(`tbview: ${o.logdir}: ${e.code === 'ENOENT' ? 'no such directory' : e.message}`);
    return 2;
  }
  try {
    ensureBuilt(o);
    const { files, skipped } = await selectLogFiles(o.logdir, o);
    if (skipped)
      console.error(
        `tbview: left out ${skipped} files that are not event files or archives (--all-files includes them)`,
      );
    if (!files.length) {
      console.error(
        `tbview: no log files to export in ${o.logdir}${o.runs ? ` for --runs ${o.runs.source}` : ''}`,
      );
      return 1;
    }
    if (o.command === 'export-site') await exportSite(o, files);
    else await exportHtml(o, files);
    return 0;
  } catch (e) {
    console.error(`tbview: ${o.command}: ${e.message}`);
    return 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then((code) => process.exit(code));
}

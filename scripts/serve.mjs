#!/usr/bin/env node
// Serves the built app, and optionally one log directory read-only, with plain
// Node http (no dependencies).
//
//   node scripts/serve.mjs [--port 6006] [--host 127.0.0.1] [--root web/dist] [--logdir DIR] [--cors]
//
// - GET/HEAD of the app's files under --root (index.html for "/").
// - With --logdir: DIR under /logdir/, with HTTP Range requests (206 +
//   Content-Range, Accept-Ranges: bytes, 416 when unsatisfiable), and a listing
//   at /logdir/index.json: {files: [{path, size}]}, recursive, paths relative to
//   DIR, '/'-separated, sorted; the same list as a published-folder manifest
//   (schema tbview-manifest-1, with mtimes; web/src/sources/manifest.js) at
//   /logdir/tbview-manifest.json, so `?url=http://host/logdir/` works too. Both
//   are made on each request (a growing logdir). The app's index.html is served with
//   <meta name="tbview-logdir" content="logdir/"> added, so the page fetches that
//   listing on start and opens the directory by itself.
// - Never serves anything outside --root or DIR: paths with '..' or NUL are
//   refused, and every file's real path (symlinks resolved) must lie inside the
//   real root; symlinks leading out are neither listed nor served.
// - Log files are served with Cache-Control: no-store (they may be growing).
// - With --cors, everything under /logdir/ (files and listings) may be read by
//   pages of any origin, so a tbview page elsewhere can open this logdir by
//   ?url=http://host:port/logdir/ (CORS_HEADERS below; OPTIONS preflights are
//   answered 204). The logs are public to whoever can reach the port anyway;
//   the app's own files get no CORS headers. Without --cors, nothing changes.
import { createReadStream, promises as fs } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * The page's Content-Security-Policy; web/index.html carries the same string in
 * a <meta> (so it holds on any static host), and tests/e2e/hostile.test.mjs
 * checks that the two are equal. Why each directive:
 *   default-src 'self'          anything not named below: own origin only.
 *   script-src 'self'           only the app's own script files: no inline
 *                               script, no eval/new Function (Vega runs with
 *                               ast: true and vega-interpreter), no CDN.
 *   worker-src 'self' blob:     the parser worker is a file of the app; blob:
 *                               for a worker built from a Blob (none today).
 *   style-src 'self'            the app's stylesheets only; no inline <style>
 *                               (vega-embed's defaultStyle is off) so a log
 *                               cannot bring CSS (url() beacons, overlays).
 *                               Style set through the CSSOM (el.style.x = ...)
 *                               is not governed by CSP and is all the app uses.
 *   img-src 'self' blob: data:  logged images are shown from blob: URLs the
 *                               page makes; data: for the favicon and Markdown
 *                               images that DOMPurify kept (data:image/ only).
 *   media-src 'self' blob:      logged audio, from blob: URLs.
 *   font-src 'self'             no web fonts from anywhere else.
 *   connect-src 'self' https: http:
 *                               fetch() of the served logdir, and of log URLs
 *                               the user gives (?logdir=, ?url=), which may be
 *                               on any host; a static policy cannot name the
 *                               user's choice, so any http(s) URL is allowed to
 *                               be fetched, but nothing else (no ws:, no
 *                               data:). The app itself fetches no URL it was
 *                               not given; the e2e test asserts it. A provider
 *                               link (Hugging Face, GitHub, gs://, s3://) is
 *                               turned into that provider's listing API and
 *                               file URLs (web/src/sources/links.js): the
 *                               user's link names them.
 *   object-src 'none', frame-src 'none'   no plugins, no frames.
 *   base-uri 'none'             a <base> cannot redirect relative URLs.
 *   form-action 'none'          nothing can be submitted anywhere.
 *   manifest-src 'self'
 * Header only (a <meta> cannot set it): frame-ancestors 'none' (no framing,
 * hence no clickjacking of the open buttons).
 */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self'; worker-src 'self' blob:; style-src 'self'; " +
  "img-src 'self' blob: data:; media-src 'self' blob:; font-src 'self'; connect-src 'self' https: http:; " +
  "object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'; manifest-src 'self'";
export const PAGE_HEADER_CSP = `${PAGE_CSP}; frame-ancestors 'none'`;
/**
 * The policy of a worker is the one sent with its script (it does not inherit
 * the page's): the parser worker may load its own scripts and compile
 * WebAssembly ('wasm-unsafe-eval' allows WebAssembly.instantiate only, not JS
 * eval); the offline service worker (sw.js) fetches the app's own files.
 * Nothing else. Sent with every .js file (only workers read it).
 */
export const WORKER_CSP =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'";
/**
 * Log files are data, never pages of this origin: if one is opened directly
 * (an .html or .svg in the logdir), it gets a sandbox (opaque origin, no script).
 */
export const LOG_CSP = "default-src 'none'; sandbox";

/**
 * --cors: sent with every answer under /logdir/. Any origin may read (no
 * credentials: the logs are not per-user); the page may send Range (a
 * preflight is needed for Range values Chromium does not safelist) and read
 * Content-Range / Content-Length / Accept-Ranges, which the Range reader of
 * web/src/sources/url.js checks.
 */
export const CORS_HEADERS = Object.freeze({
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Content-Range, Content-Length, Accept-Ranges',
});
export const CORS_PREFLIGHT_HEADERS = Object.freeze({
  ...CORS_HEADERS,
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  'Access-Control-Allow-Headers': 'Range',
  'Access-Control-Max-Age': '600',
});

function parseArgs(argv) {
  const o = {
    port: 6006,
    host: '127.0.0.1',
    root: path.join(ROOT, 'web/dist'),
    logdir: null,
    cors: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--port') o.port = Number(val());
    else if (a === '--host') o.host = val();
    else if (a === '--root') o.root = path.resolve(val());
    else if (a === '--logdir') o.logdir = path.resolve(val());
    else if (a === '--cors') o.cors = true;
    else if (a === '-h' || a === '--help') {
      o.help = true;
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new Error('bad --port');
  return o;
}

/**
 * Maps a URL path below a mount to a real file path inside `realRoot`, or null.
 * `rel` is the already-decoded path after the mount prefix.
 */
async function resolveInside(realRoot, rel) {
  if (rel.includes('\0')) return null;
  const segs = rel.split('/').filter((s) => s !== '' && s !== '.');
  if (segs.some((s) => s === '..' || s.includes('\\'))) return null;
  const candidate = path.join(realRoot, ...segs);
  let real;
  try {
    real = await fs.realpath(candidate);
  } catch {
    return null;
  }
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) return null;
  return real;
}

/** Every regular file below realRoot whose real path stays inside it. */
async function listFiles(realRoot) {
  const out = [];
  // Real paths of the directories being walked (the current chain): a symlink
  // back to one of them is a loop. The same folder reached by two paths is
  // listed under both, as TensorBoard would.
  const ancestors = new Set();
  async function walk(dir, rel) {
    let real;
    try {
      real = await fs.realpath(dir);
    } catch {
      return;
    }
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) return;
    if (ancestors.has(real)) return;
    ancestors.add(real);
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      ancestors.delete(real);
      return;
    }
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      let st;
      try {
        const realChild = await fs.realpath(abs);
        if (realChild !== realRoot && !realChild.startsWith(realRoot + path.sep)) continue;
        st = await fs.stat(realChild);
      } catch {
        continue;
      }
      if (st.isDirectory()) await walk(abs, r);
      else if (st.isFile()) out.push({ path: r, size: st.size, mtime: Math.round(st.mtimeMs) });
    }
    ancestors.delete(real);
  }
  await walk(realRoot, '');
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return out;
}

/** Parses a single "bytes=" range against size: {start, end} (inclusive), 'bad', or null (none). */
export function parseRange(header, size) {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'bad';
  let start, end;
  if (m[1] === '') {
    // suffix: the last N bytes
    const n = Number(m[2]);
    if (n === 0) return 'bad';
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'bad';
  return { start, end };
}

function send(res, status, body, headers = {}) {
  const buf = Buffer.from(body);
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': buf.length,
    ...res.extraHeaders,
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : buf);
}

async function sendFile(req, res, file, { cache, ranges, csp }) {
  let st;
  try {
    st = await fs.stat(file);
  } catch {
    return send(res, 404, 'not found\n');
  }
  if (!st.isFile()) return send(res, 404, 'not found\n');
  const headers = {
    'Content-Type': TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream',
    'Cache-Control': cache,
    'Last-Modified': st.mtime.toUTCString(),
    'X-Content-Type-Options': 'nosniff',
  };
  if (csp) headers['Content-Security-Policy'] = csp;
  let status = 200;
  let start = 0;
  let end = st.size - 1;
  if (ranges) {
    headers['Accept-Ranges'] = 'bytes';
    const r = parseRange(req.headers.range, st.size);
    if (r === 'bad')
      return send(res, 416, 'range not satisfiable\n', { 'Content-Range': `bytes */${st.size}` });
    if (r) {
      status = 206;
      start = r.start;
      end = r.end;
      headers['Content-Range'] = `bytes ${start}-${end}/${st.size}`;
    }
  }
  headers['Content-Length'] = st.size === 0 ? 0 : end - start + 1;
  res.writeHead(status, { ...res.extraHeaders, ...headers });
  if (req.method === 'HEAD' || st.size === 0) return res.end();
  const stream = createReadStream(file, { start, end });
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** The CSP header for one of the app's files: the page's, a worker's, or none. */
function cspFor(file) {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.html') return PAGE_HEADER_CSP;
  if (ext === '.js' || ext === '.mjs') return WORKER_CSP;
  return LOG_CSP;
}

export async function createServer({ root, logdir, cors = false }) {
  const realRoot = await fs.realpath(root);
  const realLogdir = logdir ? await fs.realpath(logdir) : null;
  return http.createServer(async (req, res) => {
    try {
      let pathname;
      try {
        pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      } catch {
        return send(res, 400, 'bad path\n');
      }
      const isLogs = pathname === '/logdir' || pathname.startsWith('/logdir/');
      // Headers every answer under /logdir/ carries (errors too, so a page can read why).
      res.extraHeaders = cors && isLogs ? CORS_HEADERS : {};
      if (cors && isLogs && req.method === 'OPTIONS') {
        res.writeHead(204, { ...CORS_PREFLIGHT_HEADERS, 'Content-Length': 0 });
        return res.end();
      }
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return send(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
      if (isLogs) {
        if (!realLogdir) return send(res, 404, 'no --logdir given\n');
        const rel = pathname.slice('/logdir'.length);
        if (rel === '/tbview-manifest.json') {
          // The published-folder manifest (web/src/sources/manifest.js), made live on each
          // request, so a page reloading a growing logdir sees new files and sizes.
          const files = (await listFiles(realLogdir)).filter(
            (f) => f.path !== 'tbview-manifest.json',
          );
          const body = JSON.stringify({ schema: 'tbview-manifest-1', files });
          return send(res, 200, body, {
            'Content-Type': TYPES['.json'],
            'Cache-Control': 'no-store',
          });
        }
        if (rel === '/index.json') {
          const body = JSON.stringify({
            files: (await listFiles(realLogdir)).map(({ path: p, size }) => ({ path: p, size })),
          });
          return send(res, 200, body, {
            'Content-Type': TYPES['.json'],
            'Cache-Control': 'no-store',
          });
        }
        const file = await resolveInside(realLogdir, rel);
        if (!file) return send(res, 404, 'not found\n');
        return sendFile(req, res, file, { cache: 'no-store', ranges: true, csp: LOG_CSP });
      }
      const rel = pathname.endsWith('/') ? `${pathname}index.html` : pathname;
      const file = await resolveInside(realRoot, rel);
      if (!file) return send(res, 404, 'not found\n');
      if (realLogdir && file === path.join(realRoot, 'index.html')) {
        // Tell the page where its log directory is (it opens it by itself).
        const html = (await fs.readFile(file, 'utf8')).replace(
          '</head>',
          '  <meta name="tbview-logdir" content="logdir/">\n</head>',
        );
        return send(res, 200, html, {
          'Content-Type': TYPES['.html'],
          'Cache-Control': 'no-cache',
          'Content-Security-Policy': PAGE_HEADER_CSP,
        });
      }
      return sendFile(req, res, file, { cache: 'no-cache', ranges: true, csp: cspFor(file) });
    } catch (e) {
      if (!res.headersSent) send(res, 500, `server error: ${e.message}\n`);
      else res.destroy();
    }
  });
}

async function main() {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`serve.mjs: ${e.message}`);
    process.exit(2);
  }
  if (o.help) {
    console.log(
      'usage: node scripts/serve.mjs [--port 6006] [--host 127.0.0.1] [--root web/dist] [--logdir DIR] [--cors]',
    );
    return;
  }
  try {
    await fs.access(path.join(o.root, 'index.html'));
  } catch {
    console.error(
      `serve.mjs: ${o.root}/index.html not found; build the app first: (cd web && npx vite build)`,
    );
    process.exit(2);
  }
  if (o.logdir) {
    try {
      if (!(await fs.stat(o.logdir)).isDirectory()) throw new Error('not a directory');
    } catch (e) {
      console.error(`serve.mjs: --logdir ${o.logdir}: ${e.message}`);
      process.exit(2);
    }
  }
  const server = await createServer(o);
  server.listen(o.port, o.host, () => {
    const { port } = server.address();
    const host = o.host === '0.0.0.0' || o.host === '::' ? 'localhost' : o.host;
    console.log(
      `tbview: serving ${o.root}${o.logdir ? ` with --logdir ${o.logdir} at /logdir/` : ''}` +
        `${o.cors ? ' (CORS: /logdir/ readable from any origin)' : ''}`,
    );
    console.log(`tbview: open http://${host}:${port}/`);
  });
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();

/**
 * The single-file report: how one HTML file carries the app, the engine and the
 * logs, and opens from file:// with no network. Pure functions of strings, shared
 * by the command line (scripts/export.mjs, Node) and the in-app "Export report"
 * button (report/export.js, browser); the page side that reads a report back is
 * report/boot.js.
 *
 * Layout of a report (ids in REPORT_IDS):
 *
 *   <head>  the app's index.html head, its <script src>/<link rel=stylesheet>
 *           and CSP meta removed, then
 *           <meta http-equiv=Content-Security-Policy content=REPORT_CSP>
 *           <meta name="tbview-report" content="tbview-report-1">
 *           <style id="tbview-css">        all of the app's CSS
 *   <body>  the app's body, then
 *           <script type="application/json" id="tbview-report-data">  {schema,
 *               title, state, files: [{path, size}], logs: {encoding, bytes}, shell}
 *           <script type="text/plain" id="tbview-engine">     the wasm engine (SINGLE_FILE script)
 *           <script type="text/plain" id="tbview-worker-src"> the parser worker (IIFE)
 *           <script type="text/plain" id="tbview-logs">       base64 of one gzip stream:
 *               the files' bytes concatenated in `files` order
 *           <script type="module" id="tbview-app">            the app (one bundle)
 *
 * The CSP stays strict: scripts only by the sha256 of the one inline module
 * script, no 'unsafe-inline', no 'unsafe-eval'; 'wasm-unsafe-eval' (compiling the
 * embedded wasm) and worker-src blob: (the worker is a Blob of the two text
 * blocks); styles only by the hash of the one <style>; connect-src 'none' (the
 * report never fetches: the engine's data: URL fetch is disabled in the worker).
 * The text/plain and JSON blocks are never executed, so they need no hash.
 *
 * Escaping invariants (a block must not end early in the HTML parser):
 * - JS blocks: every "</script" becomes "<\/script", which means the same in a
 *   string, template, regex or comment. The transform is idempotent, so a
 *   report re-exported from itself hashes the same text. A JS text where a
 *   "<!--" is followed by "<script" + space, '/' or '>' before the next "-->" is
 *   refused (the HTML parser's double-escaped state, where "</script>" would not
 *   end the block), as is CSS containing "</style".
 * - This module's own code is part of the app bundle that gets inlined, so it
 *   never spells those two tokens literally: they are built from LT at run time
 *   (a minifier would fold a plain '<' + 'script' back into one literal).
 * - JSON block: every "<" is written as \u003c, which JSON.parse reads back.
 * - The logs are base64, which has no "<".
 */

export const REPORT_SCHEMA = 'tbview-report-1';

export const REPORT_IDS = Object.freeze({
  data: 'tbview-report-data',
  engine: 'tbview-engine',
  worker: 'tbview-worker-src',
  logs: 'tbview-logs',
  app: 'tbview-app',
  css: 'tbview-css',
});

/** '<', never written literally next to "script" or "!--" (see above). */
const LT = String.fromCharCode(60);
const SCRIPT = `${LT}script`;
const OPEN_COMMENT = `${LT}!--`;
const DOUBLE_ESCAPE = new RegExp(`${SCRIPT}[\\t\\n\\f\\r />]`, 'i');

/** True when a "<!--" is followed by "<script" before the next "-->" (see above). */
export function entersDoubleEscape(text) {
  for (let i = text.indexOf(OPEN_COMMENT); i >= 0; i = text.indexOf(OPEN_COMMENT, i + 4)) {
    const end = text.indexOf('-->', i + 4);
    if (DOUBLE_ESCAPE.test(end < 0 ? text.slice(i) : text.slice(i, end))) return true;
    if (end < 0) break;
  }
  return false;
}

/** Makes JS text safe inside a script element (see the invariants above). */
export function escapeScriptText(js) {
  const out = String(js).replace(/<\/(script)/gi, '<\\/$1');
  if (entersDoubleEscape(out))
    throw new Error('cannot inline a script with a "<!--" before a script tag');
  return out;
}

/** JSON safe inside a <script type="application/json"> element. */
export function jsonForScript(value) {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** Escapes text for an HTML text node or attribute value. */
export function escapeHtml(s) {
  return String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
}

/**
 * The app's index.html without what the report replaces: its CSP meta (and the
 * comment just before it), external scripts, stylesheets, module preloads, and
 * the served-logdir metas (a report opens its own logs).
 */
export function stripShell(html) {
  return String(html)
    .replace(
      new RegExp(
        `[ \\t]*${OPEN_COMMENT}(?:(?!-->)[\\s\\S])*?Content-Security-Policy(?:(?!-->)[\\s\\S])*-->\\s*(?=<meta http-equiv="Content-Security-Policy")`,
        'i',
      ),
      '',
    )
    .replace(/[ \t]*<meta http-equiv="Content-Security-Policy"[^>]*>\s*/gi, '')
    .replace(/[ \t]*<meta name="tbview-(?:report|logdir|url|site)"[^>]*>\s*/gi, '')
    .replace(new RegExp(`[ \\t]*${SCRIPT}\\b[^>]*\\bsrc=[^>]*>\\s*<\\/script>\\s*`, 'gi'), '')
    .replace(/[ \t]*<link\b[^>]*\brel="?(?:stylesheet|modulepreload|manifest)"?[^>]*>\s*/gi, '');
}

/** The report's Content-Security-Policy for its one script and one style. */
export function reportCsp(scriptHash, styleHash) {
  return [
    "default-src 'none'",
    `script-src 'sha256-${scriptHash}' 'wasm-unsafe-eval'`,
    'worker-src blob:',
    `style-src 'sha256-${styleHash}'`,
    'img-src blob: data:',
    'media-src blob: data:',
    "connect-src 'none'",
    "font-src 'none'",
    "object-src 'none'",
    "frame-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * Assembles a report.
 * @param {object} p
 * @param {string} p.shell     the app's index.html (stripped here)
 * @param {string} p.css       all the app's CSS
 * @param {string} p.appJs     the app bundle (an ES module)
 * @param {string} p.workerJs  the parser worker (classic IIFE)
 * @param {string} p.engineJs  the SINGLE_FILE engine script
 * @param {string} p.logsBase64 base64 of the gzip of the files' concatenated bytes
 * @param {{path: string, size: number}[]} p.files in the order of the bytes
 * @param {string} [p.title]   shown in the header and the tab title
 * @param {string} [p.state]   the view state, a query string without '?'
 * @param {object} [p.extra]   more fields for the data block (e.g. createdBy)
 * @returns {Promise<{html: string, csp: string}>}
 */
export async function buildReportHtml(p) {
  const css = String(p.css);
  if (/<\/style/i.test(css)) throw new Error('cannot inline CSS containing "</style"');
  const appJs = escapeScriptText(p.appJs);
  const shell = stripShell(p.shell);
  const csp = reportCsp(await sha256Base64(appJs), await sha256Base64(css));
  const bytes = p.files.reduce((s, f) => s + f.size, 0);
  const data = {
    schema: REPORT_SCHEMA,
    title: p.title || '',
    state: p.state || '',
    files: p.files.map((f) => ({ path: f.path, size: f.size })),
    logs: { encoding: 'gzip+base64', bytes },
    shell,
    ...(p.extra || {}),
  };
  const head = [
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`, // no '"', '&' or '<' in it
    `<meta name="tbview-report" content="${REPORT_SCHEMA}">`,
  ].join('\n  ');
  const tail = [
    `${SCRIPT} type="application/json" id="${REPORT_IDS.data}">${jsonForScript(data)}</script>`,
    `${SCRIPT} type="text/plain" id="${REPORT_IDS.engine}">${escapeScriptText(p.engineJs)}</script>`,
    `${SCRIPT} type="text/plain" id="${REPORT_IDS.worker}">${escapeScriptText(p.workerJs)}</script>`,
    `${SCRIPT} type="text/plain" id="${REPORT_IDS.logs}">${p.logsBase64}</script>`,
    `${SCRIPT} type="module" id="${REPORT_IDS.app}">${appJs}</script>`,
  ].join('\n');
  let html = shell;
  const charset = /<meta charset="?utf-8"?>/i;
  html = charset.test(html)
    ? html.replace(charset, (m) => `${m}\n  ${head}`)
    : html.replace(/<head>/i, `<head>\n  ${head}`);
  if (p.title)
    html = html.replace(
      /<title>[^<]*<\/title>/i,
      `<title>${escapeHtml(p.title)} · tbview report</title>`,
    );
  // Function replacements: the inserted text may contain '$' sequences.
  html = html.replace(/<\/head>/i, () => `  <style id="${REPORT_IDS.css}">${css}</style>\n</head>`);
  const end = html.search(/<\/body>/i);
  if (end < 0) throw new Error('the app shell has no </body>');
  return { html: `${html.slice(0, end)}${tail}\n${html.slice(end)}`, csp };
}

// ------------------------------------------------------------------ base64, sha256

/** Base64 of bytes (chunked, so 50 MB does not blow the argument limit). */
export function bytesToBase64(bytes) {
  if (typeof Buffer !== 'undefined')
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  const CH = 3 * 0x4000; // a multiple of 3: chunks concatenate without padding
  const parts = [];
  for (let i = 0; i < bytes.length; i += CH) {
    parts.push(btoa(String.fromCharCode.apply(null, bytes.subarray(i, i + CH))));
  }
  return parts.join('');
}

/** Bytes of base64 text (whitespace ignored), decoded in chunks. */
export function base64ToBytes(text) {
  const b64 = String(text).replace(/\s+/g, '');
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  const out = new Uint8Array(Math.floor(b64.length / 4) * 3 - pad);
  const CH = 4 * 0x4000; // a multiple of 4
  let o = 0;
  for (let i = 0; i < b64.length; i += CH) {
    const bin = atob(b64.slice(i, i + CH));
    for (let k = 0; k < bin.length; k++) out[o++] = bin.charCodeAt(k);
  }
  return out;
}

/**
 * SHA-256 of a string's UTF-8 bytes, base64 (the CSP hash form). WebCrypto when
 * there is one (Node, https, localhost, file://); a plain-JS digest otherwise
 * (a page served over plain http from another host has no crypto.subtle).
 */
export async function sha256Base64(text) {
  const bytes = new TextEncoder().encode(text);
  const subtle = globalThis.crypto && globalThis.crypto.subtle;
  const digest = subtle ? new Uint8Array(await subtle.digest('SHA-256', bytes)) : sha256(bytes);
  return bytesToBase64(digest);
}

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** Plain-JS SHA-256 (FIPS 180-4) of bytes; 32 bytes out. */
export function sha256(bytes) {
  const n = bytes.length;
  const total = Math.ceil((n + 9) / 64) * 64;
  const m = new Uint8Array(total);
  m.set(bytes);
  m[n] = 0x80;
  const dv = new DataView(m.buffer);
  dv.setUint32(total - 8, Math.floor(n / 0x20000000), false);
  dv.setUint32(total - 4, (n << 3) >>> 0, false);
  const h = new Uint32Array([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  ]);
  const w = new Uint32Array(64);
  const rotr = (x, r) => (x >>> r) | (x << (32 - r));
  for (let off = 0; off < total; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = dv.getUint32(off + 4 * i, false);
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let i = 0; i < 64; i++) {
      const t1 =
        (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) >>> 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
  }
  const out = new Uint8Array(32);
  const odv = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) odv.setUint32(4 * i, h[i], false);
  return out;
}

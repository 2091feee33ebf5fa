/**
 * The "Export report" button: downloads a single-file report (report/html.js)
 * of what is open now — the runs that are selected, and the current view state —
 * built entirely in this browser tab.
 *
 * Where the parts come from:
 * - The app's own code: in the hosted app, fetched again from the server (or the
 *   service worker's cache) using dist/tbview-assets.json, which the build writes;
 *   in a report, the copies embedded in this very document (a file:// page can
 *   fetch nothing). Under Vite's dev server there is no tbview-assets.json and
 *   the button says so.
 * - The logs: the bytes the DataClient was given, read again: the File/Blob
 *   objects of a drop or picker (or of a report's embedded logs), or the URLs of
 *   a served logdir, fetched again (so a growing file is exported as it is now).
 *   Only files of selected runs are included: a file is left out when its run is
 *   deselected (the state's `hide` list). An archive is exported whole, and
 *   `hide` keeps naming the deselected runs
 *   inside it; `hide` entries for runs left out are dropped. (An archive whose
 *   own directory's run is deselected is left out whole.)
 * - The view state: this page's query string without the parameters that say
 *   what to open (logdir, url).
 *
 * The logs are packed as one gzip stream (CompressionStream) of the files'
 * bytes concatenated in path order, then base64 — the same packing as
 * scripts/export.mjs, so a report made here and one made by the CLI read alike.
 */
import { REPORT_IDS, buildReportHtml, bytesToBase64 } from './html.js';
import { isReport, reportData, reportText } from './boot.js';

/** Query parameters that say what to open; never part of a report's state. */
const OPENING_PARAMS = ['logdir', 'url'];

/**
 * The files to export: every file the engine read, minus those of deselected runs.
 * @param {{path: string, run: string, id: number}[]} files client.files()
 * @param {string[]} hiddenRuns
 * @returns {{files: object[], hidden: string[]}} hidden: the `hide` entries still meaningful
 */
export function selectFiles(files, hiddenRuns) {
  const hidden = new Set(hiddenRuns);
  const read = files.filter((f) => f.id >= 0 && f.status !== 'queued' && f.status !== 'cancelled');
  // Runs inside an archive are named below the archive's path.
  const inside = (f, r) => r.startsWith(`${f.path}/`);
  const chosen = read.filter((f) => !hidden.has(f.run));
  const keptHide = [...hidden].filter((r) => chosen.some((f) => inside(f, r)));
  return { files: chosen, hidden: keptHide };
}

/** The view state to embed: the query string minus opening params, `hide` = hidden. */
export function reportState(search, hidden) {
  const p = new URLSearchParams(search);
  for (const k of OPENING_PARAMS) p.delete(k);
  p.delete('hide');
  for (const r of hidden) p.append('hide', r);
  return p.toString();
}

/** The app's parts: from this report's own blocks, or fetched via tbview-assets.json. */
export async function appParts({ doc = document, fetchImpl = globalThis.fetch } = {}) {
  if (isReport(doc)) {
    return {
      shell: reportData(doc).shell,
      css: reportText(REPORT_IDS.css, doc),
      appJs: reportText(REPORT_IDS.app, doc),
      workerJs: reportText(REPORT_IDS.worker, doc),
      engineJs: reportText(REPORT_IDS.engine, doc),
    };
  }
  const base = new URL('./', doc.baseURI);
  const get = async (rel, what) => {
    const res = await fetchImpl(new URL(rel, base));
    if (!res.ok) throw new Error(`could not read ${what} (${rel}: HTTP ${res.status})`);
    return res.text();
  };
  let assets;
  try {
    assets = JSON.parse(await get('tbview-assets.json', "the app's file list"));
  } catch (e) {
    throw new Error(`Export needs the built app (tbview-assets.json): ${e.message}`, { cause: e });
  }
  const [shell, appJs, workerJs, engineJs, ...css] = await Promise.all([
    get(assets.html, 'the page'),
    get(assets.js, 'the app'),
    get(assets.worker, 'the worker'),
    get(assets.engine, 'the engine'),
    ...assets.css.map((c) => get(c, 'a stylesheet')),
  ]);
  return { shell, css: css.join('\n'), appJs, workerJs, engineJs };
}

/** Reads one source the client was given: a Blob/File, or a URL (fetched again). */
async function sourceBlob(src) {
  if (typeof src === 'string') {
    const res = await fetch(src, { cache: 'no-store' });
    if (!res.ok) throw new Error(`could not read ${src} again: HTTP ${res.status}`);
    return res.blob();
  }
  return src;
}

/**
 * Packs entries [{path, blob}] (in order): one gzip stream of their bytes, base64.
 * @returns {Promise<{files: {path: string, size: number}[], logsBase64: string}>}
 */
export async function packLogs(entries) {
  const files = entries.map((e) => ({ path: e.path, size: e.blob.size }));
  const gz = new Blob(entries.map((e) => e.blob))
    .stream()
    .pipeThrough(new CompressionStream('gzip'));
  const packed = new Uint8Array(await new Response(gz).arrayBuffer());
  return { files, logsBase64: bytesToBase64(packed) };
}

/**
 * Builds the report for what `client` has open, with the view state of `store`.
 * @param {{client: import('../engine/client.js').DataClient,
 *          store?: import('../shell/state.js').ViewStateStore}} open
 * @returns {Promise<{html: string, name: string, files: number}>}
 */
export async function buildCurrentReport(
  { client, store },
  { doc = document, search = location.search } = {},
) {
  const sources = client.sources;
  if (!sources || !sources.size) throw new Error('nothing is open');
  const { files, hidden } = selectFiles(await client.files(), store ? store.value.hiddenRuns : []);
  const entries = [];
  for (const f of files) {
    const src = sources.get(f.path);
    if (src) entries.push({ path: f.path, blob: await sourceBlob(src) });
  }
  if (!entries.length) throw new Error('no file of a selected run is open');
  const [parts, logs] = await Promise.all([appParts({ doc }), packLogs(entries)]);
  const title =
    (reportData(doc) || {}).title || (doc.getElementById('logdir-name') || {}).textContent || '';
  const { html } = await buildReportHtml({
    ...parts,
    ...logs,
    title: title.trim(),
    state: reportState(search, hidden),
    extra: { createdBy: 'tbview in-app export', created: new Date().toISOString() },
  });
  const slug =
    title
      .trim()
      .replace(/^\/+|\/+$/g, '')
      .replace(/[^\w.-]+/g, '_')
      .slice(0, 60) || 'logs';
  return { html, name: `tbview-report-${slug}.html`, files: entries.length };
}

/** Saves text as a file through a temporary blob: link. */
function download(text, name, doc) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/html' }));
  const a = Object.assign(doc.createElement('a'), { href: url, download: name, hidden: true });
  doc.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Wires the header's [data-action="export-report"] button: shown once something
 * has been read and the client is idle; disabled while a report is being built.
 * @param {{client: import('../engine/client.js').DataClient,
 *          store: import('../shell/state.js').ViewStateStore}} open  what is open, and the view
 * @param {{notice: (text: string, isError?: boolean) => void}} ui
 */
export function setUpExportReport(open, { notice }, doc = document) {
  const { client } = open;
  const button = doc.querySelector('[data-action="export-report"]');
  if (!button || !client) return;
  const label = button.textContent;
  const sync = () => {
    button.hidden = !(client.sources && client.sources.size);
  };
  client.addEventListener('idle', sync);
  sync();
  button.addEventListener('click', async () => {
    button.disabled = true;
    button.textContent = 'Exporting…';
    try {
      const { html, name } = await buildCurrentReport(open, { doc });
      download(html, name, doc);
    } catch (e) {
      notice(`Export failed: ${e.message}`, true);
    } finally {
      button.disabled = false;
      button.textContent = label;
    }
  });
}

/**
 * The page side of a single-file report (format: report/html.js). main.js calls
 * these three hooks; in the normal app (no <meta name="tbview-report">) each one
 * does nothing.
 *
 *   applyReportState()     before the ViewStateStore exists: a report opened
 *                          without a query string gets the view state it was
 *                          exported with (a query string given by hand wins).
 *   reportClientOptions()  DataClient options: the parser worker made from a
 *                          Blob of the embedded engine + worker texts.
 *   openReportLogs(open)   decodes the embedded logs (base64 -> gzip -> bytes)
 *                          and hands them to `open` as entries {path, file: Blob}
 *                          with their final paths (no root rule: the paths were
 *                          already relative to the exported logdir).
 *
 * Invariant: nothing here touches the network; everything comes from the
 * document (the report's CSP has connect-src 'none').
 */
import { REPORT_IDS, REPORT_SCHEMA, base64ToBytes } from './html.js';

/** True in a single-file report. */
export function isReport(doc = document) {
  return !!doc.querySelector(`meta[name="tbview-report"][content="${REPORT_SCHEMA}"]`);
}

/** The report's data block (title, state, files, shell), or null. */
export function reportData(doc = document) {
  if (!isReport(doc)) return null;
  const el = doc.getElementById(REPORT_IDS.data);
  return el ? JSON.parse(el.textContent) : null;
}

/** Text of one of the report's embedded blocks. */
export function reportText(id, doc = document) {
  const el = doc.getElementById(id);
  if (!el) throw new Error(`the report has no #${id} block`);
  return el.textContent;
}

export function applyReportState(win = globalThis) {
  const data = reportData(win.document);
  if (!data || !data.state || win.location.search) return;
  try {
    win.history.replaceState(
      win.history.state ?? null,
      '',
      `${win.location.pathname}?${data.state}${win.location.hash || ''}`,
    );
  } catch (e) {
    console.warn(`tbview: could not restore the report's view state: ${e.message}`);
  }
}

export function reportClientOptions(doc = document) {
  if (!isReport(doc)) return {};
  // The engine first: it defines createTbviewModule, so the worker never calls
  // importScripts. `fetch` is hidden from the engine so it decodes its embedded
  // wasm directly instead of first trying fetch(data:), which the CSP refuses.
  const code = [
    'self.fetch = undefined;',
    reportText(REPORT_IDS.engine, doc),
    ';self.createTbviewModule = createTbviewModule;',
    reportText(REPORT_IDS.worker, doc),
  ].join('\n');
  const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
  return { port: new Worker(url, { name: 'tbview-parser' }), wasmUrl: 'embedded:tbview_web.js' };
}

/**
 * Decodes the embedded logs into Blobs: one gzip stream, sliced per file.
 * @returns {Promise<{path: string, file: Blob}[]>}
 */
export async function embeddedEntries(doc = document) {
  const data = reportData(doc);
  if (!data || !data.files || !data.files.length) return [];
  if (data.logs.encoding !== 'gzip+base64')
    throw new Error(`unknown log encoding ${data.logs.encoding}`);
  const packed = base64ToBytes(reportText(REPORT_IDS.logs, doc));
  const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream('gzip'));
  const all = await new Response(stream).blob();
  if (all.size !== data.logs.bytes)
    throw new Error(`embedded logs are ${all.size} bytes, expected ${data.logs.bytes}`);
  const out = [];
  let off = 0;
  for (const f of data.files) {
    out.push({ path: f.path, file: all.slice(off, off + f.size) });
    off += f.size;
  }
  return out;
}

/**
 * Opens the embedded logs with `open(entries)`; resolves true when it did.
 * Shows the report's title where the page shows the logdir's name.
 */
export async function openReportLogs(open, doc = document) {
  const data = reportData(doc);
  if (!data) return false;
  const label = doc.getElementById('logdir-name');
  if (label && data.title) label.textContent = data.title;
  const entries = await embeddedEntries(doc);
  if (!entries.length) return false;
  open(entries);
  return true;
}

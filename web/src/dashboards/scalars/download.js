/**
 * Downloads of one (run, tag) series, in TensorBoard's formats:
 * CSV with the header `Wall time,Step,Value`, one row per point, and JSON as an
 * array of `[wall_time, step, value]` triples.
 *
 * Numbers are written with JavaScript's shortest round-trip form, so nothing is
 * lost. Non-finite values follow Python's spelling in CSV (`nan`, `inf`,
 * `-inf`, as TensorBoard's CSV writer produces) and become `null` in JSON
 * (strict JSON has no NaN; TensorBoard's Python output would not parse in
 * JSON.parse).
 */

export const CSV_HEADER = 'Wall time,Step,Value';

function csvNumber(v) {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return String(v);
}

/**
 * @param {{step: ArrayLike<number>, wallTime: ArrayLike<number>, value: ArrayLike<number>}} s
 * @returns {string} CSV text, '\n' line ends, trailing newline
 */
export function toCsv(s) {
  const n = s.value.length;
  const lines = new Array(n + 1);
  lines[0] = CSV_HEADER;
  for (let i = 0; i < n; i++) {
    lines[i + 1] = `${csvNumber(s.wallTime[i])},${csvNumber(s.step[i])},${csvNumber(s.value[i])}`;
  }
  return `${lines.join('\n')}\n`;
}

/**
 * @param {{step: ArrayLike<number>, wallTime: ArrayLike<number>, value: ArrayLike<number>}} s
 * @returns {string} JSON text: [[wall_time, step, value], ...]
 */
export function toJson(s) {
  const n = s.value.length;
  const rows = new Array(n);
  const f = (v) => (Number.isFinite(v) ? v : null);
  for (let i = 0; i < n; i++) rows[i] = [f(s.wallTime[i]), f(s.step[i]), f(s.value[i])];
  return JSON.stringify(rows);
}

/**
 * TensorBoard-style file name: `run-<run>-tag-<tag>.<ext>`, with characters
 * that are unsafe in file names replaced by '_'.
 */
export function downloadName(run, tag, ext) {
  const safe = (t) => String(t).replace(/[\\/:*?"<>|\s]+/g, '_');
  return `run-${safe(run)}-tag-${safe(tag)}.${ext}`;
}

/**
 * Fetches the full series of (run, tag) from the client and saves it.
 * @param {{scalarsFull: Function}} client
 * @param {string} run
 * @param {string} tag
 * @param {'csv'|'json'} fmt
 */
export async function downloadSeries(client, run, tag, fmt) {
  const s = await client.scalarsFull(run, tag);
  const text = fmt === 'csv' ? toCsv(s) : toJson(s);
  const type = fmt === 'csv' ? 'text/csv' : 'application/json';
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = downloadName(run, tag, fmt);
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/**
 * The one number and time formatting of the page (display only): tooltips,
 * tables, axes and labels of every dashboard. Kept free of DOM so it can be
 * unit-tested in Node.
 */

/**
 * Compact value: 4 significant digits, exponent for very large/small; a
 * boolean or a string (an hparam's value) as itself.
 * @param {unknown} v
 */
export function formatValue(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v !== 'number') return String(v);
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-4)) return v.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(4)));
}

/** Step with thousands separators. */
export function formatStep(s) {
  return Number.isFinite(s) ? Math.round(s).toLocaleString('en-US') : '';
}

/** Seconds to a short duration: "12.3 s", "4 min 5 s", "2 h 3 min", "3 d 4 h". */
export function formatDuration(sec) {
  if (!Number.isFinite(sec)) return '';
  const neg = sec < 0;
  let s = Math.abs(sec);
  let out;
  if (s < 60) out = `${Number(s.toPrecision(3))} s`;
  else if (s < 3600) out = `${Math.floor(s / 60)} min ${Math.floor(s % 60)} s`;
  else if (s < 86400) out = `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  else out = `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
  return neg ? `-${out}` : out;
}

/** Wall time (seconds since the epoch) as local "YYYY-MM-DD HH:MM:SS". */
export function formatWallTime(sec) {
  if (!Number.isFinite(sec)) return '';
  const d = new Date(sec * 1000);
  const p = (n) => String(n).padStart(2, '0');
  return (
    `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
  );
}

/**
 * A Vega expression that formats axis labels holding seconds as durations
 * (for the relative-time axis). Written for Vega's expression language, which
 * the CSP-safe interpreter evaluates.
 */
export const DURATION_LABEL_EXPR =
  "abs(datum.value) < 120 ? format(datum.value, '~r') + ' s'" +
  " : abs(datum.value) < 7200 ? format(datum.value / 60, '.3~r') + ' min'" +
  " : abs(datum.value) < 172800 ? format(datum.value / 3600, '.3~r') + ' h'" +
  " : format(datum.value / 86400, '.3~r') + ' d'";

/** Vega label expression for step axes: SI-prefixed, 3 significant digits. */
export const STEP_LABEL_EXPR = "format(datum.value, '.3~s')";

/**
 * Vega label expression for value axes: plain numbers in a readable range,
 * exponent notation for very large or small magnitudes.
 */
export const VALUE_LABEL_EXPR =
  'datum.value != 0 && (abs(datum.value) >= 1e5 || abs(datum.value) < 1e-3)' +
  " ? format(datum.value, '.2~e') : format(datum.value, '.4~r')";

/**
 * The HParams table's model: columns from the experiment (or, without one,
 * from what the sessions carry), a cell value per session and column,
 * sorting and filtering. Pure, so it is tested in Node.
 *
 * Column ids: 'h:<name>' for a hyperparameter, 'm:<key>' for a metric (key
 * as in session.metrics: "group/tag" or "tag"), 'status', 'run'.
 */

const LOWER_IS_BETTER = /loss|err|mse|mae|rmse|perplex|wer|cer|dist|regret|time|latency|nll/i;

/**
 * Which way a metric improves, guessed from its name.
 * @returns {'min'|'max'}
 */
export function metricGoal(name) {
  return LOWER_IS_BETTER.test(name) ? 'min' : 'max';
}

/** Metric key of a metricInfo: "group/tag", or "tag" without a group. */
export function metricKey(info) {
  return info.group ? `${info.group}/${info.tag}` : info.tag;
}

/**
 * The table's columns.
 * @param {{experiment: any, sessions: any[]}} data client.hparams()
 * @returns {{hparams: {id, name, label, description, type, kind: 'number'|'string'|'bool', domain}[],
 *            metrics: {id, key, label, description, goal}[]}}
 */
export function hparamsColumns(data) {
  const sessions = data.sessions || [];
  const exp = data.experiment;
  const hparams = [];
  const seen = new Set();
  const kindOf = (name, type) => {
    if (type === 'float64') return 'number';
    if (type === 'bool') return 'bool';
    if (type === 'string') return 'string';
    let kind = null;
    for (const s of sessions) {
      const v = s.hparams ? s.hparams[name] : undefined;
      if (v === undefined || v === null) continue;
      const k = typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : 'string';
      if (kind && kind !== k) return 'string';
      kind = k;
    }
    return kind || 'string';
  };
  const addH = (name, info = {}) => {
    if (seen.has(name)) return;
    seen.add(name);
    hparams.push({
      id: `h:${name}`,
      name,
      label: info.displayName || name,
      description: info.description || '',
      type: info.type || 'unset',
      kind: kindOf(name, info.type),
      domain: info.domain || null,
    });
  };
  for (const info of (exp && exp.hparamInfos) || []) addH(info.name, info);
  const extra = new Set();
  for (const s of sessions)
    for (const k of Object.keys(s.hparams || {})) if (!seen.has(k)) extra.add(k);
  for (const k of [...extra].sort()) addH(k);

  const metrics = [];
  const mseen = new Set();
  const addM = (key, info = {}) => {
    if (mseen.has(key)) return;
    mseen.add(key);
    metrics.push({
      id: `m:${key}`,
      key,
      label: info.displayName || key,
      description: info.description || '',
      goal: metricGoal(key),
      group: info.group || '',
      tag: info.tag || key,
    });
  };
  for (const info of (exp && exp.metricInfos) || []) addM(metricKey(info), info);
  const mextra = new Set();
  for (const s of sessions)
    for (const k of Object.keys(s.metrics || {})) if (!mseen.has(k)) mextra.add(k);
  for (const k of [...mextra].sort()) addM(k);
  return { hparams, metrics };
}

/**
 * A session's value for a column; metrics read `agg` of the metric record
 * ('last' | 'min' | 'max' | 'best', where best is min or max by the goal).
 * @returns {number|string|boolean|null}
 */
export function cellValue(session, colId, agg = 'last', goal = 'max') {
  if (colId === 'status') return session.status || 'unknown';
  if (colId === 'run') return session.run;
  if (colId.startsWith('h:')) {
    const v = session.hparams ? session.hparams[colId.slice(2)] : undefined;
    return v === undefined ? null : v;
  }
  if (colId.startsWith('m:')) {
    const m = session.metrics ? session.metrics[colId.slice(2)] : undefined;
    if (!m) return null;
    const key = agg === 'best' ? goal : agg;
    const v = m[key];
    return typeof v === 'number' ? v : null;
  }
  return null;
}

/**
 * Compares two cell values: numbers numerically (NaN after numbers),
 * booleans false < true, strings naturally (numeric parts as numbers), and
 * across types number < bool < string. Missing values are handled by the caller.
 */
export function compareValues(a, b) {
  const ta = typeof a;
  const tb = typeof b;
  if (ta !== tb) {
    const rank = { number: 0, boolean: 1, string: 2 };
    return (rank[ta] ?? 3) - (rank[tb] ?? 3);
  }
  if (ta === 'number') {
    const na = Number.isNaN(a);
    const nb = Number.isNaN(b);
    if (na || nb) return na === nb ? 0 : na ? 1 : -1;
    return a - b;
  }
  if (ta === 'boolean') return (a ? 1 : 0) - (b ? 1 : 0);
  return COLLATOR.compare(String(a), String(b));
}
const COLLATOR = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * Sorts sessions by a column (stable). Missing values always sort last,
 * whatever the direction.
 * @param {any[]} sessions
 * @param {{col: string, dir: 'asc'|'desc', agg?: string, goal?: string}} sort
 * @returns {any[]} a new array
 */
export function sortSessions(sessions, sort) {
  if (!sort || !sort.col) return [...sessions];
  const sign = sort.dir === 'desc' ? -1 : 1;
  const keyed = sessions.map((s, i) => ({ s, i, v: cellValue(s, sort.col, sort.agg, sort.goal) }));
  keyed.sort((p, q) => {
    const pm = p.v === null;
    const qm = q.v === null;
    if (pm || qm) return pm === qm ? p.i - q.i : pm ? 1 : -1;
    return sign * compareValues(p.v, q.v) || p.i - q.i;
  });
  return keyed.map((k) => k.s);
}

/**
 * A filter per column:
 *   {values: [..allowed..]}           discrete columns: keep sessions whose value is listed
 *   {min?: number, max?: number}      numeric columns: keep values in [min, max]
 *   {text: string}                    substring match (case-insensitive) on the value as text
 * A session missing the value passes a range or text filter only when
 * `keepMissing` is set on it, and a values filter only when null is listed.
 * @param {any[]} sessions
 * @param {Record<string, any>} filters column id -> filter
 * @param {{agg?: string, goals?: Record<string,string>}} [opt]
 */
export function filterSessions(sessions, filters, opt = {}) {
  const entries = Object.entries(filters || {}).filter(([, f]) => f && isActive(f));
  if (!entries.length) return [...sessions];
  return sessions.filter((s) =>
    entries.every(([col, f]) => {
      const v = cellValue(s, col, opt.agg, opt.goals ? opt.goals[col] : undefined);
      if (f.values)
        return f.values.some(
          (a) => a === v || (a !== null && v !== null && String(a) === String(v)),
        );
      if (v === null) return !!f.keepMissing;
      if (f.text !== undefined && f.text !== '') {
        if (!String(v).toLowerCase().includes(String(f.text).toLowerCase())) return false;
      }
      if (typeof v === 'number') {
        if (Number.isFinite(f.min) && !(v >= f.min)) return false;
        if (Number.isFinite(f.max) && !(v <= f.max)) return false;
      }
      return true;
    }),
  );
}

function isActive(f) {
  return (
    !!f.values ||
    Number.isFinite(f.min) ||
    Number.isFinite(f.max) ||
    (f.text !== undefined && f.text !== '')
  );
}

/**
 * The distinct values of a column over the sessions (sorted), for a discrete
 * filter's checkboxes; the domain's listed values come first when given.
 */
export function distinctValues(sessions, colId, domain = null) {
  const out = [];
  const seen = new Set();
  const add = (v) => {
    const k = `${typeof v}:${String(v)}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(v);
    }
  };
  const fromSessions = [];
  for (const s of sessions) {
    const v = cellValue(s, colId);
    if (v !== null) fromSessions.push(v);
  }
  if (domain && Array.isArray(domain.values)) for (const v of domain.values) add(v);
  fromSessions.sort(compareValues).forEach(add);
  return out;
}

/** [min, max] of a numeric column over the sessions, or null. */
export function numericExtent(sessions, colId, agg, goal) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of sessions) {
    const v = cellValue(s, colId, agg, goal);
    if (typeof v === 'number' && Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/**
 * The Vega side of a scalar card: embedding a chart without eval (the app's
 * CSP), a small cache of compiled specs, and swapping a live view's rows in
 * place (cheaper than a fresh embed). Display only: the rows come from the
 * engine's answers (chart_spec.js shapes them).
 */
import { fastInterpreter } from './fast_encode.js';
import { buildSpec, toVega } from './chart_spec.js';

/** @type {import('vega-embed').EmbedOptions} */
export const EMBED_OPTIONS = {
  mode: 'vega',
  renderer: 'canvas',
  actions: false,
  tooltip: false,
  ast: true,
  expr: fastInterpreter, // no eval: works under a strict CSP
  // vega-embed would add its stylesheet as an inline <style>, which the app's
  // CSP (style-src 'self') blocks; the little it sets is in scalars.css.
  defaultStyle: false,
};

/** Compiled Vega specs (JSON) by `specKey`: cards of one view share a key,
 * and compiling Vega-Lite costs several ms per embed. Few keys are live at a
 * time (one per card size and run set), so a small bounded map suffices. */
const SPEC_CACHE = new Map();
const SPEC_CACHE_MAX = 32;

/** A fresh Vega spec for `opt` (no rows), with its initial domains. */
export function vegaSpec(opt, key) {
  let json = SPEC_CACHE.get(key);
  if (json === undefined) {
    json = JSON.stringify(toVega(buildSpec(opt)));
    if (SPEC_CACHE.size >= SPEC_CACHE_MAX) SPEC_CACHE.delete(SPEC_CACHE.keys().next().value);
    SPEC_CACHE.set(key, json);
  }
  const spec = JSON.parse(json);
  for (const s of spec.signals) {
    if (s.name === 'xd') s.value = opt.domains.x;
    else if (s.name === 'yd') s.value = opt.domains.y;
  }
  return spec;
}

/** `rows` (from buildRows: each series' rows in turn) cut per series. */
export function splitByRun(series, rows) {
  const out = [];
  let i = 0;
  for (const { data } of series) {
    const n = data.x.length;
    out.push(rows.slice(i, i + n));
    i += n;
  }
  return out;
}

const NEVER = () => false;

/**
 * Replaces the view's `points` rows with `next` (rows per run) by reusing the
 * tuples already there: the first rows of each run are overwritten in place
 * and flowed as modified, only the surplus is inserted or removed. Removing
 * and inserting every row instead (view.data) made Vega drop and rebuild
 * every scenegraph item, which cost more than a fresh embed. A tuple never
 * changes run (the facet key), so each run keeps its own items; rows stay in
 * x order since surplus rows are a run's tail. Same runs as `pools` (same
 * spec key). Returns the new pools; the change applies at the next run.
 */
export function swapRows(view, pools, next) {
  const cs = view.changeset();
  const out = [];
  let fields = null;
  for (let r = 0; r < next.length; r++) {
    const old = pools[r] || [];
    const fresh = next[r];
    const m = Math.min(old.length, fresh.length);
    for (let i = 0; i < m; i++) Object.assign(old[i], fresh[i]);
    if (!fields && fresh.length) fields = Object.keys(fresh[0]).filter((f) => f !== 'run');
    if (old.length > m) {
      cs.remove(old.slice(m));
      out.push(old.slice(0, m));
    } else {
      cs.insert(fresh.slice(m));
      out.push(old.concat(fresh.slice(m)));
    }
  }
  for (let r = next.length; r < pools.length; r++) cs.remove(pools[r]);
  cs.reflow();
  for (const f of fields || []) cs.modify(NEVER, f); // declares the fields modified
  view.change('points', cs);
  return out;
}

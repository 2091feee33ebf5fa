/**
 * The Scalars view state and its round trip through the page URL.
 *
 * Every choice a user makes on the dashboard lives here, so that a reload or a
 * shared link reopens the same view. The state is encoded in the query string
 * (location.search) with `history.replaceState`, never pushState: tweaking a
 * slider must not flood the back button. Only the keys below are read or
 * written; any other parameter in the URL (the app shell's own, e.g. which
 * logs to open) is preserved untouched.
 *
 *   key        meaning                                        default
 *   smoothing  EMA weight 0..0.999                            0.6
 *   x          x axis: step | relative | wall                 step
 *   y          y scale: linear | log                          linear
 *   outliers   "ignore outliers" (1/0)                        1
 *   runFilter  run regex (case-insensitive)                   ""
 *   tagFilter  tag regex (case-insensitive)                   ""
 *   hide       a deselected run (repeated)                    none
 *   pin        a pinned tag, in pin order (repeated)          none
 *   expand     a full-width card's tag (repeated)             none
 *   collapse   a collapsed tag group (repeated)               none
 *
 * Runs are stored as the *deselected* set: a run not named is selected, which
 * is what a growing log directory needs (new runs appear selected, as in
 * TensorBoard) and keeps links short. Lists use repeated parameters so tag and
 * run names may contain any character, commas included. Defaults are omitted.
 */
import { DEFAULT_SMOOTHING, clampSmoothing } from '../dashboards/scalars/smoothing.js';

export const X_AXES = Object.freeze(['step', 'relative', 'wall']);
export const Y_SCALES = Object.freeze(['linear', 'log']);

/**
 * @typedef {object} ViewState
 * @property {number} smoothing
 * @property {'step'|'relative'|'wall'} xAxis
 * @property {'linear'|'log'} yScale
 * @property {boolean} ignoreOutliers
 * @property {string} runFilter
 * @property {string} tagFilter
 * @property {string[]} hiddenRuns  deselected runs
 * @property {string[]} pinned      pinned tags, in pin order
 * @property {string[]} expanded    tags of full-width cards
 * @property {string[]} collapsed   collapsed group names
 */

/** @returns {ViewState} a fresh default state */
export function defaultState() {
  return {
    smoothing: DEFAULT_SMOOTHING,
    xAxis: 'step',
    yScale: 'linear',
    ignoreOutliers: true,
    runFilter: '',
    tagFilter: '',
    hiddenRuns: [],
    pinned: [],
    expanded: [],
    collapsed: [],
  };
}

const LIST_KEYS = /** @type {const} */ ([
  ['hide', 'hiddenRuns'],
  ['pin', 'pinned'],
  ['expand', 'expanded'],
  ['collapse', 'collapsed'],
]);
const OWN_KEYS = [
  'smoothing',
  'x',
  'y',
  'outliers',
  'runFilter',
  'tagFilter',
  ...LIST_KEYS.map(([k]) => k),
];

/** Rounds the weight to 3 decimals, the slider's resolution. */
function roundSmoothing(w) {
  return Math.round(clampSmoothing(w) * 1000) / 1000;
}

/**
 * Reads a state from a query string; unknown or malformed values fall back to
 * the defaults, so a hand-edited link never breaks the page.
 * @param {string|URLSearchParams} search e.g. location.search
 * @returns {ViewState}
 */
export function decodeState(search) {
  const p = search instanceof URLSearchParams ? search : new URLSearchParams(search);
  const s = defaultState();
  if (p.has('smoothing')) s.smoothing = roundSmoothing(p.get('smoothing'));
  const x = p.get('x');
  if (X_AXES.includes(x)) s.xAxis = /** @type {any} */ (x);
  const y = p.get('y');
  if (Y_SCALES.includes(y)) s.yScale = /** @type {any} */ (y);
  if (p.has('outliers')) s.ignoreOutliers = p.get('outliers') !== '0';
  s.runFilter = p.get('runFilter') || '';
  s.tagFilter = p.get('tagFilter') || '';
  for (const [key, field] of LIST_KEYS) s[field] = [...new Set(p.getAll(key))];
  return s;
}

/**
 * Writes the state's non-default values into `base` (a copy of it), leaving
 * the parameters this module does not own untouched.
 * @param {ViewState} s
 * @param {string|URLSearchParams} [base] the current query string
 * @returns {URLSearchParams}
 */
export function encodeState(s, base = '') {
  const p = new URLSearchParams(base);
  for (const k of OWN_KEYS) p.delete(k);
  const d = defaultState();
  const w = roundSmoothing(s.smoothing);
  if (w !== d.smoothing) p.set('smoothing', String(w));
  if (s.xAxis !== d.xAxis) p.set('x', s.xAxis);
  if (s.yScale !== d.yScale) p.set('y', s.yScale);
  if (s.ignoreOutliers !== d.ignoreOutliers) p.set('outliers', s.ignoreOutliers ? '1' : '0');
  if (s.runFilter) p.set('runFilter', s.runFilter);
  if (s.tagFilter) p.set('tagFilter', s.tagFilter);
  for (const [key, field] of LIST_KEYS) {
    for (const v of new Set(s[field] || [])) p.append(key, v);
  }
  return p;
}

/**
 * Compiles a user's filter text into a case-insensitive RegExp. An invalid
 * pattern yields `null` (the UI marks the field and shows everything) rather
 * than throwing.
 * @param {string} text
 * @returns {RegExp|null}
 */
export function compileFilter(text) {
  try {
    return new RegExp(text || '', 'i');
  } catch {
    return null;
  }
}

/**
 * A live view state bound to the page URL: `update()` merges a patch, writes
 * the URL with replaceState and dispatches 'change' with `detail` = the names
 * of the fields that changed.
 */
export class ViewStateStore extends EventTarget {
  /**
   * @param {{location?: {search: string, pathname: string, hash: string}, history?: {replaceState: Function, state?: unknown}}} [env]
   *   defaults to the window's; tests pass fakes
   */
  constructor(env = globalThis) {
    super();
    this.env = env;
    /** @type {ViewState} */
    this.value = decodeState(env.location ? env.location.search : '');
  }

  /** @returns {ViewState} the current state (do not mutate) */
  get() {
    return this.value;
  }

  /**
   * Merges `patch` into the state and syncs the URL.
   * @param {Partial<ViewState>} patch
   */
  update(patch) {
    const changed = [];
    const next = { ...this.value };
    for (const [k, v] of Object.entries(patch)) {
      if (JSON.stringify(next[k]) !== JSON.stringify(v)) {
        next[k] = Array.isArray(v) ? [...v] : v;
        changed.push(k);
      }
    }
    if (!changed.length) return;
    if ('smoothing' in patch) next.smoothing = roundSmoothing(next.smoothing);
    this.value = next;
    this.writeUrl();
    this.dispatchEvent(new CustomEvent('change', { detail: changed }));
  }

  /** Writes the current state into the URL (replaceState, keeps other params). */
  writeUrl() {
    const { location, history } = this.env;
    if (!location || !history) return;
    const q = encodeState(this.value, location.search).toString();
    const url = `${location.pathname}${q ? `?${q}` : ''}${location.hash || ''}`;
    history.replaceState(history.state ?? null, '', url);
  }

  /** Toggles `item` in the list field `field` (pinned, expanded, ...). */
  toggle(field, item) {
    const list = this.value[field];
    this.update({
      [field]: list.includes(item) ? list.filter((v) => v !== item) : [...list, item],
    });
  }
}

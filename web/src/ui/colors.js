/**
 * Stable run colours.
 *
 * A run's colour depends only on its name (a FNV-1a hash into a fixed palette),
 * so the same run has the same colour on every load, in every tab, and in a
 * shared link. When several runs on screen hash to the same slot,
 * `assignColors` resolves the clash by probing to the next free slot, visiting
 * the runs in name order, so the result is still a pure function of the set
 * of run names; a `ColorAssigner` additionally remembers what it handed out so
 * that runs appearing later (a growing log directory) never repaint the runs
 * already on screen.
 */

/**
 * 20 colours for lines on white: ten hue families (Tableau 10) at slots 0-9,
 * and a clearly lighter or darker member of the same family at slot i + 10.
 * Assignment spreads runs over families first, so up to ten runs never share
 * a hue family and up to twenty never share a colour.
 */
export const PALETTE = Object.freeze([
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  '#6baed6',
  '#a63603',
  '#74c476',
  '#fb8072',
  '#54278f',
  '#c49c94',
  '#ae017e',
  '#252525',
  '#6b6b00',
  '#007b7f',
]);

/** Number of hue families; slot i belongs to family i % FAMILIES. */
export const FAMILIES = 10;

/**
 * 32-bit FNV-1a over the UTF-16 code units of `s`.
 * @param {string} s
 * @returns {number} unsigned 32-bit hash
 */
export function hashString(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The palette colour a run prefers, ignoring other runs.
 * @param {string} run
 * @returns {string} a '#rrggbb' colour
 */
export function colorForRun(run) {
  return PALETTE[hashString(run) % PALETTE.length];
}

/** Whether some colour of slot i's hue family is in use. */
function familyUsed(used, i) {
  const f = i % FAMILIES;
  for (let j = f; j < PALETTE.length; j += FAMILIES) if (used.get(PALETTE[j])) return true;
  return false;
}

/**
 * Colours for a set of runs, visited in name order: each run gets its
 * preferred slot unless an earlier run took that colour or its hue family,
 * then the next slot (wrapping) free of both, then any free slot; once the
 * palette is exhausted, colours are shared evenly. Deterministic in the set.
 * @param {Iterable<string>} runs
 * @param {Map<string,string>} [fixed] colours already handed out; kept as is
 * @returns {Map<string,string>} run -> colour
 */
export function assignColors(runs, fixed = new Map()) {
  const out = new Map(fixed);
  const used = new Map(); // colour -> count
  for (const c of out.values()) used.set(c, (used.get(c) || 0) + 1);
  const todo = [...new Set(runs)].filter((r) => !out.has(r)).sort();
  for (const run of todo) {
    const start = hashString(run) % PALETTE.length;
    // Cheapest slot searching from the preferred one: an unused colour of an
    // unused family, else an unused colour, else the least used colour.
    let best = start;
    let bestCost = Infinity;
    for (let k = 0; k < PALETTE.length; k++) {
      const i = (start + k) % PALETTE.length;
      const cost = (used.get(PALETTE[i]) || 0) * 2 + (familyUsed(used, i) ? 1 : 0);
      if (cost < bestCost) {
        best = i;
        bestCost = cost;
      }
      if (cost === 0) break;
    }
    const c = PALETTE[best];
    out.set(run, c);
    used.set(c, (used.get(c) || 0) + 1);
  }
  return out;
}

/**
 * Remembers colours across calls, so runs that appear later get free slots
 * without changing the colours of runs already shown.
 */
export class ColorAssigner {
  constructor() {
    /** @type {Map<string,string>} */
    this.map = new Map();
  }

  /**
   * Adds `runs` (those not yet known) and returns the full map.
   * @param {Iterable<string>} runs
   */
  update(runs) {
    this.map = assignColors(runs, this.map);
    return this.map;
  }

  /** @param {string} run */
  get(run) {
    return this.map.get(run) || colorForRun(run);
  }
}

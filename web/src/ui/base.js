/**
 * What every dashboard shares: reading the shared view state (selected runs,
 * run and tag filters), picking the (run, tag) entries of a plugin, grouping
 * them like TensorBoard (ui/tag_groups.js), a grid of
 * lazily loaded cards keyed by (tag, run), and the step slider.
 */
import { h, clear, message } from './dom.js';
import { formatStep, formatWallTime } from './format.js';
import { compareNatural, groupName } from './tag_groups.js';

/**
 * The plain view state, whether ctx.state is a ViewStateStore (has get()) or
 * the state object itself.
 * @returns {{hiddenRuns: string[], runFilter: string, tagFilter: string, smoothing?: number}}
 */
export function viewState(ctx) {
  const s = ctx && ctx.state;
  const v = s && typeof s.get === 'function' ? s.get() : s;
  return v || { hiddenRuns: [], runFilter: '', tagFilter: '' };
}

/** Case-insensitive regex of a filter; an invalid one matches everything. */
export function regexOf(text) {
  try {
    return new RegExp(text || '', 'i');
  } catch {
    return /(?:)/;
  }
}

/** Predicate of the selected runs: not hidden and matching the run filter. */
export function runSelector(ctx) {
  const st = viewState(ctx);
  const hidden = new Set(st.hiddenRuns || []);
  const re = regexOf(st.runFilter);
  return (run) => !hidden.has(run) && re.test(run);
}

/** Predicate of the tag filter. */
export function tagSelector(ctx) {
  const re = regexOf(viewState(ctx).tagFilter);
  return (tag) => re.test(tag);
}

/** A run's colour from ctx.colors (a function or a {get} object). */
export function colorOf(ctx, run) {
  const c = ctx && ctx.colors;
  if (typeof c === 'function') return c(run);
  if (c && typeof c.get === 'function') return c.get(run);
  return '#1f77b4';
}

/**
 * The entries of `plugin` for selected runs and matching tags, sorted by tag
 * then run, in natural order (ui/tag_groups.js).
 * @param {any[]} tags client.tags()
 * @param {string|string[]} plugin
 */
export function pluginEntries(tags, plugin, ctx) {
  const plugins = new Set([].concat(plugin));
  const runOk = runSelector(ctx);
  const tagOk = tagSelector(ctx);
  return tags
    .filter((t) => plugins.has(t.plugin) && runOk(t.run) && tagOk(t.tag))
    .sort((a, b) => compareNatural(a.tag, b.tag) || compareNatural(a.run, b.run));
}

export function cmp(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Entries merged per tag (for cards that overlay runs): {tag, group, runs,
 * entries, sig}, where sig changes when a run or its data changes.
 */
export function byTag(entries) {
  const m = new Map();
  for (const e of entries) {
    let t = m.get(e.tag);
    if (!t) {
      t = {
        tag: e.tag,
        run: '',
        displayName: e.displayName,
        description: e.description,
        runs: [],
        entries: [],
      };
      m.set(e.tag, t);
    }
    t.runs.push(e.run);
    t.entries.push(e);
  }
  for (const t of m.values())
    t.sig = t.entries.map((e) => `${e.run}\u0000${e.points}\u0000${e.lastStep}`).join('\u0001');
  return [...m.values()];
}

/** Runs a function at most once at a time, re-running once if asked meanwhile. */
export class Serial {
  constructor(fn) {
    this.fn = fn;
    this.running = null;
    this.again = false;
  }
  run() {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.fn();
        } while (this.again);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }
}

/**
 * One IntersectionObserver per grid: calls onVisible.get(el)(true/false).
 * @param {WeakMap<Element, (visible: boolean) => void>} onVisible
 */
function makeObserver(onVisible) {
  if (typeof IntersectionObserver === 'undefined') return null;
  return new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        const fn = onVisible.get(e.target);
        if (fn) fn(e.isIntersecting);
      }
    },
    { rootMargin: '300px 0px' },
  );
}

/**
 * A grid of cards grouped by tag prefix. Cards are created for new keys,
 * told about changed entries, and destroyed when their key goes away. A card
 * loads only once visible (within 300px of the viewport), and again on
 * `update` only if it has been visible.
 *
 * makeCard(entry) -> {el, update(entry), load(), destroy()}
 */
export class CardGrid {
  constructor(
    root,
    makeCard,
    { groupOf = (e) => groupName(e.tag), keyOf = (e) => `${e.tag}\u0000${e.run}` } = {},
  ) {
    this.root = root;
    this.makeCard = makeCard;
    this.groupOf = groupOf;
    this.keyOf = keyOf;
    this.cards = new Map(); // key -> {card, visible, dirty, entry}
    this.groups = new Map(); // name -> {el, body, count}
    /** @type {WeakMap<Element, (visible: boolean) => void>} */
    this.onVisible = new WeakMap();
    this.observer = makeObserver(this.onVisible);
    this.collapsed = new Set();
  }

  /** Shows exactly `entries` (already sorted). */
  set(entries) {
    const want = new Map(entries.map((e) => [this.keyOf(e), e]));
    for (const [key, rec] of this.cards) {
      if (!want.has(key)) {
        if (this.observer) this.observer.unobserve(rec.card.el);
        rec.card.destroy();
        rec.card.el.remove();
        this.cards.delete(key);
      }
    }
    const order = [];
    for (const [key, entry] of want) {
      let rec = this.cards.get(key);
      if (!rec) {
        const card = this.makeCard(entry);
        rec = { card, visible: false, loaded: false, entry };
        const r = rec;
        this.onVisible.set(card.el, (vis) => {
          r.visible = vis;
          if (vis && !r.loaded) {
            r.loaded = true;
            r.card.load();
          }
        });
        this.cards.set(key, rec);
        if (this.observer) this.observer.observe(card.el);
        else {
          rec.loaded = true;
          queueMicrotask(() => card.load());
        }
      } else {
        const changed =
          entry.sig !== undefined
            ? rec.entry.sig !== entry.sig
            : rec.entry.points !== entry.points || rec.entry.lastStep !== entry.lastStep;
        rec.entry = entry;
        if (changed) {
          rec.card.update(entry);
          if (rec.loaded) rec.card.load();
        }
      }
      order.push([this.groupOf(entry), rec.card.el]);
    }
    // Lay out groups in natural order of their names (ui/tag_groups.js), cards in entry order.
    const byGroup = new Map();
    for (const [g, el] of order) {
      if (!byGroup.has(g)) byGroup.set(g, []);
      byGroup.get(g).push(el);
    }
    const groupOrder = [...byGroup.keys()].sort(compareNatural);
    for (const [g, grp] of this.groups) {
      if (!byGroup.has(g)) {
        grp.el.remove();
        this.groups.delete(g);
      }
    }
    let prev = null;
    for (const g of groupOrder) {
      let grp = this.groups.get(g);
      if (!grp) {
        const count = h('span.db-group-count');
        const toggle = h('span.db-group-chevron', { text: '▾' });
        const head = h(
          'button.db-group-head',
          { type: 'button' },
          toggle,
          h('span.db-group-name', { text: g }),
          count,
        );
        const body = h('div.db-grid');
        const el = h('section.db-group', { dataset: { group: g } }, head, body);
        head.addEventListener('click', () => {
          const closed = el.classList.toggle('closed');
          if (closed) this.collapsed.add(g);
          else this.collapsed.delete(g);
        });
        grp = { el, body, count };
        this.groups.set(g, grp);
      }
      const els = byGroup.get(g);
      grp.count.textContent = String(els.length);
      // Re-append only when the order differs (appendChild moves nodes).
      const cur = [...grp.body.children];
      if (cur.length !== els.length || cur.some((c, i) => c !== els[i]))
        for (const el of els) grp.body.append(el);
      if (prev ? prev.nextSibling !== grp.el : this.root.firstChild !== grp.el) {
        if (prev) prev.after(grp.el);
        else this.root.prepend(grp.el);
      }
      prev = grp.el;
    }
  }

  /** Asks every loaded card to reload (a setting that changes the drawing). */
  reloadAll() {
    for (const rec of this.cards.values()) if (rec.loaded) rec.card.load();
  }

  /** Calls fn(card) for each card. */
  each(fn) {
    for (const rec of this.cards.values()) fn(rec.card);
  }

  destroy() {
    if (this.observer) this.observer.disconnect();
    for (const rec of this.cards.values()) rec.card.destroy();
    this.cards.clear();
    clear(this.root);
  }
}

/**
 * The standard card frame: a title (tag), a run line with its colour swatch,
 * a body, and a message line.
 */
export function cardFrame(entry, ctx, extraClass = '') {
  const body = h('div.db-card-body');
  const msg = h('div.db-card-msg', { hidden: true });
  const meta = h('div.db-card-meta');
  const title = h(
    'div.db-card-title',
    { title: entry.description || entry.tag },
    h('span.db-card-tag', { text: entry.displayName || entry.tag }),
  );
  const runLine = h(
    'div.db-card-run',
    { title: entry.run },
    h('span.db-swatch', { style: { background: colorOf(ctx, entry.run) } }),
    h('span', { text: entry.run }),
  );
  const el = h(
    `article.db-card${extraClass ? `.${extraClass}` : ''}`,
    { dataset: { run: entry.run, tag: entry.tag } },
    title,
    runLine,
    body,
    meta,
    msg,
  );
  return {
    el,
    body,
    meta,
    msg,
    setMessage(text, kind = 'info') {
      msg.textContent = text || '';
      msg.hidden = !text;
      msg.className = `db-card-msg db-card-msg-${kind}`;
    },
  };
}

/**
 * A slider over every step that has data (no sampling): index i of `steps`.
 * Follows the newest step while it sits at the end. `onChange(i)` is called
 * on input (debounced lightly by the caller if needed).
 */
export class StepSlider {
  constructor(onChange, label = 'Step') {
    this.onChange = onChange;
    this.steps = new Float64Array(0);
    this.wallTime = new Float64Array(0);
    this.index = -1;
    this.follow = true;
    this.input = h('input.db-slider', {
      type: 'range',
      min: '0',
      max: '0',
      step: '1',
      value: '0',
      attrs: { 'aria-label': label },
    });
    this.prevBtn = h('button.db-icon-btn', {
      type: 'button',
      text: '‹',
      title: 'Previous step',
      attrs: { 'aria-label': 'Previous step' },
    });
    this.nextBtn = h('button.db-icon-btn', {
      type: 'button',
      text: '›',
      title: 'Next step',
      attrs: { 'aria-label': 'Next step' },
    });
    this.labelEl = h('span.db-step-label');
    this.el = h(
      'div.db-step-slider',
      {},
      h('span.db-step-name', { text: label }),
      this.labelEl,
      this.prevBtn,
      this.input,
      this.nextBtn,
    );
    this.input.addEventListener('input', () => this.select(Number(this.input.value), true));
    this.prevBtn.addEventListener('click', () => this.select(this.index - 1, true));
    this.nextBtn.addEventListener('click', () => this.select(this.index + 1, true));
  }

  /** New steps (sorted as stored); keeps the selected step when it still exists. */
  setSteps(steps, wallTime) {
    const prevStep = this.index >= 0 ? this.steps[this.index] : null;
    this.steps = steps;
    this.wallTime = wallTime || new Float64Array(steps.length);
    const n = steps.length;
    this.input.max = String(Math.max(0, n - 1));
    this.input.disabled = n <= 1;
    this.el.classList.toggle('single', n <= 1);
    let idx = n - 1;
    if (!this.follow && prevStep !== null) {
      const j = lastIndexOf(steps, prevStep);
      if (j >= 0) idx = j;
    }
    this.select(idx, false);
  }

  select(i, byUser) {
    const n = this.steps.length;
    if (!n) {
      this.index = -1;
      this.labelEl.textContent = '—';
      return;
    }
    i = Math.max(0, Math.min(n - 1, i));
    const changed = i !== this.index;
    this.index = i;
    if (byUser) this.follow = i === n - 1;
    this.input.value = String(i);
    this.prevBtn.disabled = i <= 0;
    this.nextBtn.disabled = i >= n - 1;
    this.labelEl.textContent = `${formatStep(this.steps[i])}`;
    this.labelEl.title =
      `${i + 1} of ${n}` + (this.wallTime[i] ? ` · ${formatWallTime(this.wallTime[i])}` : '');
    if (changed || !byUser) this.onChange(i, byUser);
  }
}

function lastIndexOf(arr, v) {
  for (let i = arr.length - 1; i >= 0; i--) if (arr[i] === v) return i;
  return -1;
}

/** The dashboard root: toolbar + content + empty state. */
export function dashboardRoot(container, id, title) {
  const toolbar = h('div.db-toolbar');
  const content = h('div.db-content');
  const empty = h('div.db-empty', { hidden: true });
  const root = h(
    'div.db-root',
    { dataset: { dashboard: id }, attrs: { 'aria-label': title } },
    toolbar,
    empty,
    content,
  );
  container.append(root);
  return {
    root,
    toolbar,
    content,
    setEmpty(text) {
      clear(empty);
      if (text) empty.append(message(text));
      empty.hidden = !text;
    },
  };
}

/**
 * The common life of a card-grid dashboard: a CardGrid in `ui.content` filled
 * with the entries of `plugin` that pass the run and tag selection, refreshed
 * (one refresh at a time) on start, on view-state changes and on update().
 * `entriesOf(entries)` may regroup them (PR curves: one card per tag); `noun`
 * names the data in the empty-state message. Returns the dashboard's
 * {update, destroy} and the grid.
 */
/**
 * @param {ReturnType<typeof dashboardRoot>} ui
 * @param {import('../engine/client.js').DataClient} client
 * @param {import('../dashboards/dashboard.js').DashboardContext} ctx
 * @param {{plugin: string|string[], noun: string, makeCard: Function, gridOptions?: object,
 *   entriesOf?: (entries: any[]) => any[]}} opt
 */
export function mountCardGrid(
  ui,
  client,
  ctx,
  { plugin, noun, makeCard, gridOptions, entriesOf = (e) => e },
) {
  const grid = new CardGrid(ui.content, makeCard, gridOptions);
  const refresh = new Serial(async () => {
    const entries = entriesOf(pluginEntries(await client.tags(), plugin, ctx));
    ui.setEmpty(entries.length ? '' : `No ${noun} for the selected runs and tag filter.`);
    grid.set(entries);
  });
  const off = ctx.onStateChange ? ctx.onStateChange(() => refresh.run()) : null;
  refresh.run();
  return {
    grid,
    update: () => refresh.run(),
    destroy() {
      if (typeof off === 'function') off();
      grid.destroy();
      ui.root.remove();
    },
  };
}

/** A promise-returning client call that reports errors as messages. */
export function errorText(err) {
  return err && err.message ? err.message : String(err);
}

/**
 * The Scalars dashboard: settings and runs on the left, tag filter and cards
 * grouped by tag prefix on the right, a "Pinned" group on top.
 *
 *   import { mountScalars } from './scalars/index.js';
 *   const dash = mountScalars(containerEl, client, store);  // store optional
 *   ...
 *   dash.destroy();
 *
 * `client` is the DataClient (runs, tags, scalars, scalarsFull; events
 * 'change' and 'idle'). `store` is a ViewStateStore from ../state.js (created
 * from the URL when omitted; a plain object is taken as an initial patch).
 *
 * Responsiveness with many cards: cards are cheap DOM shells; a card queries
 * the engine and draws only while it is on screen (IntersectionObserver with
 * a margin), and is marked dirty otherwise, so it draws when scrolled to.
 * 'change' events from the client are debounced (with a maximum wait, so a
 * log that keeps growing still refreshes), then on-screen cards redraw.
 */
import { ColorAssigner } from '../../ui/colors.js';
import { ViewStateStore, compileFilter } from '../../shell/state.js';
import { ScalarCard } from './card.js';
import { icon } from '../../ui/icons.js';
import { RunsPanel } from '../../ui/runs_panel.js';
import { SettingsPanel } from './settings.js';
import { compareNatural, createTagFilter, groupTags } from '../../ui/tag_filter.js';
import { Tooltip } from '../../ui/tooltip.js';
import './scalars.css';

const PINNED_GROUP = ':pinned';

/** Trailing debounce that still fires at least every `maxWait` ms. */
function debounce(fn, wait, maxWait = Infinity) {
  let timer = 0;
  let first = 0;
  const run = () => { timer = 0; first = 0; fn(); };
  const d = () => {
    const now = performance.now();
    if (!first) first = now;
    clearTimeout(timer);
    timer = setTimeout(run, Math.max(0, Math.min(wait, first + maxWait - now)));
  };
  d.flush = () => { if (timer) { clearTimeout(timer); run(); } };
  d.cancel = () => { clearTimeout(timer); timer = 0; first = 0; };
  return d;
}

class ScalarsDashboard {
  constructor(container, client, state, colors) {
    this.client = client;
    if (state instanceof ViewStateStore) this.store = state;
    else {
      this.store = new ViewStateStore();
      if (state && typeof state === 'object') this.store.update(state);
    }
    // Shared with the other dashboards when the shell passes one.
    this.colors = colors || new ColorAssigner();
    this.tooltip = new Tooltip();
    this.runs = [];
    /** tag -> {displayName, description, runs: Map<run, info>} */
    this.tagIndex = new Map();
    /** @type {Map<string, ScalarCard>} */
    this.cards = new Map();
    this.groupEls = new Map();
    this.visible = new Set();
    this.buildDom(container);

    this.io = new IntersectionObserver((entries) => {
      for (const e of entries) {
        const card = e.target.__card;
        if (!card) continue;
        if (e.isIntersecting) this.visible.add(card); else this.visible.delete(card);
      }
      this.drawVisible();
    }, { rootMargin: '300px 0px' });
    let lastWidth = 0;
    this.ro = new ResizeObserver(() => {
      const w = this.groupsEl.clientWidth;
      if (w === lastWidth) return;
      lastWidth = w;
      this.redrawSoon();
    });
    this.ro.observe(this.groupsEl);

    this.redrawSoon = debounce(() => { this.markAllDirty(); this.drawVisible(); }, 120);
    this.refreshSoon = debounce(() => this.refresh(), 400, 2000);
    this.onStore = (e) => this.onStateChange(e.detail);
    this.onChange = () => this.refreshSoon();
    this.onIdle = () => { this.refreshSoon.cancel(); this.refresh(); };
    this.store.addEventListener('change', this.onStore);
    client.addEventListener('change', this.onChange);
    client.addEventListener('idle', this.onIdle);
    this.refresh();
  }

  buildDom(container) {
    const root = document.createElement('div');
    root.className = 'sc-root';
    const side = document.createElement('aside');
    side.className = 'sc-side';
    this.settings = new SettingsPanel(this.store);
    this.runsPanel = new RunsPanel(this.store, this.colors);
    const sideInner = document.createElement('div');
    sideInner.className = 'sc-side-inner';
    sideInner.append(this.settings.el, this.runsPanel.el);
    side.appendChild(sideInner);
    const main = document.createElement('div');
    main.className = 'sc-main';
    const bar = document.createElement('div');
    bar.className = 'sc-toolbar';
    this.tagFilter = createTagFilter(this.store, icon('search'));
    this.summaryEl = document.createElement('div');
    this.summaryEl.className = 'sc-summary';
    bar.append(this.tagFilter.el, this.summaryEl);
    this.groupsEl = document.createElement('div');
    this.groupsEl.className = 'sc-groups';
    this.emptyEl = document.createElement('div');
    this.emptyEl.className = 'sc-empty';
    this.emptyEl.hidden = true;
    main.append(bar, this.emptyEl, this.groupsEl);
    root.append(side, main);
    container.appendChild(root);
    this.root = root;
  }

  /** Re-reads runs and tags from the client, then lays out and redraws. */
  async refresh() {
    const gen = (this.refreshGen = (this.refreshGen || 0) + 1);
    let runs;
    let tags;
    try {
      [runs, tags] = await Promise.all([this.client.runs(), this.client.tags()]);
    } catch (err) {
      console.error('scalars: refresh failed', err);
      return;
    }
    if (gen !== this.refreshGen || this.destroyed) return;
    const index = new Map();
    for (const t of tags) {
      if (!t.isScalar) continue;
      let e = index.get(t.tag);
      if (!e) index.set(t.tag, (e = { displayName: '', description: '', runs: new Map() }));
      if (!e.displayName && t.displayName) e.displayName = t.displayName;
      if (!e.description && t.description) e.description = t.description;
      e.runs.set(t.run, t);
    }
    this.runs = [...runs].sort(compareNatural);
    this.tagIndex = index;
    this.colors.update(this.runs);
    this.runsPanel.setRuns(this.runs);
    this.markAllDirty();
    this.layout();
  }

  onStateChange(fields) {
    const f = new Set(fields);
    this.settings.render();
    if (f.has('runFilter') || f.has('hiddenRuns')) this.runsPanel.render();
    if (['runFilter', 'hiddenRuns', 'tagFilter', 'pinned', 'expanded', 'collapsed'].some((k) => f.has(k))) this.layout();
    if (['smoothing', 'xAxis', 'yScale', 'ignoreOutliers'].some((k) => f.has(k))) {
      if (f.has('smoothing') && f.size === 1) this.redrawSoon();
      else { this.markAllDirty(); this.drawVisible(); }
    }
  }

  /** Selected runs: not deselected and matching the run filter. */
  selectedRuns() {
    const st = this.store.get();
    const hidden = new Set(st.hiddenRuns);
    const re = compileFilter(st.runFilter);
    return this.runs.filter((r) => !hidden.has(r) && (!re || re.test(r)));
  }

  card(tag) {
    let c = this.cards.get(tag);
    if (!c) {
      c = new ScalarCard(tag, {
        client: this.client, store: this.store, colors: this.colors, tooltip: this.tooltip,
        tagInfo: (t, run) => this.tagIndex.get(t)?.runs.get(run),
      });
      c.el.__card = c;
      this.cards.set(tag, c);
    }
    return c;
  }

  /** Places cards into groups per the state; creates and drops DOM as needed. */
  layout() {
    const st = this.store.get();
    const selected = this.selectedRuns();
    const runsOf = (tag) => {
      const have = this.tagIndex.get(tag)?.runs;
      return have ? selected.filter((r) => have.has(r)) : [];
    };
    const pinned = st.pinned.filter((t) => this.tagIndex.has(t));
    const pinnedSet = new Set(pinned);
    const re = compileFilter(st.tagFilter);
    const candidates = [...this.tagIndex.keys()].filter((t) => !pinnedSet.has(t) && runsOf(t).length);
    const groups = groupTags(candidates, re);
    if (pinned.length) groups.unshift({ name: PINNED_GROUP, tags: pinned });

    const used = new Set();
    const placed = new Set();
    const collapsed = new Set(st.collapsed);
    const expanded = new Set(st.expanded);
    let prev = null;
    for (const g of groups) {
      const ge = this.groupEl(g.name);
      used.add(g.name);
      ge.countEl.textContent = String(g.tags.length);
      const isCollapsed = collapsed.has(g.name);
      ge.el.classList.toggle('collapsed', isCollapsed);
      ge.head.setAttribute('aria-expanded', String(!isCollapsed));
      ge.body.hidden = isCollapsed;
      g.tags.forEach((tag, i) => {
        const c = this.card(tag);
        placed.add(tag);
        const info = this.tagIndex.get(tag);
        c.setInfo(info.displayName, info.description);
        c.setRuns(runsOf(tag));
        c.setFlags({ pinned: pinnedSet.has(tag), expanded: expanded.has(tag) });
        if (ge.body.children[i] !== c.el) ge.body.insertBefore(c.el, ge.body.children[i] || null);
        this.io.observe(c.el);
      });
      while (ge.body.children.length > g.tags.length) ge.body.lastChild.remove();
      const want = prev ? prev.nextSibling : this.groupsEl.firstChild;
      if (want !== ge.el) this.groupsEl.insertBefore(ge.el, want);
      prev = ge.el;
    }
    for (const [name, ge] of this.groupEls) {
      if (!used.has(name)) { ge.el.remove(); this.groupEls.delete(name); }
    }
    for (const [tag, c] of this.cards) {
      if (placed.has(tag)) continue;
      this.io.unobserve(c.el);
      this.visible.delete(c);
      if (!this.tagIndex.has(tag)) { c.destroy(); this.cards.delete(tag); } else c.el.remove();
    }
    this.updateSummary(groups, placed.size, selected.length);
    this.drawVisible();
  }

  groupEl(name) {
    let g = this.groupEls.get(name);
    if (g) return g;
    const el = document.createElement('section');
    el.className = 'sc-group';
    el.dataset.group = name;
    const head = document.createElement('button');
    head.type = 'button';
    head.className = 'sc-group-head';
    const chev = document.createElement('span');
    chev.className = 'sc-chevron';
    chev.innerHTML = icon('chevron');
    const title = document.createElement('span');
    title.className = 'sc-group-name';
    if (name === PINNED_GROUP) {
      el.classList.add('sc-pinned-group');
      title.innerHTML = icon('pin');
      title.append(document.createTextNode('Pinned'));
    } else title.textContent = name;
    const countEl = document.createElement('span');
    countEl.className = 'sc-count';
    head.append(chev, title, countEl);
    head.addEventListener('click', () => this.store.toggle('collapsed', name));
    const body = document.createElement('div');
    body.className = 'sc-group-body';
    el.append(head, body);
    g = { el, head, body, countEl };
    this.groupEls.set(name, g);
    return g;
  }

  updateSummary(groups, nCards, nRuns) {
    const nTags = this.tagIndex.size;
    this.summaryEl.textContent = nTags
      ? `${nCards} of ${nTags} tag${nTags === 1 ? '' : 's'} · ${nRuns} of ${this.runs.length} run${this.runs.length === 1 ? '' : 's'}`
      : '';
    let msg = '';
    if (!nTags) msg = 'No scalar data yet. Scalars appear here as soon as the logs hold any.';
    else if (!nRuns) msg = 'No runs selected. Select runs in the panel on the left.';
    else if (!groups.length) msg = 'No tags match the filter.';
    this.emptyEl.textContent = msg;
    this.emptyEl.hidden = !msg;
  }

  markAllDirty() {
    for (const c of this.cards.values()) c.dirty = true;
  }

  /** Draws every on-screen card that is dirty. */
  drawVisible() {
    for (const c of this.visible) {
      if (c.dirty && c.el.isConnected) c.draw();
    }
  }

  destroy() {
    this.destroyed = true;
    this.store.removeEventListener('change', this.onStore);
    this.client.removeEventListener('change', this.onChange);
    this.client.removeEventListener('idle', this.onIdle);
    this.refreshSoon.cancel();
    this.redrawSoon.cancel();
    this.io.disconnect();
    this.ro.disconnect();
    for (const c of this.cards.values()) c.destroy();
    this.tooltip.destroy();
    this.root.remove();
  }
}

/**
 * Mounts the Scalars dashboard into `container`.
 * @param {HTMLElement} container
 * @param {EventTarget & {runs: Function, tags: Function, scalars: Function, scalarsFull: Function}} client
 * @param {ViewStateStore|object} [state]
 * @returns {{store: ViewStateStore, refresh: () => Promise<void>, destroy: () => void}}
 */
export function mountScalars(container, client, state, colors) {
  const d = new ScalarsDashboard(container, client, state, colors);
  return { store: d.store, refresh: () => d.refresh(), destroy: () => d.destroy(), dashboard: d };
}

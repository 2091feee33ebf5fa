/**
 * The Scalars dashboard: its settings (smoothing, axes, outliers) above the
 * shared runs panel, a summary beside the shared tag filter, and cards grouped
 * by tag prefix, a "Pinned" group on top. Registered like every dashboard
 * (dashboards/dashboard.js): `scalarsDashboard.mount(container, client, ctx)`.
 *
 * `client` is the DataClient (runs, tags, scalars, scalarsFull). `ctx.state` is
 * the page's ViewStateStore (shell/state.js): every setting of this dashboard
 * lives there and so in the URL.
 *
 * Responsiveness with many cards: cards are cheap DOM shells; a card queries
 * the engine and draws only while it is on screen (IntersectionObserver with
 * a margin), and is marked dirty otherwise, so it draws when scrolled to.
 * update() calls (new data) are debounced while the engine is loading (with a
 * maximum wait, so a log that keeps growing still refreshes); once the engine
 * is idle the refresh is immediate. Then on-screen cards redraw.
 */
import { compileFilter } from '../../shell/state.js';
import { ScalarCard } from './card.js';
import { icon } from '../../ui/icons.js';
import { SettingsPanel } from './settings.js';
import { compareNatural, groupTags } from '../../ui/tag_groups.js';
import { tooltip } from '../../ui/tooltip.js';
import './scalars.css';

const PINNED_GROUP = ':pinned';

/** Trailing debounce that still fires at least every `maxWait` ms. */
function debounce(fn, wait, maxWait = Infinity) {
  let timer = 0;
  let first = 0;
  const run = () => {
    timer = 0;
    first = 0;
    fn();
  };
  const d = () => {
    const now = performance.now();
    if (!first) first = now;
    clearTimeout(timer);
    timer = setTimeout(run, Math.max(0, Math.min(wait, first + maxWait - now)));
  };
  d.flush = () => {
    if (timer) {
      clearTimeout(timer);
      run();
    }
  };
  d.cancel = () => {
    clearTimeout(timer);
    timer = 0;
    first = 0;
  };
  return d;
}

class ScalarsDashboard {
  /**
   * @param {HTMLElement} container
   * @param {import('../../engine/client.js').DataClient} client
   * @param {import('../dashboard.js').DashboardContext} ctx
   */
  constructor(container, client, ctx) {
    this.client = client;
    this.store = ctx.state;
    this.colors = ctx.colors;
    this.runs = [];
    /** tag -> {displayName, description, runs: Map<run, info>} */
    this.tagIndex = new Map();
    /** @type {Map<string, ScalarCard>} */
    this.cards = new Map();
    /** @type {WeakMap<Element, ScalarCard>} the card of each card element */
    this.cardOf = new WeakMap();
    this.groupEls = new Map();
    this.visible = new Set();
    this.buildDom(container, ctx);

    this.io = new IntersectionObserver(
      (entries) => {
        for (const e of entries) {
          const card = this.cardOf.get(e.target);
          if (!card) continue;
          if (e.isIntersecting) this.visible.add(card);
          else this.visible.delete(card);
        }
        this.drawVisible();
      },
      { rootMargin: '300px 0px' },
    );
    let lastWidth = 0;
    this.ro = new ResizeObserver(() => {
      const w = this.groupsEl.clientWidth;
      if (w === lastWidth) return;
      lastWidth = w;
      this.redrawSoon();
    });
    this.ro.observe(this.groupsEl);

    this.redrawSoon = debounce(() => {
      this.markAllDirty();
      this.drawVisible();
    }, 120);
    this.refreshSoon = debounce(() => this.refresh(), 400, 2000);
    this.offState = ctx.onStateChange((fields) => this.onStateChange(fields));
    this.refresh();
  }

  /** New data in the engine: refresh soon while loading, now when idle. */
  update() {
    if (this.client.idle) {
      this.refreshSoon.cancel();
      this.refresh();
    } else this.refreshSoon();
  }

  /**
   * The settings go above the shared runs panel and the summary beside the
   * shared tag filter when the host gives those places; else in this
   * dashboard's own column and bar.
   */
  buildDom(container, ctx) {
    this.settings = new SettingsPanel(this.store);
    this.summaryEl = document.createElement('div');
    this.summaryEl.className = 'sc-summary';
    this.groupsEl = document.createElement('div');
    this.groupsEl.className = 'sc-groups';
    this.emptyEl = document.createElement('div');
    this.emptyEl.className = 'sc-empty';
    this.emptyEl.hidden = true;
    const root = document.createElement('div');
    root.className = 'sc-dashboard';
    root.dataset.dashboard = 'scalars';
    (ctx.sidebar || root).append(this.settings.el);
    (ctx.toolbar || root).append(this.summaryEl);
    root.append(this.emptyEl, this.groupsEl);
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
    this.markAllDirty();
    this.layout();
  }

  /** @param {string[]} fields the view-state fields that changed */
  onStateChange(fields) {
    const f = new Set(fields);
    this.settings.render();
    if (
      ['runFilter', 'hiddenRuns', 'tagFilter', 'pinned', 'expanded', 'collapsed'].some((k) =>
        f.has(k),
      )
    )
      this.layout();
    if (['smoothing', 'xAxis', 'yScale', 'ignoreOutliers'].some((k) => f.has(k))) {
      if (f.has('smoothing') && f.size === 1) this.redrawSoon();
      else {
        this.markAllDirty();
        this.drawVisible();
      }
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
        client: this.client,
        store: this.store,
        colors: this.colors,
        tooltip,
        tagInfo: (t, run) => this.tagIndex.get(t)?.runs.get(run),
      });
      this.cardOf.set(c.el, c);
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
    const candidates = [...this.tagIndex.keys()].filter(
      (t) => !pinnedSet.has(t) && runsOf(t).length,
    );
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
      if (!used.has(name)) {
        ge.el.remove();
        this.groupEls.delete(name);
      }
    }
    for (const [tag, c] of this.cards) {
      if (placed.has(tag)) continue;
      this.io.unobserve(c.el);
      this.visible.delete(c);
      if (!this.tagIndex.has(tag)) {
        c.destroy();
        this.cards.delete(tag);
      } else c.el.remove();
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
    this.offState();
    this.refreshSoon.cancel();
    this.redrawSoon.cancel();
    this.io.disconnect();
    this.ro.disconnect();
    for (const c of this.cards.values()) c.destroy();
    tooltip.hide();
    this.root.remove();
  }
}

/** @type {import('../dashboard.js').Dashboard} */
export const scalarsDashboard = {
  id: 'scalars',
  title: 'Scalars',
  hasData: (tags) => tags.some((t) => t.isScalar),
  /** Distinct scalar tags over all runs. */
  count: (tags) => new Set(tags.filter((t) => t.isScalar).map((t) => t.tag)).size,
  mount(container, client, ctx) {
    const d = new ScalarsDashboard(container, client, ctx);
    return { update: () => d.update(), destroy: () => d.destroy() };
  },
};

/**
 * One scalar card: a tag drawn for every selected run that has it.
 *
 * Life cycle: the dashboard creates a card per tag, tells it which runs to
 * draw (`setRuns`), and calls `draw()` when the card is on screen and dirty.
 * `draw()` asks the client for each run's series reduced to the card's plot
 * width in pixels (so at most ~2 points per pixel column reach Vega), over
 * the zoomed x-range if any, then either re-embeds the chart (when the spec's
 * shape changed) or swaps data and domain signals on the live view (cheap).
 * A generation counter drops the results of superseded draws.
 *
 * Interaction is an HTML overlay over the canvas, using the view's scales:
 * hover shows a vertical rule, a dot per run and the shared tooltip; dragging
 * selects an x-range and zooms (re-querying the engine at full resolution for
 * that range); double-click resets the zoom.
 *
 * Test hooks on the card element: data-tag, data-runs (comma list),
 * data-drawn ("1" once drawn, "0" while redrawing), data-points (rows sent to
 * Vega), data-renders (count of completed draws), data-draw-ms (time of the
 * last Vega embed or update, for performance checks).
 */
import embed from 'vega-embed';
import { fastInterpreter } from './fast_encode.js';
import { buildRows, buildSpec, computeDomains, fromPlotX, specKey, toPlotX, toVega } from './chart_spec.js';
import { downloadSeries } from './download.js';
import { iconButton, icon } from '../../ui/icons.js';

export const CARD_HEIGHT = 220;
export const EXPANDED_HEIGHT = 380;

const EMBED_OPTIONS = {
  mode: 'vega', renderer: 'canvas', actions: false, tooltip: false,
  ast: true, expr: fastInterpreter, // no eval: works under a strict CSP
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
function vegaSpec(opt, key) {
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
function splitByRun(series, rows) {
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
function swapRows(view, pools, next) {
  const cs = view.changeset();
  const out = [];
  let fields = null;
  for (let r = 0; r < next.length; r++) {
    const old = pools[r] || [];
    const fresh = next[r];
    const m = Math.min(old.length, fresh.length);
    for (let i = 0; i < m; i++) Object.assign(old[i], fresh[i]);
    if (!fields && fresh.length) fields = Object.keys(fresh[0]).filter((f) => f !== 'run');
    if (old.length > m) { cs.remove(old.slice(m)); out.push(old.slice(0, m)); }
    else { cs.insert(fresh.slice(m)); out.push(old.concat(fresh.slice(m))); }
  }
  for (let r = next.length; r < pools.length; r++) cs.remove(pools[r]);
  cs.reflow();
  for (const f of fields || []) cs.modify(NEVER, f); // declares the fields modified
  view.change('points', cs);
  return out;
}

/** Index of the element of sorted `xs` nearest to `x` (-1 when empty). */
export function nearestIndex(xs, x) {
  const n = xs.length;
  if (!n) return -1;
  let lo = 0; let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1; else hi = mid;
  }
  if (lo > 0 && Math.abs(xs[lo - 1] - x) <= Math.abs(xs[lo] - x)) return lo - 1;
  return lo;
}

export class ScalarCard {
  /**
   * @param {string} tag
   * @param {{client: any, store: import('../../shell/state.js').ViewStateStore,
   *          colors: import('../../ui/colors.js').ColorAssigner,
   *          tooltip: import('../../ui/tooltip.js').Tooltip,
   *          tagInfo: (tag: string, run: string) => any}} ctx
   */
  constructor(tag, ctx) {
    this.tag = tag;
    this.ctx = ctx;
    this.runs = [];
    this.zoom = null; // [x0, x1] in client units, or null
    this.zoomAxis = null;
    this.gen = 0;
    this.renders = 0;
    this.dirty = true;
    this.view = null;
    this.key = '';
    this.series = [];
    this.pools = []; // per run, the row objects (Vega tuples) in the view
    this.vegaChain = Promise.resolve();
    this.overhead = 60; // card width minus plot width, measured after each draw
    this.build();
  }

  /** Creates the card's DOM. */
  build() {
    const el = document.createElement('section');
    el.className = 'sc-card';
    el.dataset.tag = this.tag;
    el.dataset.runs = '';
    const head = document.createElement('header');
    head.className = 'sc-card-head';
    const title = document.createElement('div');
    title.className = 'sc-card-title';
    this.titleEl = document.createElement('span');
    this.titleEl.className = 'sc-tag';
    this.titleEl.textContent = this.tag;
    this.titleEl.title = this.tag;
    this.subEl = document.createElement('span');
    this.subEl.className = 'sc-display-name';
    this.infoEl = document.createElement('span');
    this.infoEl.className = 'sc-info';
    this.infoEl.innerHTML = icon('info');
    this.infoEl.hidden = true;
    title.append(this.titleEl, this.subEl, this.infoEl);

    const actions = document.createElement('div');
    actions.className = 'sc-card-actions';
    this.resetBtn = iconButton('zoomReset', 'Reset zoom (or double-click the chart)', 'sc-reset');
    this.resetBtn.hidden = true;
    this.resetBtn.addEventListener('click', () => this.setZoom(null));
    this.pinBtn = iconButton('pin', 'Pin to top', 'sc-pin');
    this.pinBtn.addEventListener('click', () => this.ctx.store.toggle('pinned', this.tag));
    this.expandBtn = iconButton('expand', 'Expand to full width', 'sc-expand');
    this.expandBtn.addEventListener('click', () => this.ctx.store.toggle('expanded', this.tag));
    this.dlBtn = iconButton('download', 'Download data', 'sc-download');
    this.dlBtn.addEventListener('click', (e) => { e.stopPropagation(); this.toggleDownloadMenu(); });
    actions.append(this.resetBtn, this.pinBtn, this.expandBtn, this.dlBtn);
    head.append(title, actions);

    this.chartEl = document.createElement('div');
    this.chartEl.className = 'sc-chart';
    this.vegaEl = document.createElement('div');
    this.vegaEl.className = 'sc-vega';
    this.msgEl = document.createElement('div');
    this.msgEl.className = 'sc-msg';
    this.msgEl.textContent = 'Loading…';
    this.overlay = document.createElement('div');
    this.overlay.className = 'sc-overlay';
    this.ruleEl = document.createElement('div');
    this.ruleEl.className = 'sc-rule';
    this.brushEl = document.createElement('div');
    this.brushEl.className = 'sc-brush';
    this.ruleEl.hidden = this.brushEl.hidden = true;
    this.dotsEl = document.createElement('div');
    this.overlay.append(this.ruleEl, this.brushEl, this.dotsEl);
    this.chartEl.append(this.vegaEl, this.msgEl, this.overlay);
    el.append(head, this.chartEl);
    this.el = el;
    this.bindPointer();
  }

  /** Sets the display name and description shown next to the tag. */
  setInfo(displayName, description) {
    const show = displayName && displayName !== this.tag;
    this.subEl.textContent = show ? displayName : '';
    this.infoEl.hidden = !description;
    this.infoEl.title = description || '';
  }

  /** Sets the runs to draw; marks the card dirty when they changed. */
  setRuns(runs) {
    const joined = runs.join(',');
    if (joined === this.el.dataset.runs && this.runs.length === runs.length) return false;
    this.runs = runs;
    this.el.dataset.runs = joined;
    this.dirty = true;
    return true;
  }

  /** Reflects pin/expand state in the buttons and size. */
  setFlags({ pinned, expanded }) {
    this.pinBtn.classList.toggle('active', pinned);
    this.pinBtn.title = pinned ? 'Unpin' : 'Pin to top';
    this.pinBtn.setAttribute('aria-pressed', String(pinned));
    if (this.expanded !== expanded) {
      this.expanded = expanded;
      this.el.classList.toggle('expanded', expanded);
      this.expandBtn.innerHTML = icon(expanded ? 'collapse' : 'expand');
      this.expandBtn.title = expanded ? 'Restore size' : 'Expand to full width';
      this.dirty = true;
    }
  }

  /** @param {[number, number]|null} zoom in client x units */
  setZoom(zoom) {
    this.zoom = zoom;
    this.zoomAxis = zoom ? this.ctx.store.get().xAxis : null;
    this.resetBtn.hidden = !zoom;
    this.draw();
  }

  /** Fetches the series and draws them; safe to call while a draw runs. */
  async draw() {
    this.dirty = false;
    const gen = ++this.gen;
    const st = this.ctx.store.get();
    if (this.zoom && this.zoomAxis !== st.xAxis) { this.zoom = null; this.resetBtn.hidden = true; }
    const runs = this.runs;
    const width = this.chartEl.clientWidth;
    if (!width) { this.dirty = true; return; } // not laid out (collapsed group)
    this.el.dataset.drawn = '0';
    const plotWidth = Math.max(40, Math.round(width - this.overhead));
    const q = {
      xAxis: st.xAxis, x0: this.zoom ? this.zoom[0] : null, x1: this.zoom ? this.zoom[1] : null,
      width: plotWidth, smoothing: st.smoothing,
    };
    let results;
    try {
      results = await Promise.all(runs.map((r) => this.ctx.client.scalars(r, this.tag, q)));
    } catch (err) {
      if (gen === this.gen) this.showMessage(`Could not load: ${err && err.message ? err.message : err}`);
      return;
    }
    if (gen !== this.gen) return;
    const series = runs.map((run, i) => ({ run, data: results[i] }));
    const rows = buildRows(series, st.xAxis, st.yScale);
    const opt = {
      xAxis: st.xAxis, yScale: st.yScale, runs,
      colors: runs.map((r) => this.ctx.colors.get(r)),
      smoothed: st.smoothing > 0,
      width, height: this.expanded ? EXPANDED_HEIGHT : CARD_HEIGHT,
      domains: computeDomains(results, { xAxis: st.xAxis, yScale: st.yScale, ignoreOutliers: st.ignoreOutliers, zoom: this.zoom }),
    };
    const key = specKey(opt);
    // Vega work runs one draw at a time per card (`vegaChain`), so each
    // update is computed against a view whose last change has been applied.
    const step = this.vegaChain.then(() => this.render(gen, key, opt, series, rows));
    this.vegaChain = step.catch(() => {});
    let t0;
    try {
      t0 = await step;
    } catch (err) {
      this.key = ''; // the view's rows are uncertain: re-embed next time
      if (gen === this.gen) this.showMessage(`Could not draw: ${err && err.message ? err.message : err}`);
      return;
    }
    if (t0 === null || gen !== this.gen) return;
    this.series = series;
    this.overhead = Math.max(0, width - this.view.width());
    this.showMessage(rows.length ? '' : (runs.length ? 'No data in this range' : 'No selected run has this tag'));
    this.renders += 1;
    this.el.dataset.points = String(rows.length);
    this.el.dataset.renders = String(this.renders);
    this.el.dataset.drawMs = String(Math.round(performance.now() - t0));
    this.el.dataset.drawn = '1';
  }

  /**
   * Embeds the chart (when there is no view or the spec's key changed) or
   * swaps rows and domains on the live view. Resolves the time it started
   * (for data-draw-ms), or null when superseded by a newer draw.
   */
  async render(gen, key, opt, series, rows) {
    if (gen !== this.gen) return null;
    const t0 = performance.now();
    if (!this.view || key !== this.key) {
      // Embedded without rows, then the rows are inserted: autosize 'fit'
      // settles the layout in the embed's first pass (axis extents depend
      // only on the domain signals, not on the rows), so the many line items
      // are encoded once instead of twice (before and after the resize).
      const holder = document.createElement('div');
      holder.className = 'sc-vega';
      const res = await embed(holder, vegaSpec(opt, key), EMBED_OPTIONS);
      if (gen !== this.gen) { res.finalize(); return null; }
      await res.view.insert('points', rows).runAsync();
      if (gen !== this.gen) { res.finalize(); return null; }
      if (this.view) this.view.finalize();
      this.vegaEl.replaceWith(holder);
      this.vegaEl = holder;
      this.view = res.view;
      this.key = key;
      this.pools = splitByRun(series, rows);
    } else {
      this.pools = swapRows(this.view, this.pools, splitByRun(series, rows));
      this.view.signal('xd', opt.domains.x).signal('yd', opt.domains.y);
      await this.view.runAsync();
      if (gen !== this.gen) return null;
    }
    return t0;
  }

  showMessage(text) {
    this.msgEl.textContent = text;
    this.msgEl.hidden = !text;
  }

  // ---- pointer: hover tooltip, brush zoom, double-click reset ----

  /** Pointer position relative to the plot area (origin at its top-left). */
  plotPoint(ev) {
    const rect = this.vegaEl.getBoundingClientRect();
    const [ox, oy] = this.view.origin();
    return [ev.clientX - rect.left - ox, ev.clientY - rect.top - oy, rect.left + ox, rect.top + oy];
  }

  bindPointer() {
    const ov = this.overlay;
    ov.addEventListener('pointermove', (ev) => this.onMove(ev));
    ov.addEventListener('pointerleave', () => { if (this.brushStart == null) this.hideHover(); });
    ov.addEventListener('pointerdown', (ev) => {
      if (ev.button !== 0 || !this.view) return;
      const [px] = this.plotPoint(ev);
      if (px < 0 || px > this.view.width()) return;
      this.brushStart = px;
      ov.setPointerCapture(ev.pointerId);
      ev.preventDefault();
    });
    ov.addEventListener('pointerup', (ev) => {
      if (this.brushStart == null) return;
      const [px] = this.plotPoint(ev);
      const a = Math.max(0, Math.min(this.brushStart, px));
      const b = Math.min(this.view.width(), Math.max(this.brushStart, px));
      this.brushStart = null;
      this.brushEl.hidden = true;
      if (b - a < 4) return;
      const xs = this.view.scale('x');
      const axis = this.ctx.store.get().xAxis;
      this.hideHover();
      this.setZoom([fromPlotX(+xs.invert(a), axis), fromPlotX(+xs.invert(b), axis)]);
    });
    ov.addEventListener('dblclick', () => { if (this.zoom) this.setZoom(null); });
  }

  onMove(ev) {
    if (!this.view || !this.series.length) return;
    const [px, py, gx, gy] = this.plotPoint(ev);
    const w = this.view.width();
    const h = this.view.height();
    const chartRect = this.chartEl.getBoundingClientRect();
    const offX = gx - chartRect.left;
    const offY = gy - chartRect.top;
    if (this.brushStart != null) {
      const a = Math.max(0, Math.min(this.brushStart, px));
      const b = Math.min(w, Math.max(this.brushStart, px));
      Object.assign(this.brushEl.style, { left: `${offX + a}px`, width: `${b - a}px`, top: `${offY}px`, height: `${h}px` });
      this.brushEl.hidden = false;
      this.ctx.tooltip.hide();
      return;
    }
    if (px < 0 || px > w || py < -8 || py > h + 8) { this.hideHover(); return; }
    const st = this.ctx.store.get();
    const xs = this.view.scale('x');
    const ys = this.view.scale('y');
    const x = fromPlotX(+xs.invert(px), st.xAxis);
    const smoothed = st.smoothing > 0;
    const rows = [];
    const dots = [];
    for (const { run, data } of this.series) {
      const i = nearestIndex(data.x, x);
      if (i < 0) continue;
      const v = data.value[i];
      const s = data.smoothed[i];
      const yv = smoothed ? s : v;
      const yPix = ys(yv);
      const xPix = xs(toPlotX(data.x[i], st.xAxis));
      const color = this.ctx.colors.get(run);
      const info = this.ctx.tagInfo(this.tag, run);
      rows.push({
        run, color, step: data.step[i], value: v, smoothed: s, wallTime: data.wallTime[i],
        relative: data.wallTime[i] - (info ? info.firstWallTime : data.wallTime[0]),
        distance: Number.isFinite(yPix) ? Math.abs(yPix - py) : Infinity,
      });
      if (Number.isFinite(yPix) && yPix >= 0 && yPix <= h && xPix >= 0 && xPix <= w) dots.push([xPix, yPix, color]);
    }
    Object.assign(this.ruleEl.style, { left: `${offX + px}px`, top: `${offY}px`, height: `${h}px` });
    this.ruleEl.hidden = false;
    while (this.dotsEl.children.length < dots.length) {
      const d = document.createElement('div');
      d.className = 'sc-dot';
      this.dotsEl.appendChild(d);
    }
    [...this.dotsEl.children].forEach((d, k) => {
      d.hidden = k >= dots.length;
      if (k < dots.length) {
        const [dx, dy, c] = dots[k];
        d.style.transform = `translate(${offX + dx}px, ${offY + dy}px)`;
        d.style.borderColor = c;
      }
    });
    this.ctx.tooltip.show(rows, ev.clientX, ev.clientY, smoothed);
  }

  hideHover() {
    this.ruleEl.hidden = true;
    for (const d of this.dotsEl.children) d.hidden = true;
    this.ctx.tooltip.hide();
  }

  // ---- downloads ----

  toggleDownloadMenu() {
    if (this.menu) { this.closeMenu(); return; }
    const menu = document.createElement('div');
    menu.className = 'sc-menu';
    menu.setAttribute('role', 'menu');
    const head = document.createElement('div');
    head.className = 'sc-menu-head';
    head.textContent = 'Download data';
    menu.appendChild(head);
    if (!this.runs.length) {
      const p = document.createElement('div');
      p.className = 'sc-menu-empty';
      p.textContent = 'No run selected';
      menu.appendChild(p);
    }
    for (const run of this.runs) {
      const row = document.createElement('div');
      row.className = 'sc-menu-row';
      const sw = document.createElement('span');
      sw.className = 'sc-swatch';
      sw.style.background = this.ctx.colors.get(run);
      const name = document.createElement('span');
      name.className = 'sc-menu-run';
      name.textContent = run;
      name.title = run;
      row.append(sw, name);
      for (const fmt of ['csv', 'json']) {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'sc-menu-btn';
        b.textContent = fmt.toUpperCase();
        b.dataset.download = fmt;
        b.dataset.run = run;
        b.addEventListener('click', async () => {
          this.closeMenu();
          try { await downloadSeries(this.ctx.client, run, this.tag, fmt); } catch (err) { console.error(err); }
        });
        row.appendChild(b);
      }
      menu.appendChild(row);
    }
    this.el.querySelector('.sc-card-head').appendChild(menu);
    this.menu = menu;
    this.onDocClick = (e) => { if (!menu.contains(e.target)) this.closeMenu(); };
    setTimeout(() => document.addEventListener('click', this.onDocClick), 0);
  }

  closeMenu() {
    if (!this.menu) return;
    this.menu.remove();
    this.menu = null;
    document.removeEventListener('click', this.onDocClick);
  }

  destroy() {
    this.gen++;
    this.closeMenu();
    if (this.view) this.view.finalize();
    this.view = null;
    this.el.remove();
  }
}

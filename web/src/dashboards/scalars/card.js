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
 * Interaction (card_pointer.js) is an HTML overlay over the canvas, using the view's scales:
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
import { buildRows, computeDomains, specKey } from '../../ui/chart_spec.js';
import { CardPointer } from './card_pointer.js';
import { DownloadMenu } from './download_menu.js';
import { EMBED_OPTIONS, splitByRun, swapRows, vegaSpec } from '../../ui/vega_view.js';
import { iconButton, icon } from '../../ui/icons.js';

export const CARD_HEIGHT = 220;
export const EXPANDED_HEIGHT = 380;

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
    /** @type {Promise<unknown>} */
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
    this.dlBtn.addEventListener('click', (e) => {
      e.stopPropagation();
      this.downloads.toggle();
    });
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
    this.pointer = new CardPointer(this);
    this.downloads = new DownloadMenu(this);
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
    if (this.zoom && this.zoomAxis !== st.xAxis) {
      this.zoom = null;
      this.resetBtn.hidden = true;
    }
    const runs = this.runs;
    const width = this.chartEl.clientWidth;
    if (!width) {
      this.dirty = true;
      return;
    } // not laid out (collapsed group)
    this.el.dataset.drawn = '0';
    const plotWidth = Math.max(40, Math.round(width - this.overhead));
    const q = {
      xAxis: st.xAxis,
      x0: this.zoom ? this.zoom[0] : null,
      x1: this.zoom ? this.zoom[1] : null,
      width: plotWidth,
      smoothing: st.smoothing,
    };
    let results;
    try {
      results = await Promise.all(runs.map((r) => this.ctx.client.scalars(r, this.tag, q)));
    } catch (err) {
      if (gen === this.gen)
        this.showMessage(`Could not load: ${err && err.message ? err.message : err}`);
      return;
    }
    if (gen !== this.gen) return;
    const series = runs.map((run, i) => ({ run, data: results[i] }));
    const rows = buildRows(series, st.xAxis, st.yScale);
    const opt = {
      xAxis: st.xAxis,
      yScale: st.yScale,
      runs,
      colors: runs.map((r) => this.ctx.colors.get(r)),
      smoothed: st.smoothing > 0,
      width,
      height: this.expanded ? EXPANDED_HEIGHT : CARD_HEIGHT,
      domains: computeDomains(results, {
        xAxis: st.xAxis,
        yScale: st.yScale,
        ignoreOutliers: st.ignoreOutliers,
        zoom: this.zoom,
      }),
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
      if (gen === this.gen)
        this.showMessage(`Could not draw: ${err && err.message ? err.message : err}`);
      return;
    }
    if (t0 === null || gen !== this.gen) return;
    this.series = series;
    this.overhead = Math.max(0, width - this.view.width());
    this.showMessage(
      rows.length ? '' : runs.length ? 'No data in this range' : 'No selected run has this tag',
    );
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
      if (gen !== this.gen) {
        res.finalize();
        return null;
      }
      await res.view.insert('points', rows).runAsync();
      if (gen !== this.gen) {
        res.finalize();
        return null;
      }
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

  destroy() {
    this.gen++;
    this.downloads.close();
    if (this.view) this.view.finalize();
    this.view = null;
    this.el.remove();
  }
}

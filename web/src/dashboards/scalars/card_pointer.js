/**
 * The pointer on a scalar card: hover shows a vertical rule, a dot per run and
 * the shared tooltip (the nearest point of each run); dragging selects an
 * x-range and zooms the card; double-click resets the zoom. An HTML overlay
 * over the canvas, using the live Vega view's scales. Display only.
 */
import { fromPlotX, toPlotX } from '../../ui/chart_spec.js';

/** Index of the element of sorted `xs` nearest to `x` (-1 when empty). */
export function nearestIndex(xs, x) {
  const n = xs.length;
  if (!n) return -1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(xs[lo - 1] - x) <= Math.abs(xs[lo] - x)) return lo - 1;
  return lo;
}

export class CardPointer {
  /** @param {import('./card.js').ScalarCard} card */
  constructor(card) {
    this.card = card;
    /** Plot x where a drag started, or null. */
    this.brushStart = null;
    this.bind();
  }

  /** Pointer position relative to the plot area (origin at its top-left). */
  plotPoint(ev) {
    const rect = this.card.vegaEl.getBoundingClientRect();
    const [ox, oy] = this.card.view.origin();
    return [ev.clientX - rect.left - ox, ev.clientY - rect.top - oy, rect.left + ox, rect.top + oy];
  }

  /** Listens to the card's overlay. */
  bind() {
    const ov = this.card.overlay;
    ov.addEventListener('pointermove', (ev) => this.onMove(ev));
    ov.addEventListener('pointerleave', () => {
      if (this.brushStart == null) this.hide();
    });
    ov.addEventListener('pointerdown', (ev) => {
      if (ev.button !== 0 || !this.card.view) return;
      const [px] = this.plotPoint(ev);
      if (px < 0 || px > this.card.view.width()) return;
      this.brushStart = px;
      ov.setPointerCapture(ev.pointerId);
      ev.preventDefault();
    });
    ov.addEventListener('pointerup', (ev) => {
      if (this.brushStart == null) return;
      const [px] = this.plotPoint(ev);
      const a = Math.max(0, Math.min(this.brushStart, px));
      const b = Math.min(this.card.view.width(), Math.max(this.brushStart, px));
      this.brushStart = null;
      this.card.brushEl.hidden = true;
      if (b - a < 4) return;
      const xs = this.card.view.scale('x');
      const axis = this.card.ctx.store.get().xAxis;
      this.hide();
      this.card.setZoom([fromPlotX(+xs.invert(a), axis), fromPlotX(+xs.invert(b), axis)]);
    });
    ov.addEventListener('dblclick', () => {
      if (this.card.zoom) this.card.setZoom(null);
    });
  }

  /** Hover: the rule, a dot per run and the tooltip; or the brush while dragging. */
  onMove(ev) {
    if (!this.card.view || !this.card.series.length) return;
    const [px, py, gx, gy] = this.plotPoint(ev);
    const w = this.card.view.width();
    const h = this.card.view.height();
    const chartRect = this.card.chartEl.getBoundingClientRect();
    const offX = gx - chartRect.left;
    const offY = gy - chartRect.top;
    if (this.brushStart != null) {
      const a = Math.max(0, Math.min(this.brushStart, px));
      const b = Math.min(w, Math.max(this.brushStart, px));
      Object.assign(this.card.brushEl.style, {
        left: `${offX + a}px`,
        width: `${b - a}px`,
        top: `${offY}px`,
        height: `${h}px`,
      });
      this.card.brushEl.hidden = false;
      this.card.ctx.tooltip.hide();
      return;
    }
    if (px < 0 || px > w || py < -8 || py > h + 8) {
      this.hide();
      return;
    }
    const st = this.card.ctx.store.get();
    const xs = this.card.view.scale('x');
    const ys = this.card.view.scale('y');
    const x = fromPlotX(+xs.invert(px), st.xAxis);
    const smoothed = st.smoothing > 0;
    const rows = [];
    const dots = [];
    for (const { run, data } of this.card.series) {
      const i = nearestIndex(data.x, x);
      if (i < 0) continue;
      const v = data.value[i];
      const s = data.smoothed[i];
      const yv = smoothed ? s : v;
      const yPix = ys(yv);
      const xPix = xs(toPlotX(data.x[i], st.xAxis));
      const color = this.card.ctx.colors.get(run);
      const info = this.card.ctx.tagInfo(this.card.tag, run);
      rows.push({
        run,
        color,
        step: data.step[i],
        value: v,
        smoothed: s,
        wallTime: data.wallTime[i],
        relative: data.wallTime[i] - (info ? info.firstWallTime : data.wallTime[0]),
        distance: Number.isFinite(yPix) ? Math.abs(yPix - py) : Infinity,
      });
      if (Number.isFinite(yPix) && yPix >= 0 && yPix <= h && xPix >= 0 && xPix <= w)
        dots.push([xPix, yPix, color]);
    }
    Object.assign(this.card.ruleEl.style, {
      left: `${offX + px}px`,
      top: `${offY}px`,
      height: `${h}px`,
    });
    this.card.ruleEl.hidden = false;
    while (this.card.dotsEl.children.length < dots.length) {
      const d = document.createElement('div');
      d.className = 'sc-dot';
      this.card.dotsEl.appendChild(d);
    }
    /** @type {HTMLElement[]} */ ([...this.card.dotsEl.children]).forEach((d, k) => {
      d.hidden = k >= dots.length;
      if (k < dots.length) {
        const [dx, dy, c] = dots[k];
        d.style.transform = `translate(${offX + dx}px, ${offY + dy}px)`;
        d.style.borderColor = c;
      }
    });
    this.card.ctx.tooltip.showRuns(rows, ev.clientX, ev.clientY, smoothed);
  }

  /** Hides the rule, the dots and the tooltip. */
  hide() {
    this.card.ruleEl.hidden = true;
    for (const d of /** @type {HTMLCollectionOf<HTMLElement>} */ (this.card.dotsEl.children))
      d.hidden = true;
    this.card.ctx.tooltip.hide();
  }
}

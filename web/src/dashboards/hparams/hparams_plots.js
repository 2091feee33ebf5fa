/**
 * The HParams dashboard's two plots, drawn on canvas:
 *   - parallel coordinates: one vertical axis per visible column (numbers on a
 *     linear or, when they span two decades or more and are positive, a log
 *     scale; strings and booleans evenly spaced), one polyline per session;
 *   - scatter-plot matrix: rows are metrics, columns hyperparameters.
 * Both colour sessions by the chosen metric (a viridis-like ramp), show the
 * hovered session in a tooltip, and report clicks as a session selection.
 */
import { h } from '../../ui/dom.js';
import { formatValue } from '../../ui/format.js';
import { tooltip } from '../../ui/tooltip.js';
import { cellValue, compareValues, distinctValues } from './hparams_model.js';
import { niceTicks, ramp } from '../../ui/plot.js';

/**
 * An axis scale for a column over sessions: maps a value to [0, 1] (0 bottom).
 * @returns {{kind: 'linear'|'log'|'point', map: (v) => number|null, ticks: {v: any, t: number, label: string}[]}}
 */
export function columnScale(sessions, col, agg) {
  const vals = sessions.map((s) => cellValue(s, col.id, agg, col.goal)).filter((v) => v !== null);
  const numeric = vals.length && vals.every((v) => typeof v === 'number');
  if (numeric) {
    const fin = vals.filter(Number.isFinite);
    let lo = Math.min(...fin);
    let hi = Math.max(...fin);
    if (!fin.length) {
      lo = 0;
      hi = 1;
    }
    const log = lo > 0 && hi / lo >= 100;
    if (log) {
      const a = Math.log10(lo);
      const b = Math.log10(hi);
      const ticks = [];
      for (let e = Math.ceil(a); e <= Math.floor(b); e++)
        ticks.push({
          v: 10 ** e,
          t: b === a ? 0.5 : (e - a) / (b - a),
          label: formatValue(10 ** e),
        });
      return {
        kind: 'log',
        map: (v) =>
          typeof v === 'number' && v > 0 ? (b === a ? 0.5 : (Math.log10(v) - a) / (b - a)) : null,
        ticks,
      };
    }
    if (hi === lo) {
      lo -= 0.5;
      hi += 0.5;
    }
    const ticks = niceTicks(lo, hi, 4).map((v) => ({
      v,
      t: (v - lo) / (hi - lo),
      label: formatValue(v),
    }));
    return {
      kind: 'linear',
      map: (v) => (typeof v === 'number' && Number.isFinite(v) ? (v - lo) / (hi - lo) : null),
      ticks,
    };
  }
  const cats = distinctValues(sessions, col.id, col.domain).filter((v) =>
    vals.some((x) => String(x) === String(v)),
  );
  cats.sort(compareValues);
  const n = cats.length;
  const pos = new Map(cats.map((c, i) => [`${typeof c}:${c}`, n === 1 ? 0.5 : i / (n - 1)]));
  return {
    kind: 'point',
    map: (v) =>
      v === null ? null : pos.has(`${typeof v}:${v}`) ? pos.get(`${typeof v}:${v}`) : null,
    ticks: cats.map((c) => ({ v: c, t: pos.get(`${typeof c}:${c}`), label: String(c) })),
  };
}

/** Colour of a session by the colour metric (grey when missing). */
export function sessionColorer(sessions, colorCol, agg) {
  if (!colorCol) return () => '#4b5563';
  const sc = columnScale(sessions, colorCol, agg);
  return (s) => ramp(sc.map(cellValue(s, colorCol.id, agg, colorCol.goal)));
}

function setupCanvas(canvas, w, hgt) {
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(hgt * dpr);
  canvas.style.width = `${w}px`;
  canvas.style.height = `${hgt}px`;
  const g = canvas.getContext('2d');
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.font = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  return g;
}

function clip(s, n) {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** Tooltip rows for a session over the given columns. */
function sessionRows(s, cols, agg) {
  return cols.map((c) => ({ label: c.label, value: formatValue(cellValue(s, c.id, agg, c.goal)) }));
}

/** @typedef {import('../../engine/protocol.js').HparamsView['sessions']} Sessions */
/** @typedef {ReturnType<typeof import('./hparams_model.js').hparamsColumns>} AllColumns */
/** @typedef {(AllColumns['hparams'][number] | AllColumns['metrics'][number])[]} Columns */

/**
 * A metric column's goal (which way is better); hparam columns have none.
 * @param {Columns[number]} c
 */
const goalOf = (c) => ('goal' in c ? c.goal : undefined);

export class ParallelCoords {
  constructor(onSelect) {
    this.onSelect = onSelect;
    this.canvas = h('canvas.db-canvas', {
      attrs: { role: 'img', 'aria-label': 'Parallel coordinates of sessions' },
    });
    this.el = h('div.db-pc', {}, this.canvas);
    // Set by set(); empty until then.
    /** @type {Sessions} */ this.sessions = [];
    /** @type {Columns} */ this.cols = [];
    this.agg = 'last';
    this.colorCol = null;
    this.selected = null;
    this.hot = null;
    this.canvas.addEventListener('pointermove', (e) => this._hover(e));
    this.canvas.addEventListener('pointerleave', () => {
      this.hot = null;
      tooltip.hide();
      this.draw();
    });
    this.canvas.addEventListener('click', () => {
      if (this.hot) this.onSelect(this.hot);
    });
    if (typeof ResizeObserver !== 'undefined') {
      this.ro = new ResizeObserver(() => {
        if (this.el.clientWidth !== this.w) this.draw();
      });
      this.ro.observe(this.el);
    }
  }

  set({ sessions, cols, agg, colorCol, selected }) {
    Object.assign(this, { sessions, cols, agg, colorCol, selected });
    this.scales = cols.map((c) => columnScale(sessions, c, agg));
    this.color = sessionColorer(sessions, colorCol, agg);
    this.el.dataset.lines = String(sessions.length);
    this.draw();
  }

  layout() {
    const w = Math.max(320, this.el.clientWidth || 800);
    const hgt = 360;
    const m = { l: 40, r: 60, t: 44, b: 24 };
    const n = this.cols.length;
    const xs = this.cols.map(
      (_, i) => m.l + (n === 1 ? (w - m.l - m.r) / 2 : ((w - m.l - m.r) * i) / (n - 1)),
    );
    return { w, hgt, m, xs, y: (t) => m.t + (1 - t) * (hgt - m.t - m.b) };
  }

  points(s, L) {
    return this.cols.map((c, i) => {
      const t = this.scales[i].map(cellValue(s, c.id, this.agg, goalOf(c)));
      return t === null ? null : [L.xs[i], L.y(t)];
    });
  }

  draw() {
    if (!this.cols) return;
    const L = this.layout();
    this.w = L.w;
    const g = setupCanvas(this.canvas, L.w, L.hgt);
    g.clearRect(0, 0, L.w, L.hgt);
    const line = (s, width, alpha, color) => {
      const pts = this.points(s, L);
      g.strokeStyle = color;
      g.lineWidth = width;
      g.globalAlpha = alpha;
      g.beginPath();
      let pen = false;
      for (const p of pts) {
        if (!p) {
          pen = false;
          continue;
        }
        if (pen) g.lineTo(p[0], p[1]);
        else {
          g.moveTo(p[0], p[1]);
          pen = true;
        }
      }
      g.stroke();
      g.globalAlpha = 1;
    };
    const dim = this.hot || this.selected;
    for (const s of this.sessions)
      if (s !== this.hot && s !== this.selected) line(s, 1.4, dim ? 0.35 : 0.85, this.color(s));
    if (this.selected && this.sessions.includes(this.selected)) {
      line(this.selected, 4, 1, '#fff');
      line(this.selected, 2.5, 1, '#111827');
    }
    if (this.hot) {
      line(this.hot, 4, 1, '#fff');
      line(this.hot, 2.6, 1, this.color(this.hot));
    }
    // axes
    this.cols.forEach((c, i) => {
      const x = Math.round(L.xs[i]) + 0.5;
      g.strokeStyle = '#9aa1ab';
      g.lineWidth = 1;
      g.beginPath();
      g.moveTo(x, L.y(1));
      g.lineTo(x, L.y(0));
      g.stroke();
      g.fillStyle = '#111827';
      g.textAlign = 'center';
      g.textBaseline = 'bottom';
      g.font = '600 11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
      g.fillText(clip(c.label, 18), x, L.m.t - 20);
      g.font = '10px system-ui, sans-serif';
      g.fillStyle = '#6b7280';
      g.fillText(
        c.id.startsWith('m:')
          ? `metric${this.scales[i].kind === 'log' ? ' · log' : ''}`
          : this.scales[i].kind === 'log'
            ? 'log'
            : '',
        x,
        L.m.t - 8,
      );
      g.font = '10px system-ui, sans-serif';
      g.textAlign = 'left';
      g.textBaseline = 'middle';
      for (const tk of this.scales[i].ticks) {
        const y = L.y(tk.t);
        g.strokeStyle = '#9aa1ab';
        g.beginPath();
        g.moveTo(x - 3, y);
        g.lineTo(x + 3, y);
        g.stroke();
        g.lineWidth = 3;
        g.strokeStyle = 'rgba(255,255,255,0.9)';
        g.strokeText(clip(tk.label, 10), x + 5, y);
        g.lineWidth = 1;
        g.fillStyle = '#374151';
        g.fillText(clip(tk.label, 10), x + 5, y);
      }
    });
  }

  _hover(e) {
    if (!this.cols) return;
    const r = this.canvas.getBoundingClientRect();
    const px = e.clientX - r.left;
    const py = e.clientY - r.top;
    const L = this.layout();
    let best = null;
    let bd = 12;
    for (const s of this.sessions) {
      const pts = this.points(s, L);
      for (let i = 0; i + 1 < pts.length; i++) {
        const a = pts[i];
        const b = pts[i + 1];
        if (!a || !b || px < a[0] - 2 || px > b[0] + 2) continue;
        const t = (px - a[0]) / (b[0] - a[0] || 1);
        const y = a[1] + (b[1] - a[1]) * Math.max(0, Math.min(1, t));
        const d = Math.abs(y - py);
        if (d < bd) {
          bd = d;
          best = s;
        }
      }
    }
    this.canvas.style.cursor = best ? 'pointer' : '';
    if (best !== this.hot) {
      this.hot = best;
      this.draw();
    }
    if (best)
      tooltip.show(
        e.clientX,
        e.clientY,
        [{ label: 'Status', value: best.status }, ...sessionRows(best, this.cols, this.agg)],
        best.groupName || best.run,
      );
    else tooltip.hide();
  }

  destroy() {
    if (this.ro) this.ro.disconnect();
  }
}

export class ScatterMatrix {
  constructor(onSelect) {
    this.onSelect = onSelect;
    this.canvas = h('canvas.db-canvas', {
      attrs: {
        role: 'img',
        'aria-label': 'Scatter plot matrix of metrics against hyperparameters',
      },
    });
    this.el = h('div.db-spm', {}, this.canvas);
    // Set by set(); empty until then.
    /** @type {Sessions} */ this.sessions = [];
    /** @type {Columns} */ this.hcols = [];
    /** @type {Columns} */ this.mcols = [];
    this.agg = 'last';
    this.colorCol = null;
    this.selected = null;
    this.hot = null;
    this.canvas.addEventListener('pointermove', (e) => this._hover(e));
    this.canvas.addEventListener('pointerleave', () => {
      this.hot = null;
      tooltip.hide();
      this.draw();
    });
    this.canvas.addEventListener('click', () => {
      if (this.hot) this.onSelect(this.hot);
    });
    if (typeof ResizeObserver !== 'undefined') {
      this.ro = new ResizeObserver(() => {
        if (this.el.clientWidth !== this.w) this.draw();
      });
      this.ro.observe(this.el);
    }
  }

  set({ sessions, hcols, mcols, agg, colorCol, selected }) {
    Object.assign(this, { sessions, hcols, mcols, agg, colorCol, selected });
    this.hs = hcols.map((c) => columnScale(sessions, c, agg));
    this.ms = mcols.map((c) => columnScale(sessions, c, agg));
    this.color = sessionColorer(sessions, colorCol, agg);
    this.el.dataset.cells = String(hcols.length * mcols.length);
    this.draw();
  }

  layout() {
    const w = Math.max(320, this.el.clientWidth || 800);
    const m = { l: 96, t: 10, b: 40, r: 10 };
    const nc = Math.max(1, this.hcols.length);
    const nr = Math.max(1, this.mcols.length);
    const cw = Math.max(90, Math.min(200, (w - m.l - m.r) / nc));
    const ch = Math.max(90, Math.min(160, cw * 0.8));
    const pad = 10;
    return {
      w,
      hgt: m.t + nr * ch + m.b,
      m,
      cw,
      ch,
      pad,
      px: (ci, t) => m.l + ci * cw + pad + t * (cw - 2 * pad),
      py: (ri, t) => m.t + ri * ch + pad + (1 - t) * (ch - 2 * pad),
    };
  }

  draw() {
    if (!this.hcols) return;
    const L = this.layout();
    this.w = L.w;
    const g = setupCanvas(this.canvas, L.w, L.hgt);
    g.clearRect(0, 0, L.w, L.hgt);
    this.mcols.forEach((mc, ri) => {
      g.save();
      g.fillStyle = '#111827';
      g.textAlign = 'right';
      g.textBaseline = 'middle';
      g.font = '600 11px system-ui, sans-serif';
      g.fillText(clip(mc.label, 15), L.m.l - 8, L.m.t + ri * L.ch + L.ch / 2 - 6);
      const sc = this.ms[ri];
      g.font = '10px system-ui, sans-serif';
      g.fillStyle = '#6b7280';
      if (sc.ticks.length)
        g.fillText(
          `${sc.ticks[0].label} – ${sc.ticks[sc.ticks.length - 1].label}`,
          L.m.l - 8,
          L.m.t + ri * L.ch + L.ch / 2 + 8,
        );
      g.restore();
      this.hcols.forEach((hc, ci) => {
        const x0 = L.m.l + ci * L.cw;
        const y0 = L.m.t + ri * L.ch;
        g.fillStyle = '#fafbfc';
        g.fillRect(x0 + 2, y0 + 2, L.cw - 4, L.ch - 4);
        g.strokeStyle = '#e5e7eb';
        g.strokeRect(x0 + 2.5, y0 + 2.5, L.cw - 5, L.ch - 5);
        for (const s of this.sessions)
          this._dot(g, L, s, ri, ci, s === this.hot || s === this.selected);
      });
    });
    this.hcols.forEach((hc, ci) => {
      g.fillStyle = '#111827';
      g.textAlign = 'center';
      g.textBaseline = 'top';
      g.font = '600 11px system-ui, sans-serif';
      g.fillText(
        clip(hc.label, 18),
        L.m.l + ci * L.cw + L.cw / 2,
        L.m.t + this.mcols.length * L.ch + 8,
      );
      g.font = '10px system-ui, sans-serif';
      g.fillStyle = '#6b7280';
      const sc = this.hs[ci];
      g.fillText(
        sc.kind === 'point'
          ? sc.ticks.map((t) => clip(t.label, 8)).join(' · ')
          : `${sc.ticks.length ? sc.ticks[0].label : ''} – ${sc.ticks.length ? sc.ticks[sc.ticks.length - 1].label : ''}${sc.kind === 'log' ? ' (log)' : ''}`,
        L.m.l + ci * L.cw + L.cw / 2,
        L.m.t + this.mcols.length * L.ch + 22,
      );
    });
  }

  _pos(L, s, ri, ci) {
    const a = this.hs[ci].map(cellValue(s, this.hcols[ci].id, this.agg, goalOf(this.hcols[ci])));
    const b = this.ms[ri].map(cellValue(s, this.mcols[ri].id, this.agg, goalOf(this.mcols[ri])));
    if (a === null || b === null) return null;
    return [L.px(ci, a), L.py(ri, b)];
  }

  _dot(g, L, s, ri, ci, strong) {
    const p = this._pos(L, s, ri, ci);
    if (!p) return;
    g.beginPath();
    g.arc(p[0], p[1], strong ? 5 : 3.5, 0, Math.PI * 2);
    g.fillStyle = this.color(s);
    g.globalAlpha = strong ? 1 : 0.85;
    g.fill();
    g.globalAlpha = 1;
    if (strong) {
      g.strokeStyle = '#111827';
      g.lineWidth = 1.5;
      g.stroke();
    }
  }

  _hover(e) {
    if (!this.hcols) return;
    const r = this.canvas.getBoundingClientRect();
    const px = e.clientX - r.left;
    const py = e.clientY - r.top;
    const L = this.layout();
    const ci = Math.floor((px - L.m.l) / L.cw);
    const ri = Math.floor((py - L.m.t) / L.ch);
    let best = null;
    let bd = 10 * 10;
    if (ci >= 0 && ci < this.hcols.length && ri >= 0 && ri < this.mcols.length) {
      for (const s of this.sessions) {
        const p = this._pos(L, s, ri, ci);
        if (!p) continue;
        const d = (p[0] - px) ** 2 + (p[1] - py) ** 2;
        if (d < bd) {
          bd = d;
          best = s;
        }
      }
    }
    this.canvas.style.cursor = best ? 'pointer' : '';
    if (best !== this.hot) {
      this.hot = best;
      this.draw();
    }
    if (best)
      tooltip.show(
        e.clientX,
        e.clientY,
        [
          { label: 'Status', value: best.status },
          ...sessionRows(best, [...this.hcols, ...this.mcols], this.agg),
        ],
        best.groupName || best.run,
      );
    else tooltip.hide();
  }

  destroy() {
    if (this.ro) this.ro.disconnect();
  }
}

/**
 * Small DOM helpers shared by the dashboards. Every string that comes from a
 * log goes in through `text` children or textContent: nothing here sets HTML.
 */

/**
 * Creates an element.
 * @param {string} tag e.g. 'div.card.big' (classes after dots)
 * @param {object} [props] {text, title, dataset, attrs, on, style, ...DOM properties}
 * @param {...(Node|string|null|false|undefined)} children strings become text nodes
 */
export function h(tag, props = {}, ...children) {
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name || 'div');
  if (classes.length) el.className = classes.join(' ');
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null) continue;
    if (k === 'text') el.textContent = String(v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'attrs') for (const [a, av] of Object.entries(v)) { if (av !== null && av !== undefined && av !== false) el.setAttribute(a, av === true ? '' : String(av)); }
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === 'style') Object.assign(el.style, v);
    else if (k === 'class') el.className += (el.className ? ' ' : '') + v;
    else el[k] = v;
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Removes all children. */
export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** A labelled control row item. */
export function field(label, control, title) {
  return h('label.db-field', { title }, h('span.db-field-label', { text: label }), control);
}

/** A segmented toggle (radio group) returning {el, value, set(v)}. */
export function segmented(options, value, onChange, name) {
  const el = h('div.db-seg', { attrs: { role: 'radiogroup', 'aria-label': name || '' } });
  const buttons = new Map();
  const api = {
    el,
    value,
    set(v) {
      api.value = v;
      for (const [k, b] of buttons) { b.classList.toggle('on', k === v); b.setAttribute('aria-checked', String(k === v)); }
    },
  };
  for (const [k, label] of options) {
    const b = h('button.db-seg-btn', { type: 'button', text: label, attrs: { role: 'radio' },
      on: { click: () => { if (api.value !== k) { api.set(k); onChange(k); } } } });
    buttons.set(k, b);
    el.append(b);
  }
  api.set(value);
  return api;
}

/** A small message block (empty states, errors). */
export function message(text, kind = 'info') {
  return h(`div.db-msg.db-msg-${kind}`, { text });
}

/** Number formatting shared by tooltips and tables. */
export function fmt(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v !== 'number') return String(v);
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-4)) return v.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(4)));
}

/** Step with thousands separators. */
export function fmtStep(s) {
  return Number.isFinite(s) ? Math.round(s).toLocaleString('en-US') : '';
}

/** Wall time (s) as "YYYY-MM-DD HH:MM:SS" local. */
export function fmtTime(sec) {
  if (!Number.isFinite(sec)) return '';
  const d = new Date(sec * 1000);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Seconds as a short duration. */
export function fmtDuration(sec) {
  if (!Number.isFinite(sec)) return '';
  const s = Math.abs(sec);
  let out;
  if (s < 60) out = `${Number(s.toPrecision(3))} s`;
  else if (s < 3600) out = `${Math.floor(s / 60)} min ${Math.floor(s % 60)} s`;
  else if (s < 86400) out = `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  else out = `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
  return sec < 0 ? `-${out}` : out;
}

/** Floating tooltip, one per page; content is built from DOM nodes / text. */
let tipEl = null;
export const tooltip = {
  show(x, y, rows, title) {
    if (!tipEl) { tipEl = h('div.db-tooltip', { attrs: { role: 'tooltip' } }); document.body.append(tipEl); }
    clear(tipEl);
    if (title) tipEl.append(h('div.db-tip-title', { text: title }));
    const table = h('table.db-tip-table');
    for (const r of rows) {
      const tr = h('tr');
      if (r.color) tr.append(h('td', {}, h('span.db-swatch', { style: { background: r.color } })));
      else tr.append(h('td'));
      tr.append(h('td.db-tip-k', { text: r.label }), h('td.db-tip-v', { text: r.value }));
      table.append(tr);
    }
    tipEl.append(table);
    tipEl.hidden = false;
    const pad = 14;
    const w = tipEl.offsetWidth; const hh = tipEl.offsetHeight;
    let left = x + pad; let top = y + pad;
    if (left + w > window.innerWidth - 4) left = Math.max(4, x - pad - w);
    if (top + hh > window.innerHeight - 4) top = Math.max(4, y - pad - hh);
    tipEl.style.left = `${left}px`;
    tipEl.style.top = `${top}px`;
  },
  hide() { if (tipEl) tipEl.hidden = true; },
};

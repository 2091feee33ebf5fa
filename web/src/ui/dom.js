/**
 * Small DOM helpers shared by the dashboards. Every string that comes from a
 * log goes in through `text` children or textContent: nothing here sets HTML.
 */

/** @typedef {Node|string|number|null|false|undefined} Child */

/**
 * Creates an element, typed by its tag name.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K | `${K}.${string}`} tag e.g. 'div.card.big' (classes after dots)
 * @param {Record<string, unknown>} [props] {text, title, dataset, attrs, on, style, ...DOM properties}
 * @param {...(Child|Child[])} children strings become text nodes
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props = {}, ...children) {
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name || 'div');
  if (classes.length) el.className = classes.join(' ');
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null) continue;
    if (k === 'text') el.textContent = String(v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'attrs')
      for (const [a, av] of Object.entries(v)) {
        if (av !== null && av !== undefined && av !== false)
          el.setAttribute(a, av === true ? '' : String(av));
      }
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === 'style') Object.assign(el.style, v);
    else if (k === 'class') el.className += (el.className ? ' ' : '') + v;
    else el[k] = v;
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return /** @type {HTMLElementTagNameMap[K]} */ (el);
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
      for (const [k, b] of buttons) {
        b.classList.toggle('on', k === v);
        b.setAttribute('aria-checked', String(k === v));
      }
    },
  };
  for (const [k, label] of options) {
    const b = h('button.db-seg-btn', {
      type: 'button',
      text: label,
      attrs: { role: 'radio' },
      on: {
        click: () => {
          if (api.value !== k) {
            api.set(k);
            onChange(k);
          }
        },
      },
    });
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

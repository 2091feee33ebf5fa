/**
 * The runs panel: every run with its stable colour and a checkbox, a
 * case-insensitive regex filter, and select all / none (which act on the runs
 * the filter shows, like TensorBoard). Selection lives in the view state as
 * the set of deselected runs; runs hidden by the filter are not drawn either.
 */
import { compileFilter } from '../shell/state.js';
import { icon } from './icons.js';

export class RunsPanel {
  /**
   * @param {import('../shell/state.js').ViewStateStore} store
   * @param {import('./colors.js').ColorAssigner} colors
   */
  constructor(store, colors) {
    this.store = store;
    this.colors = colors;
    this.runs = [];
    const el = document.createElement('section');
    el.className = 'sc-panel sc-runs';
    const h = document.createElement('h2');
    h.className = 'sc-panel-title';
    h.textContent = 'Runs';
    this.countEl = document.createElement('span');
    this.countEl.className = 'sc-count';
    h.appendChild(this.countEl);

    const filter = document.createElement('label');
    filter.className = 'sc-filter';
    const ic = document.createElement('span');
    ic.className = 'sc-filter-icon';
    ic.innerHTML = icon('search');
    this.filterInput = document.createElement('input');
    this.filterInput.type = 'search';
    this.filterInput.className = 'sc-run-filter';
    this.filterInput.placeholder = 'Filter runs (regex)';
    this.filterInput.setAttribute(
      'aria-label',
      'Filter runs (regular expression, case-insensitive)',
    );
    this.filterInput.spellcheck = false;
    this.filterInput.value = store.get().runFilter;
    let timer = 0;
    this.filterInput.addEventListener('input', () => {
      this.markValidity();
      clearTimeout(timer);
      timer = setTimeout(() => store.update({ runFilter: this.filterInput.value }), 150);
    });
    filter.append(ic, this.filterInput);
    this.filterWrap = filter;

    const bar = document.createElement('div');
    bar.className = 'sc-run-actions';
    const all = document.createElement('button');
    all.type = 'button';
    all.className = 'sc-link-btn sc-select-all';
    all.textContent = 'Select all';
    all.addEventListener('click', () => this.selectShown(true));
    const none = document.createElement('button');
    none.type = 'button';
    none.className = 'sc-link-btn sc-select-none';
    none.textContent = 'Select none';
    none.addEventListener('click', () => this.selectShown(false));
    bar.append(all, none);

    this.listEl = document.createElement('ul');
    this.listEl.className = 'sc-run-list';
    this.listEl.addEventListener('change', (e) => {
      const t = /** @type {HTMLInputElement} */ (e.target);
      if (t.dataset.run === undefined) return;
      const hidden = new Set(store.get().hiddenRuns);
      if (t.checked) hidden.delete(t.dataset.run);
      else hidden.add(t.dataset.run);
      store.update({ hiddenRuns: [...hidden] });
    });
    el.append(h, filter, bar, this.listEl);
    this.el = el;
    this.markValidity();
  }

  markValidity() {
    const ok = compileFilter(this.filterInput.value) !== null;
    this.filterWrap.classList.toggle('invalid', !ok);
    this.filterInput.title = ok ? '' : 'Invalid regular expression';
  }

  /** Runs matching the current filter. */
  shownRuns() {
    const re = compileFilter(this.store.get().runFilter);
    return re ? this.runs.filter((r) => re.test(r)) : this.runs;
  }

  /** Selects or deselects every run the filter shows. */
  selectShown(on) {
    const hidden = new Set(this.store.get().hiddenRuns);
    for (const r of this.shownRuns()) {
      if (on) hidden.delete(r);
      else hidden.add(r);
    }
    this.store.update({ hiddenRuns: [...hidden] });
  }

  /** @param {string[]} runs all runs, in display order */
  setRuns(runs) {
    this.runs = runs;
    this.render();
  }

  /** Rebuilds the list from the runs and the state. */
  render() {
    const st = this.store.get();
    if (this.filterInput.value !== st.runFilter && document.activeElement !== this.filterInput) {
      this.filterInput.value = st.runFilter;
      this.markValidity();
    }
    const hidden = new Set(st.hiddenRuns);
    const shown = this.shownRuns();
    const frag = document.createDocumentFragment();
    for (const run of shown) {
      const li = document.createElement('li');
      const label = document.createElement('label');
      label.className = 'sc-run';
      label.title = run;
      const cb = document.createElement('input');
      cb.type = 'checkbox';
      cb.checked = !hidden.has(run);
      cb.dataset.run = run;
      const color = this.colors.get(run);
      cb.style.setProperty('--run-color', color);
      const name = document.createElement('span');
      name.className = 'sc-run-name';
      name.textContent = run;
      label.append(cb, name);
      li.appendChild(label);
      frag.appendChild(li);
    }
    if (!this.runs.length) {
      const li = document.createElement('li');
      li.className = 'sc-empty-note';
      li.textContent = 'No runs yet';
      frag.appendChild(li);
    } else if (!shown.length) {
      const li = document.createElement('li');
      li.className = 'sc-empty-note';
      li.textContent = 'No run matches the filter';
      frag.appendChild(li);
    }
    this.listEl.replaceChildren(frag);
    const selected = shown.filter((r) => !hidden.has(r)).length;
    this.countEl.textContent = `${selected}/${this.runs.length}`;
  }
}

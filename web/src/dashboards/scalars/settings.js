/**
 * The settings panel: smoothing slider (0..0.999), x axis (step, relative,
 * wall), y scale (linear, log) and "ignore outliers". Each control writes the
 * view state; `render()` pulls the state back in (e.g. after a URL load).
 */
import { MAX_SMOOTHING } from './smoothing.js';

function segmented(name, options, onPick) {
  const group = document.createElement('div');
  group.className = 'sc-segmented';
  group.setAttribute('role', 'radiogroup');
  const buttons = options.map(([value, label]) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.dataset.value = value;
    b.name = name;
    b.setAttribute('role', 'radio');
    b.addEventListener('click', () => onPick(value));
    group.appendChild(b);
    return b;
  });
  const set = (value) => {
    for (const b of buttons) {
      const on = b.dataset.value === value;
      b.classList.toggle('active', on);
      b.setAttribute('aria-checked', String(on));
    }
  };
  return { el: group, set };
}

function field(label, control) {
  const row = document.createElement('div');
  row.className = 'sc-field';
  const l = document.createElement('div');
  l.className = 'sc-field-label';
  l.textContent = label;
  row.append(l, control);
  return row;
}

export class SettingsPanel {
  /** @param {import('../../shell/state.js').ViewStateStore} store */
  constructor(store) {
    this.store = store;
    const el = document.createElement('section');
    el.className = 'sc-panel sc-settings';
    const h = document.createElement('h2');
    h.className = 'sc-panel-title';
    h.textContent = 'Settings';

    const sm = document.createElement('div');
    sm.className = 'sc-smoothing';
    this.slider = document.createElement('input');
    this.slider.type = 'range';
    this.slider.min = '0';
    this.slider.max = String(MAX_SMOOTHING);
    this.slider.step = '0.001';
    this.slider.className = 'sc-smoothing-slider';
    this.slider.setAttribute('aria-label', 'Smoothing');
    this.number = document.createElement('input');
    this.number.type = 'number';
    this.number.min = '0';
    this.number.max = String(MAX_SMOOTHING);
    this.number.step = '0.001';
    this.number.className = 'sc-smoothing-value';
    this.number.setAttribute('aria-label', 'Smoothing weight');
    let frame = 0;
    const push = (v) => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => store.update({ smoothing: Number(v) }));
    };
    this.slider.addEventListener('input', () => {
      this.number.value = this.slider.value;
      push(this.slider.value);
    });
    this.number.addEventListener('change', () => {
      const v = Math.min(MAX_SMOOTHING, Math.max(0, Number(this.number.value) || 0));
      this.slider.value = String(v);
      push(v);
    });
    sm.append(this.slider, this.number);

    this.xAxis = segmented(
      'x',
      [
        ['step', 'Step'],
        ['relative', 'Relative'],
        ['wall', 'Wall'],
      ],
      (v) => store.update({ xAxis: v }),
    );
    this.xAxis.el.classList.add('sc-x-axis');
    this.yScale = segmented(
      'y',
      [
        ['linear', 'Linear'],
        ['log', 'Log'],
      ],
      (v) => store.update({ yScale: v }),
    );
    this.yScale.el.classList.add('sc-y-scale');

    const out = document.createElement('label');
    out.className = 'sc-check';
    this.outliers = document.createElement('input');
    this.outliers.type = 'checkbox';
    this.outliers.className = 'sc-outliers';
    this.outliers.addEventListener('change', () =>
      store.update({ ignoreOutliers: this.outliers.checked }),
    );
    out.append(this.outliers, document.createTextNode('Ignore outliers in chart scaling'));

    el.append(
      h,
      field('Smoothing', sm),
      field('Horizontal axis', this.xAxis.el),
      field('Vertical scale', this.yScale.el),
      out,
    );
    this.el = el;
    this.render();
  }

  /** Pulls the state into the controls. */
  render() {
    const st = this.store.get();
    if (document.activeElement !== this.slider) this.slider.value = String(st.smoothing);
    if (document.activeElement !== this.number) this.number.value = String(st.smoothing);
    this.xAxis.set(st.xAxis);
    this.yScale.set(st.yScale);
    this.outliers.checked = st.ignoreOutliers;
  }
}

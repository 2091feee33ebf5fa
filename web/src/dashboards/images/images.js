/**
 * Images: one card per (tag, run) showing the image at a chosen step, with a
 * slider over every step that has an image (no sampling) and a sample
 * selector where a step holds several. Brightness, contrast and actual-size
 * are dashboard-wide and apply through CSS (no re-fetch). Cards fetch only
 * when scrolled into view; bytes become Blob URLs typed by content sniffing.
 *
 * Image tensors are [w, h, img1, img2, ...]: sample k is string element 2 + k;
 * tensorSteps().count is the number of images at each step.
 */
import { h, segmented, field } from '../../ui/dom.js';
import {
  StepSlider,
  cardFrame,
  dashboardRoot,
  Serial,
  errorText,
  mountCardGrid,
} from '../../ui/base.js';
import { sniffImageType } from '../../ui/media.js';

const CACHE = 12; // Blob URLs kept per card (scrubbing back and forth stays instant)

class ImageCard {
  constructor(entry, client, ctx) {
    this.entry = entry;
    this.client = client;
    this.frame = cardFrame(entry, ctx, 'db-image-card');
    this.el = this.frame.el;
    this.steps = null;
    this.stepIdx = []; // slider position -> tensor index (steps with at least one image)
    this.sample = 0;
    this.gen = 0;
    this.cache = new Map(); // `${index}:${sample}` -> {url, type}
    this.img = h('img.db-image', {
      alt: `${entry.tag} (${entry.run})`,
      dataset: { run: entry.run, tag: entry.tag },
      draggable: false,
    });
    this.img.addEventListener('load', () => {
      this.dims.textContent = `${this.img.naturalWidth} × ${this.img.naturalHeight}`;
      this.img.dataset.loaded = '1';
    });
    this.holder = h('div.db-image-holder', {}, this.img);
    this.slider = new StepSlider((i) => this.show(i));
    this.sampleInput = h('input.db-slider.db-sample', {
      type: 'range',
      min: '0',
      max: '0',
      value: '0',
      attrs: { 'aria-label': 'Sample' },
    });
    this.sampleLabel = h('span.db-step-label');
    this.sampleRow = h(
      'div.db-step-slider.db-sample-row',
      { hidden: true },
      h('span.db-step-name', { text: 'Sample' }),
      this.sampleLabel,
      this.sampleInput,
    );
    this.sampleInput.addEventListener('input', () => {
      this.sample = Number(this.sampleInput.value);
      this.show(this.slider.index);
    });
    this.dims = h('span.db-dim');
    this.frame.body.append(this.holder);
    this.frame.meta.append(this.slider.el, this.sampleRow, h('div.db-card-foot', {}, this.dims));
    this.loader = new Serial(() => this._load());
  }

  update(entry) {
    this.entry = entry;
  }
  load() {
    return this.loader.run();
  }

  async _load() {
    try {
      const s = await this.client.tensorSteps(this.entry.run, this.entry.tag);
      this.steps = s;
      this.stepIdx = [];
      for (let i = 0; i < s.step.length; i++) if (!s.count || s.count[i] > 0) this.stepIdx.push(i);
      this.slider.setSteps(
        Float64Array.from(this.stepIdx, (i) => s.step[i]),
        Float64Array.from(this.stepIdx, (i) => s.wallTime[i]),
      );
      if (!this.stepIdx.length) this.frame.setMessage('No images');
    } catch (err) {
      this.frame.setMessage(`Could not read steps: ${errorText(err)}`, 'error');
    }
  }

  async show(pos) {
    if (pos < 0 || !this.steps) return;
    const index = this.stepIdx[pos];
    const n = this.steps.count ? this.steps.count[index] : 1;
    this.sampleRow.hidden = n <= 1;
    this.sampleInput.max = String(Math.max(0, n - 1));
    if (this.sample > n - 1) this.sample = n - 1;
    if (this.sample < 0) this.sample = 0;
    this.sampleInput.value = String(this.sample);
    this.sampleLabel.textContent = `${this.sample + 1} / ${n}`;
    const gen = ++this.gen;
    const key = `${index}:${this.sample}`;
    let rec = this.cache.get(key);
    if (!rec) {
      let bytes;
      try {
        bytes = await this.client.blob(this.entry.run, this.entry.tag, index, 2 + this.sample);
      } catch (err) {
        if (gen === this.gen)
          this.frame.setMessage(`Could not read image: ${errorText(err)}`, 'error');
        return;
      }
      const type = sniffImageType(bytes);
      if (!type) {
        if (gen === this.gen) {
          this.frame.setMessage(
            'Not an image format this viewer knows (PNG, JPEG, GIF, BMP, WebP)',
            'error',
          );
          this.img.removeAttribute('src');
        }
        return;
      }
      rec = { url: URL.createObjectURL(new Blob([bytes], { type })), type, size: bytes.length };
      this.cache.set(key, rec);
      this._trim(key);
    } else {
      this.cache.delete(key);
      this.cache.set(key, rec); // most recent last
    }
    if (gen !== this.gen) return;
    this.frame.setMessage('');
    this.img.dataset.loaded = '0';
    this.img.dataset.step = String(this.steps.step[index]);
    this.img.dataset.index = String(index);
    this.img.dataset.sample = String(this.sample);
    this.img.src = rec.url;
    this.img.title = `step ${this.steps.step[index]} · ${rec.type.slice(6).toUpperCase()} · ${(rec.size / 1024).toFixed(1)} KB`;
  }

  _trim(keep) {
    while (this.cache.size > CACHE) {
      const [k, r] = this.cache.entries().next().value;
      if (k === keep) break;
      this.cache.delete(k);
      if (this.img.src !== r.url) URL.revokeObjectURL(r.url);
      else {
        this.cache.set(k, r);
        break;
      }
    }
  }

  destroy() {
    this.gen++;
    for (const r of this.cache.values()) URL.revokeObjectURL(r.url);
    this.cache.clear();
  }
}

export const imagesDashboard = {
  id: 'images',
  title: 'Images',
  hasData: (tags) => tags.some((t) => t.plugin === 'images'),
  mount(container, client, ctx) {
    const ui = dashboardRoot(container, 'images', 'Images');
    const settings = { brightness: 1, contrast: 1, actual: false };
    const apply = () => {
      ui.root.style.setProperty(
        '--db-img-filter',
        `brightness(${settings.brightness}) contrast(${settings.contrast})`,
      );
      ui.root.classList.toggle('db-actual-size', settings.actual);
      bVal.textContent = `${Math.round(settings.brightness * 100)}%`;
      cVal.textContent = `${Math.round(settings.contrast * 100)}%`;
      bIn.value = String(settings.brightness);
      cIn.value = String(settings.contrast);
    };
    const bIn = h('input.db-slider', {
      type: 'range',
      min: '0',
      max: '2',
      step: '0.01',
      value: '1',
      attrs: { 'aria-label': 'Brightness' },
    });
    const cIn = h('input.db-slider', {
      type: 'range',
      min: '0',
      max: '2',
      step: '0.01',
      value: '1',
      attrs: { 'aria-label': 'Contrast' },
    });
    const bVal = h('span.db-val');
    const cVal = h('span.db-val');
    bIn.addEventListener('input', () => {
      settings.brightness = Number(bIn.value);
      apply();
    });
    cIn.addEventListener('input', () => {
      settings.contrast = Number(cIn.value);
      apply();
    });
    const size = segmented(
      [
        ['fit', 'Fit'],
        ['actual', 'Actual size'],
      ],
      'fit',
      (v) => {
        settings.actual = v === 'actual';
        apply();
      },
      'Image size',
    );
    const reset = h('button.db-btn', {
      type: 'button',
      text: 'Reset',
      on: {
        click: () => {
          settings.brightness = 1;
          settings.contrast = 1;
          apply();
        },
      },
    });
    ui.toolbar.append(
      field('Brightness', h('span.db-inline', {}, bIn, bVal)),
      field('Contrast', h('span.db-inline', {}, cIn, cVal)),
      reset,
      h('span.db-spacer'),
      size.el,
    );
    apply();
    return mountCardGrid(ui, client, ctx, {
      plugin: 'images',
      noun: 'images',
      makeCard: (e) => new ImageCard(e, client, ctx),
    });
  },
};

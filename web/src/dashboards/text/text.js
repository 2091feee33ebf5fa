/**
 * Text: one card per (tag, run). The engine lays each step out (client.text,
 * as TensorBoard's text plugin): a rank-0 string tensor is Markdown, rendered
 * with `marked` and sanitized (markdown.js); rank-1 and rank-2 tensors are
 * tables whose cells are inserted as plain text; above rank 2 the first 2-D
 * slice is shown, under TensorBoard's warning. A step slider picks the step.
 */
import { h } from '../../ui/dom.js';
import {
  StepSlider,
  cardFrame,
  dashboardRoot,
  Serial,
  errorText,
  mountCardGrid,
} from '../../ui/base.js';
import { setMarkdown } from '../../ui/markdown.js';

class TextCard {
  constructor(entry, client, ctx) {
    this.entry = entry;
    this.client = client;
    this.frame = cardFrame(entry, ctx, 'db-text-card');
    this.el = this.frame.el;
    this.gen = 0;
    this.out = h('div.db-text-out');
    this.frame.body.append(this.out);
    this.slider = new StepSlider((i) => this.show(i));
    this.frame.meta.append(this.slider.el);
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
      this.slider.setSteps(s.step, s.wallTime);
    } catch (err) {
      this.frame.setMessage(`Could not read steps: ${errorText(err)}`, 'error');
    }
  }

  async show(i) {
    if (i < 0) return;
    const gen = ++this.gen;
    let t;
    try {
      t = await this.client.text(this.entry.run, this.entry.tag, i);
    } catch (err) {
      if (gen === this.gen)
        this.frame.setMessage(`Could not read text: ${errorText(err)}`, 'error');
      return;
    }
    if (gen !== this.gen) return;
    if (!t) {
      this.frame.setMessage('No text at this step');
      return;
    }
    this.frame.setMessage('');
    let node;
    if (t.kind === 'markdown') {
      node = h('div.db-markdown');
      setMarkdown(node, t.markdown); // sanitized: see markdown.js
    } else {
      const table = h('table.db-text-table');
      const tbody = h('tbody');
      for (const r of t.rows)
        tbody.append(
          h(
            'tr',
            {},
            r.map((c) => h('td', { text: c })),
          ),
        );
      table.append(tbody);
      node = h('div.db-text-table-wrap', {}, table);
      if (t.warning) {
        const note = h('div.db-card-note.db-text-warning');
        setMarkdown(note, t.warning); // the engine's fixed notice (Markdown), sanitized all the same
        node.prepend(note);
      }
    }
    node.dataset.step = String(this.slider.steps[i]);
    this.out.replaceChildren(node);
  }

  destroy() {
    this.gen++;
  }
}

export const textDashboard = {
  id: 'text',
  title: 'Text',
  hasData: (tags) => tags.some((t) => t.plugin === 'text'),
  mount(container, client, ctx) {
    const ui = dashboardRoot(container, 'text', 'Text');
    ui.toolbar.hidden = true;
    return mountCardGrid(ui, client, ctx, {
      plugin: 'text',
      noun: 'text',
      makeCard: (e) => new TextCard(e, client, ctx),
    });
  },
};

/**
 * Text: one card per (tag, run). A rank-0 string tensor is Markdown, rendered
 * with `marked` and sanitized (markdown.js); rank-1 and rank-2 tensors are
 * tables whose cells are inserted as plain text; higher ranks are shown
 * flattened to rank 2 (last axis as columns). A step slider picks the step.
 */
import { h } from '../../ui/dom.js';
import { StepSlider, cardFrame, dashboardRoot, Serial, errorText, mountCardGrid } from '../../ui/base.js';
import { decodeText } from '../../ui/media.js';
import { setMarkdown } from '../../ui/markdown.js';

/**
 * A string tensor as table rows (pure): rank 1 -> one column, rank >= 2 ->
 * rows of the last axis's length.
 * @returns {string[][]}
 */
export function textTableRows(shape, cells) {
  if (shape.length <= 1) return cells.map((c) => [c]);
  const cols = shape[shape.length - 1] || 1;
  const rows = [];
  for (let i = 0; i < cells.length; i += cols) rows.push(cells.slice(i, i + cols));
  return rows;
}

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

  update(entry) { this.entry = entry; }
  load() { return this.loader.run(); }

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
      t = await this.client.tensor(this.entry.run, this.entry.tag, i);
    } catch (err) {
      if (gen === this.gen) this.frame.setMessage(`Could not read text: ${errorText(err)}`, 'error');
      return;
    }
    if (gen !== this.gen) return;
    this.frame.setMessage('');
    const shape = t.shape || [];
    const cells = t.strings ? t.strings.map(decodeText) : Array.from(t.numbers || [], String);
    let node;
    if (shape.length === 0) {
      node = h('div.db-markdown');
      setMarkdown(node, cells[0] ?? ''); // sanitized: see markdown.js
    } else {
      const rows = textTableRows(shape, cells);
      const table = h('table.db-text-table');
      const tbody = h('tbody');
      for (const r of rows) tbody.append(h('tr', {}, r.map((c) => h('td', { text: c }))));
      table.append(tbody);
      node = h('div.db-text-table-wrap', {}, table);
      if (shape.length > 2) node.prepend(h('div.db-card-note', { text: `shape [${shape.join(', ')}] shown as rows of ${shape[shape.length - 1]}` }));
    }
    node.dataset.step = String(t.step);
    this.out.replaceChildren(node);
  }

  destroy() { this.gen++; }
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

/**
 * A scalar card's "Download data" menu: one row per drawn run, CSV or JSON of
 * its full-resolution series (download.js). Closes on a click elsewhere.
 */
import { downloadSeries } from './download.js';

export class DownloadMenu {
  /** @param {import('./card.js').ScalarCard} card */
  constructor(card) {
    this.card = card;
    /** @type {HTMLElement|null} */
    this.menu = null;
  }

  /** Opens the menu, or closes it when open. */
  toggle() {
    if (this.menu) {
      this.close();
      return;
    }
    const menu = document.createElement('div');
    menu.className = 'sc-menu';
    menu.setAttribute('role', 'menu');
    const head = document.createElement('div');
    head.className = 'sc-menu-head';
    head.textContent = 'Download data';
    menu.appendChild(head);
    if (!this.card.runs.length) {
      const p = document.createElement('div');
      p.className = 'sc-menu-empty';
      p.textContent = 'No run selected';
      menu.appendChild(p);
    }
    for (const run of this.card.runs) {
      const row = document.createElement('div');
      row.className = 'sc-menu-row';
      const sw = document.createElement('span');
      sw.className = 'sc-swatch';
      sw.style.background = this.card.ctx.colors.get(run);
      const name = document.createElement('span');
      name.className = 'sc-menu-run';
      name.textContent = run;
      name.title = run;
      row.append(sw, name);
      for (const fmt of /** @type {const} */ (['csv', 'json'])) {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'sc-menu-btn';
        b.textContent = fmt.toUpperCase();
        b.dataset.download = fmt;
        b.dataset.run = run;
        b.addEventListener('click', async () => {
          this.close();
          try {
            await downloadSeries(this.card.ctx.client, run, this.card.tag, fmt);
          } catch (err) {
            console.error(err);
          }
        });
        row.appendChild(b);
      }
      menu.appendChild(row);
    }
    this.card.el.querySelector('.sc-card-head').appendChild(menu);
    this.menu = menu;
    this.onDocClick = (e) => {
      if (!menu.contains(e.target)) this.close();
    };
    setTimeout(() => document.addEventListener('click', this.onDocClick), 0);
  }

  close() {
    if (!this.menu) return;
    this.menu.remove();
    this.menu = null;
    document.removeEventListener('click', this.onDocClick);
  }
}

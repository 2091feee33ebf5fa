/**
 * Hosts one of the non-scalar dashboards (web/src/dashboards) in its tab, with
 * the same left column as Scalars: the runs panel (colours, checkboxes, regex
 * filter, select all / none) and the tag filter. Every panel instance is bound
 * to the one ViewStateStore and the one ColorAssigner, so a run hidden or a
 * filter typed in any tab holds in every tab and in the URL.
 *
 * The dashboard itself is mounted on first show (a hidden tab costs nothing) and
 * updated when the client reports new data while it is mounted.
 */
import { RunsPanel } from '../ui/runs_panel.js';
import { createTagFilter } from '../ui/tag_filter.js';
import { icon } from '../ui/icons.js';

export class DashboardHost {
  /**
   * @param {HTMLElement} section  the tab's view element
   * @param {{id: string, title: string, mount: Function}} dashboard
   * @param {{client: object, store: import('./state.js').ViewStateStore,
   *          colors: import('../ui/colors.js').ColorAssigner}} env
   */
  constructor(section, dashboard, env) {
    this.dashboard = dashboard;
    this.env = env;
    this.mounted = null;
    const root = document.createElement('div');
    root.className = 'sc-root';
    const side = document.createElement('aside');
    side.className = 'sc-side';
    const sideInner = document.createElement('div');
    sideInner.className = 'sc-side-inner';
    this.runsPanel = new RunsPanel(env.store, env.colors);
    sideInner.append(this.runsPanel.el);
    side.append(sideInner);
    const main = document.createElement('div');
    main.className = 'sc-main';
    const bar = document.createElement('div');
    bar.className = 'sc-toolbar';
    bar.append(createTagFilter(env.store, icon('search')).el);
    this.body = document.createElement('div');
    this.body.className = 'tb-dashboard-body';
    main.append(bar, this.body);
    root.append(side, main);
    section.append(root);
    // A run toggled in another tab's panel shows here too.
    env.store.addEventListener('change', () => this.runsPanel.render());
  }

  /** New runs or data: refresh the runs panel, and the dashboard if mounted. */
  update(runs) {
    this.runsPanel.setRuns(runs);
    if (this.mounted && this.mounted.update) this.mounted.update();
  }

  /** Mounts the dashboard the first time its tab is shown. */
  show() {
    if (this.mounted) return;
    const { client, store, colors } = this.env;
    const ctx = {
      state: store,
      colors,
      onStateChange(fn) {
        const h = () => fn();
        store.addEventListener('change', h);
        return () => store.removeEventListener('change', h);
      },
    };
    try {
      this.mounted = this.dashboard.mount(this.body, client, ctx) || {};
    } catch (e) {
      console.error(e);
      this.body.textContent = `The ${this.dashboard.title} dashboard failed to start: ${e.message}`;
      this.mounted = {};
    }
  }
}

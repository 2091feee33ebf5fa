/**
 * Hosts one dashboard (any of dashboards/registry.js, Scalars included) in its
 * tab: the shared left column (runs panel: colours, checkboxes, regex filter,
 * select all / none) and toolbar (tag filter), and the dashboard's own content
 * beside them. Every panel instance is bound to the one ViewStateStore and the
 * one ColorAssigner, so a run hidden or a filter typed in any tab holds in
 * every tab and in the URL.
 *
 * The dashboard is mounted on first show (a hidden tab costs nothing), told
 * when its tab is shown or hidden, and updated when the engine has new data
 * while it is mounted: the life cycle of dashboards/dashboard.js.
 */
import { RunsPanel } from '../ui/runs_panel.js';
import { createTagFilter } from '../ui/tag_filter.js';
import { compareNatural } from '../ui/tag_groups.js';
import { icon } from '../ui/icons.js';

export class DashboardHost {
  /**
   * @param {HTMLElement} section  the tab's view element
   * @param {import('../dashboards/dashboard.js').Dashboard} dashboard
   * @param {{client: import('../engine/client.js').DataClient,
   *          store: import('./state.js').ViewStateStore,
   *          colors: import('../ui/colors.js').ColorAssigner}} env
   */
  constructor(section, dashboard, env) {
    this.dashboard = dashboard;
    this.env = env;
    /** @type {import('../dashboards/dashboard.js').MountedDashboard|null} */
    this.mounted = null;
    this.shown = false;
    const root = document.createElement('div');
    root.className = 'sc-root';
    const side = document.createElement('aside');
    side.className = 'sc-side';
    const sideInner = document.createElement('div');
    sideInner.className = 'sc-side-inner';
    /** The dashboard's own settings go here, above the runs panel. */
    this.sidebar = document.createElement('div');
    this.sidebar.className = 'tb-dashboard-side';
    this.runsPanel = new RunsPanel(env.store, env.colors);
    sideInner.append(this.sidebar, this.runsPanel.el);
    side.append(sideInner);
    const main = document.createElement('div');
    main.className = 'sc-main';
    this.toolbar = document.createElement('div');
    this.toolbar.className = 'sc-toolbar';
    this.toolbar.append(createTagFilter(env.store, icon('search')).el);
    this.body = document.createElement('div');
    this.body.className = 'tb-dashboard-body';
    main.append(this.toolbar, this.body);
    root.append(side, main);
    section.append(root);
    // A run toggled in another tab's panel shows here too.
    env.store.addEventListener('change', () => this.runsPanel.render());
  }

  /**
   * New runs or data: refresh the runs panel (runs in natural order), and the
   * dashboard if mounted.
   * @param {string[]} runs
   */
  update(runs) {
    this.runsPanel.setRuns([...runs].sort(compareNatural));
    if (this.mounted) this.mounted.update();
  }

  /** Its tab is selected: mounts the dashboard the first time. */
  show() {
    if (this.shown) return;
    this.shown = true;
    if (!this.mounted) this.mount();
    else if (this.mounted.show) this.mounted.show();
  }

  /** Its tab is left. */
  hide() {
    if (!this.shown) return;
    this.shown = false;
    if (this.mounted && this.mounted.hide) this.mounted.hide();
  }

  mount() {
    const { client, store, colors } = this.env;
    /** @type {import('../dashboards/dashboard.js').DashboardContext} */
    const ctx = {
      state: store,
      colors,
      onStateChange(fn) {
        /** @param {Event} e */
        const h = (e) => fn(/** @type {CustomEvent<string[]>} */ (e).detail);
        store.addEventListener('change', h);
        return () => store.removeEventListener('change', h);
      },
      sidebar: this.sidebar,
      toolbar: this.toolbar,
    };
    try {
      this.mounted = this.dashboard.mount(this.body, client, ctx);
    } catch (e) {
      console.error(e);
      this.body.textContent = `The ${this.dashboard.title} dashboard failed to start: ${e.message}`;
      this.mounted = { update() {}, destroy() {} };
    }
  }
}

/**
 * The one contract every dashboard implements (Scalars included). A dashboard
 * owns one folder under dashboards/ and exports one `Dashboard` object, listed
 * in dashboards/registry.js; the shell (shell/dashboard_host.js) hosts each the
 * same way: a tab, a view with the shared left column (runs panel) and toolbar
 * (tag filter), and the dashboard's own content beside them.
 *
 * Life of a dashboard, as the host drives it:
 * - `hasData(tags)` decides whether its tab is shown; it is asked after every
 *   refresh of the engine's tag list, so a tab appears as soon as some run has
 *   the data. `count(tags)`, when given, is the number shown in the tab.
 * - `mount(container, client, ctx)` runs on the first show of the tab (a hidden
 *   tab costs nothing), never twice for one host.
 * - `show()` / `hide()` are called when its tab is selected / left (optional:
 *   a dashboard that draws only what is on screen may ignore them).
 * - `update()` is called when the engine has new data (after the shell has
 *   re-read files, runs and tags; calls are coalesced, never concurrent with
 *   each other but possibly while a previous redraw is still running). A
 *   dashboard does not listen to the client itself.
 * - `destroy()` removes everything it added and stops listening.
 *
 * URL state: a dashboard keeps every choice a user makes in `ctx.state`, the
 * one ViewStateStore of the page, which round-trips through the page URL
 * (shell/state.js lists the keys); it reacts to changes made elsewhere (another
 * tab's runs panel, the tag filter, the URL) through `ctx.onStateChange`.
 * Choices not in the store (a slider position, a sort column) are per-session.
 *
 * This file holds only the types (JSDoc, checked by `npm run typecheck`).
 */

/**
 * What a dashboard is given when it mounts.
 * @typedef {object} DashboardContext
 * @property {import('../shell/state.js').ViewStateStore} state  the page's view state
 *   (selected runs, run and tag filters, Scalars' settings), kept in the URL
 * @property {import('../ui/colors.js').ColorAssigner} colors  the one run -> colour map
 * @property {(fn: (fields: string[]) => void) => (() => void)} onStateChange  calls fn
 *   after every change of `state`, with the names of the fields that changed;
 *   returns the unsubscribe function
 * @property {HTMLElement} [sidebar]  where a dashboard may put its own settings,
 *   above the shared runs panel (absent when hosted without a left column)
 * @property {HTMLElement} [toolbar]  where a dashboard may put a summary, after the
 *   shared tag filter
 */

/**
 * A mounted dashboard, as `mount` returns it.
 * @typedef {object} MountedDashboard
 * @property {() => void} update  new data in the engine: re-read what is shown
 * @property {() => void} destroy  remove the DOM and every listener
 * @property {() => void} [show]  its tab was selected
 * @property {() => void} [hide]  its tab was left
 */

/**
 * A (run, tag) summary as the engine lists it (client.tags()).
 * @typedef {import('../engine/protocol.js').TagInfo} TagInfo
 */

/**
 * One dashboard, as registered in dashboards/registry.js.
 * @typedef {object} Dashboard
 * @property {string} id  tab and view id; also the root's data-dashboard
 * @property {string} title  the tab's label
 * @property {(tags: TagInfo[]) => boolean} hasData  whether some run has its data
 * @property {(tags: TagInfo[]) => number} [count]  the number shown in the tab
 * @property {(container: HTMLElement, client: import('../engine/client.js').DataClient,
 *             ctx: DashboardContext) => MountedDashboard} mount
 */

export {};

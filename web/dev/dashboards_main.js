/**
 * Development harness: mounts every dashboard of src/dashboards on a DataClient
 * answered by the fake engine with the demo logs (test/fake_logs.js), a run list and filters bound to the shared
 * ViewStateStore, as the app shell will. ?dash=<id> picks a tab; ?all=1 stacks
 * every dashboard on one page. window.__harness exposes the pieces to tests.
 */
import { dashboards } from '../src/dashboards/registry.js';
import { createFakeClient } from '../test/fake_logs.js';
import { ViewStateStore } from '../src/shell/state.js';
import { ColorAssigner } from '../src/ui/colors.js';
import { renderMarkdown } from '../src/ui/markdown.js';

const params = new URLSearchParams(location.search);
/** @type {import('../src/engine/client.js').DataClient} */
let client;
const store = new ViewStateStore();
const colors = new ColorAssigner();
/** The same DashboardContext as shell/dashboard_host.js gives, without its side column. */
const ctx = {
  state: store,
  colors,
  onStateChange(fn) {
    const h = (e) => fn(e.detail);
    store.addEventListener('change', h);
    return () => store.removeEventListener('change', h);
  },
};

const main = document.getElementById('main');
const tabsEl = document.getElementById('tabs');
const mounted = new Map();

async function start() {
  client = await createFakeClient({ hostile: params.get('hostile') !== '0' });
  const tags = await client.tags();
  const runs = await client.runs();
  colors.update(runs);
  const avail = dashboards.filter((d) => d.hasData(tags));
  const all = params.get('all') === '1';
  let current = params.get('dash') || avail[0].id;

  const show = (id) => {
    current = id;
    for (const b of tabsEl.children) b.classList.toggle('on', b.dataset.id === id);
    for (const d of avail) {
      const want = all || d.id === id;
      if (want && !mounted.has(d.id)) {
        const holder = document.createElement('section');
        holder.className = 'hx-holder';
        holder.dataset.holder = d.id;
        main.append(holder);
        mounted.set(d.id, { holder, api: d.mount(holder, client, ctx) });
      }
      const m = mounted.get(d.id);
      if (m) m.holder.hidden = !want;
    }
    const p = new URLSearchParams(location.search);
    p.set('dash', id);
    history.replaceState(null, '', `${location.pathname}?${p}`);
  };
  for (const d of avail) {
    const b = document.createElement('button');
    b.className = 'hx-tab';
    b.type = 'button';
    b.textContent = d.title;
    b.dataset.id = d.id;
    b.addEventListener('click', () => show(d.id));
    tabsEl.append(b);
  }

  // Run list and filters.
  const runsEl = document.getElementById('runs');
  for (const run of runs) {
    const cb = document.createElement('input');
    cb.type = 'checkbox';
    cb.checked = !store.get().hiddenRuns.includes(run);
    cb.addEventListener('change', () => {
      const hidden = new Set(store.get().hiddenRuns);
      if (cb.checked) hidden.delete(run);
      else hidden.add(run);
      store.update({ hiddenRuns: [...hidden] });
    });
    const sw = document.createElement('span');
    sw.className = 'hx-sw';
    sw.style.background = colors.get(run);
    const label = document.createElement('label');
    const name = document.createElement('span');
    name.textContent = run;
    label.title = run;
    label.append(cb, sw, name);
    runsEl.append(label);
  }
  const rf = document.getElementById('runFilter');
  const tf = document.getElementById('tagFilter');
  rf.value = store.get().runFilter;
  tf.value = store.get().tagFilter;
  rf.addEventListener('input', () => store.update({ runFilter: rf.value }));
  tf.addEventListener('input', () => store.update({ tagFilter: tf.value }));

  client.addEventListener('change', () => {
    for (const m of mounted.values()) m.api.update();
  });
  show(avail.some((d) => d.id === current) ? current : avail[0].id);
  window.__harness = {
    client,
    store,
    colors,
    dashboards,
    renderMarkdown,
    available: avail.map((d) => d.id),
    show,
    mounted,
  };
  document.body.dataset.ready = '1';
}

start().catch((err) => {
  document.body.dataset.error = String((err && err.stack) || err);
  console.error(err);
});

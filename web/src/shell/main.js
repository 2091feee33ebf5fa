/**
 * The app shell: header (tabs, open buttons), drop zone, progress bar with
 * Cancel, the area where dashboards mount, and the Files view.
 *
 * What it owns: turning drops and pickers into entries (sources/entries.js), handing them
 * to the DataClient, and refreshing the views when the client says 'change'.
 * What it does not do: parse (the worker does) or draw charts (dashboards do).
 *
 * On start it opens what the URL names by itself (url_open.js): `?url=` (a log,
 * an archive or a published folder), `?logdir=URL`, or the <meta
 * name="tbview-logdir" content="logdir/"> that scripts/serve.mjs --logdir puts in
 * the page. Those, folders picked with showDirectoryPicker and drops with
 * file-system handles can be reloaded for what was appended (reload.js).
 * A single-file report (report/boot.js) instead opens the logs embedded in it,
 * with its own worker from a Blob. The "Export report" button is
 * report/export.js; offline/register.js registers the offline service worker.
 *
 * For tests only: window.__tbview, a read-only hook {ready, idle, error,
 * engine, client, files, runs} that the e2e tests and benchmarks read (nothing
 * in the app does), and document.body.dataset.state = 'starting' | 'loading' |
 * 'idle'; 'idle' is set only after the views have been refreshed with the
 * final data. Other modules get only what they need, never this object.
 */
import { DataClient } from '../engine/client.js';
import { FilesPanel } from './files_panel.js';
import {
  applyRootRule,
  entriesFromDataTransfer,
  entriesFromFileList,
  formatBytes,
} from '../sources/entries.js';
import { ViewStateStore } from './state.js';
import { ColorAssigner } from '../ui/colors.js';
import { DashboardHost } from './dashboard_host.js';
import { dashboards } from '../dashboards/registry.js';
import { applyReportState, openReportLogs, reportClientOptions } from '../report/boot.js';
import { setUpExportReport } from '../report/export.js';
import { registerServiceWorker } from '../offline/register.js';
import { setUpLiveSources } from './url_open.js';
import { readSources } from '../sources/source.js';
import { FilesSource } from '../sources/local.js';
import './style.css';

const $ = (sel) => document.querySelector(sel);
const num = (n) => Number(n || 0).toLocaleString('en-US');

const app = {
  ready: false,
  idle: false,
  error: null,
  engine: null,
  client: null,
  store: null,
  files: [], // last files() answer
  tags: [], // last tags() answer
  view: 'welcome',
  userPickedView: false,
  colors: new ColorAssigner(), // one run -> colour map for every dashboard
  hosts: new Map(), // dashboard id -> DashboardHost
  runs: [],
};

/**
 * How many things were opened so far: the first is the root (its own name is
 * not a prefix of its runs), later ones keep their names. Shared by the
 * pickers, drops, URLs and the report.
 */
const opened = { count: 0 };

// The test-only hook (see the top of this file).
window.__tbview = Object.freeze({
  get ready() {
    return app.ready;
  },
  get idle() {
    return app.idle;
  },
  get error() {
    return app.error;
  },
  get engine() {
    return app.engine;
  },
  get client() {
    return app.client;
  },
  get files() {
    return app.files;
  },
  get runs() {
    return app.runs;
  },
});

function setState(s) {
  document.body.dataset.state = s;
  app.idle = s === 'idle';
}

// ------------------------------------------------------------------ views and tabs

function showView(name, byUser = false) {
  app.view = name;
  for (const [id, host] of app.hosts) if (id !== name) host.hide();
  const host = app.hosts.get(name);
  if (host) host.show();
  if (byUser) app.userPickedView = true;
  for (const v of document.querySelectorAll('[data-view]')) v.hidden = v.dataset.view !== name;
  for (const t of document.querySelectorAll('[data-tab]'))
    t.setAttribute('aria-selected', String(t.dataset.tab === name));
}

// ------------------------------------------------------------------ refreshing

let refreshing = null;
let refreshAgain = false;

/** Re-reads files and tags and updates tabs and the Files view (coalesced). */
function refresh() {
  if (refreshing) {
    refreshAgain = true;
    return refreshing;
  }
  refreshing = (async () => {
    do {
      refreshAgain = false;
      try {
        const [files, tags, runs] = await Promise.all([
          app.client.files(),
          app.client.tags(),
          app.client.runs(),
        ]);
        app.files = files;
        app.tags = tags;
        app.runs = runs;
        app.colors.update(runs);
        renderData();
      } catch (e) {
        if (!app.error) showNotice(`Could not read the engine's state: ${e.message}`, true);
      }
    } while (refreshAgain);
  })();
  const p = refreshing;
  p.finally(() => {
    if (refreshing === p) refreshing = null;
  });
  return p;
}

function renderData() {
  const { problems } = app.filesPanel.update(app.files, app.tags);
  const tabFiles = $('[data-tab="files"]');
  tabFiles.hidden = app.files.length === 0;
  tabFiles.querySelector('.tb-count').textContent = num(app.files.length);
  tabFiles.classList.toggle('tb-has-problems', problems > 0);
  $('#file-problems').textContent = problems
    ? `${num(problems)} file${problems === 1 ? '' : 's'} with problems — see Files`
    : '';

  // Every dashboard: a tab, shown when some run has its data; hosted the same way.
  for (const d of dashboards) {
    const has = d.hasData(app.tags);
    const tab = $(`[data-tab="${d.id}"]`);
    tab.hidden = !has;
    const count = has && d.count ? d.count(app.tags) : 0;
    tab.querySelector('.tb-count').textContent = count ? num(count) : '';
    if (has && !app.hosts.has(d.id)) {
      app.hosts.set(
        d.id,
        new DashboardHost($(`[data-view="${d.id}"]`), d, {
          client: app.client,
          store: app.store,
          colors: app.colors,
        }),
      );
    }
    const host = app.hosts.get(d.id);
    if (host) host.update(app.runs);
  }

  // Until the user picks a tab: the first dashboard (Scalars) when it has data, else Files.
  if (!app.userPickedView) {
    const first = dashboards[0];
    if (app.hosts.has(first.id) && first.hasData(app.tags)) showView(first.id);
    else if (app.files.length) showView('files');
  }
}

// ------------------------------------------------------------------ progress

let progressFrame = 0;
let lastProgress = null;

function onProgress(e) {
  lastProgress = e.detail;
  if (!progressFrame) progressFrame = requestAnimationFrame(drawProgress);
}

function drawProgress() {
  progressFrame = 0;
  const p = lastProgress;
  if (!p) return;
  const bar = $('#progress-bar');
  bar.max = Math.max(1, p.bytes);
  bar.value = Math.min(p.bytesDone, bar.max);
  $('#progress-text').textContent =
    `${num(p.filesDone)} / ${num(p.files)} files · ` +
    `${formatBytes(p.bytesDone)} / ${formatBytes(p.bytes)} · ${num(p.records)} records` +
    (p.cancelled ? ' · cancelled' : '');
  $('#progress-current').textContent = p.current || '';
}

// ------------------------------------------------------------------ opening

function showNotice(text, isError = false) {
  const n = $('#notice');
  n.textContent = text;
  n.classList.toggle('tb-error', isError);
  n.hidden = !text;
}

/** Entries whose paths still start with their top-level names (drop, pickers). */
function openEntries(entries) {
  if (app.error) {
    showNotice(`Cannot open files: ${app.error}`, true);
    return Promise.resolve();
  }
  const rooted = applyRootRule(entries, { firstOpen: opened.count === 0 });
  if (!rooted.length) return Promise.resolve();
  opened.count += rooted.length;
  if (app.view === 'welcome') showView('files');
  return readOnce(rooted);
}

/** Reads entries {path, file} once, whole (a FilesSource through the one loader). */
async function readOnce(entries) {
  try {
    const r = await readSources(app.client, [new FilesSource(entries)], new Map());
    await r.loaded;
  } catch (e) {
    showNotice(e.message, true);
  }
}

function setUpOpening() {
  const fileInput = $('#file-input');
  const folderInput = $('#folder-input');
  for (const b of document.querySelectorAll('[data-action="open-files"]'))
    b.addEventListener('click', () => fileInput.click());
  // showDirectoryPicker (Chromium) keeps a handle, so the folder can be reloaded.
  for (const b of document.querySelectorAll('[data-action="open-folder"]')) {
    b.addEventListener('click', () =>
      app.live && app.live.canPickFolder ? app.live.pickFolder() : folderInput.click(),
    );
  }
  for (const input of [fileInput, folderInput]) {
    input.addEventListener('change', () => {
      const entries = entriesFromFileList(input.files);
      input.value = '';
      openEntries(entries);
    });
  }
  $('#cancel').addEventListener('click', () => app.client.cancel());

  // The whole window is a drop target; the overlay shows while dragging files.
  const overlay = $('#drop-overlay');
  let depth = 0;
  const hasFiles = (e) =>
    e.dataTransfer && Array.from(e.dataTransfer.types || []).includes('Files');
  window.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth++;
    overlay.hidden = false;
  });
  window.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (!depth) overlay.hidden = true;
  });
  window.addEventListener('dragover', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  });
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    depth = 0;
    overlay.hidden = true;
    if (!e.dataTransfer) return;
    // Items must be taken during the event; walking folders happens after.
    // With file-system handles (Chromium) the drop can be reloaded (url_open.js).
    (app.live
      ? app.live.openDrop(e.dataTransfer, openEntries)
      : entriesFromDataTransfer(e.dataTransfer).then(openEntries)
    ).catch((err) => showNotice(`Could not read the drop: ${err.message}`, true));
  });
}

/**
 * Opens what the page URL names by itself (url_open.js): ?url= (a file, an
 * archive or a published folder), else ?logdir= or the serve.mjs / export-site
 * meta tag. True when something was opened.
 */
async function openServedLogdir() {
  const didOpen = await app.live.openFromLocation();
  // An empty or failed listing never starts a load: settle the state here.
  if (didOpen && app.client.idle) {
    await refresh();
    setState('idle');
  }
  return didOpen;
}

// ------------------------------------------------------------------ start

async function start() {
  setState('starting');
  applyReportState(); // a single-file report: its exported view state (report/boot.js)
  app.store = new ViewStateStore();
  app.client = new DataClient(reportClientOptions()); // {} unless a report
  app.filesPanel = new FilesPanel($('[data-view="files"]'));

  // A tab and a view for every dashboard, in registry order, before Files.
  const filesTab = $('[data-tab="files"]');
  const filesView = $('[data-view="files"]');
  for (const d of dashboards) {
    const tab = document.createElement('button');
    Object.assign(tab, {
      type: 'button',
      hidden: true,
      textContent: d.count ? `${d.title} ` : d.title,
    });
    const count = document.createElement('span');
    count.className = 'tb-count';
    tab.append(count);
    tab.setAttribute('role', 'tab');
    tab.setAttribute('aria-selected', 'false');
    tab.dataset.tab = d.id;
    filesTab.before(tab);
    const view = document.createElement('section');
    Object.assign(view, { className: 'tb-view', hidden: true });
    view.dataset.view = d.id;
    filesView.before(view);
  }
  for (const t of document.querySelectorAll('[data-tab]'))
    t.addEventListener('click', () => showView(t.dataset.tab, true));
  setUpOpening();
  setUpExportReport({ client: app.client, store: app.store }, { notice: showNotice });
  app.live = setUpLiveSources(
    { client: app.client, opened, engineError: () => app.error },
    {
      notice: showNotice,
      showFiles: () => {
        if (app.view === 'welcome') showView('files');
      },
    },
  );

  const client = app.client;
  client.addEventListener('loading', () => {
    setState('loading');
    $('#progress').hidden = false;
    $('#cancel').disabled = false;
  });
  client.addEventListener('progress', onProgress);
  client.addEventListener('change', () => {
    refresh();
  });
  client.addEventListener('idle', async () => {
    $('#cancel').disabled = true;
    await refresh();
    drawProgress();
    if (client.idle) setState('idle');
  });
  client.addEventListener('error', (e) => {
    app.error = e.detail.message;
    showNotice(`The parser could not start: ${e.detail.message}`, true);
  });

  try {
    app.engine = await client.ready;
  } catch (e) {
    app.error = e.message;
    app.ready = true;
    setState('idle');
    return;
  }
  app.ready = true;
  // A single-file report opens its embedded logs, with their paths as exported.
  const reportOpened = await openReportLogs((entries) => {
    opened.count += entries.length;
    showView('files');
    return readOnce(entries);
  }).catch((e) => {
    showNotice(`Could not open the report's logs: ${e.message}`, true);
    return false;
  });
  if (reportOpened) return;
  const servedLogdir = await openServedLogdir();
  if (!servedLogdir && client.idle) setState('idle');
}

start();
registerServiceWorker(); // offline use of the hosted app (http(s) only; offline/register.js)

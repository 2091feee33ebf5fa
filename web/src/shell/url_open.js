/**
 * Opening logs that can be read again: URLs (the page's ?url=, ?logdir= and the
 * serve.mjs / export-site <meta name="tbview-logdir">, and the URL field), a
 * folder picked with showDirectoryPicker, and drops that carry file-system
 * handles (Chromium); plus the Reload button and the auto-reload select.
 * main.js calls setUpLiveSources once and uses what it returns; the reading
 * itself is reload.js (when and from where) and sources/source.js (how).
 *
 * What the page opens by itself on start (openFromLocation), first match wins:
 *   ?url=X            a Hugging Face, GitHub, gs:// or s3:// link (or their
 *                     https forms: sources/links.js); else X ending in '/' or
 *                     naming a .json manifest: a published folder
 *                     (tbview-manifest.json, else index.json, else the
 *                     server's HTML index page); anything else: one event file
 *                     or archive (sources/open.js picks the source)
 *   ?logdir=X, meta   a served folder (scripts/serve.mjs --logdir, export-site):
 *                     index.json first (what both serve), then tbview-manifest.json
 *
 * Names: the first thing opened is the root (no prefix, as for a picked folder);
 * a folder opened after something else keeps its name as a prefix of its runs.
 *
 * Recent logdirs (sources/recent.js, the list on the start screen:
 * recent_ui.js): links, picked or dropped folder handles and "keep offline"
 * copies of drops are kept only when the user ticked the matching box.
 *
 * Errors are said plainly: a listing that cannot be read in the notice bar
 * (CORS, network, 404, not a manifest); a file that cannot be read both in the
 * Files view (status 'read error' with the reason) and in the notice bar.
 */
import { applyRootRule, entriesFromFsEntry } from '../sources/entries.js';
import { folderName, LISTING_NAME, MANIFEST_NAME } from '../sources/manifest.js';
import { sourceForText } from '../sources/open.js';
import { RELOAD_CHOICES, RELOAD_STORAGE_KEY, Reloader, reloadSetting } from '../sources/reload.js';
import { DirHandleSource, FileHandleSource, walkDirectory } from '../sources/local.js';
import { RecentStore } from '../sources/recent.js';
import { setUpRecent } from './recent_ui.js';
import { UrlFolderSource } from '../sources/url.js';
import './live.css';

const $ = (sel) => document.querySelector(sel);

function describeSeconds(s) {
  if (!s) return 'Auto-reload: off';
  return s % 60 === 0 ? `Auto-reload: ${s / 60} min` : `Auto-reload: ${s} s`;
}

/**
 * @param {{client: import('../engine/client.js').DataClient, opened: {count: number},
 *          engineError: () => string|null}} env  the client; how many things were
 *   opened so far (shared with the shell: the first one is the root); the
 *   engine's start-up error, if any
 * @param {{notice: (text: string, isError?: boolean) => void, showFiles: () => void}} hooks
 */
export function setUpLiveSources({ client, opened, engineError }, { notice, showFiles }) {
  const reloader = new Reloader(client);
  let noticeMine = false;
  const say = (text, isError) => {
    notice(text, isError);
    noticeMine = !!text;
  };

  // ---------------------------------------------------------------- reload controls
  const button = $('#reload');
  const select = $('#reload-every');
  const status = $('#reload-status');
  const setting = reloadSetting(location.search, globalThis.localStorage);
  const choices = [...new Set([...RELOAD_CHOICES, setting.seconds])].sort((a, b) => a - b);
  for (const s of choices)
    select.append(new Option(describeSeconds(s), String(s), false, s === setting.seconds));
  select.value = String(setting.seconds);
  select.addEventListener('change', () => {
    const s = Number(select.value);
    try {
      localStorage.setItem(RELOAD_STORAGE_KEY, String(s));
    } catch {
      /* private mode */
    }
    const q = new URLSearchParams(location.search);
    if (q.has('reload')) {
      // a link that carries the setting keeps carrying the current one
      q.set('reload', String(s));
      history.replaceState(history.state ?? null, '', `${location.pathname}?${q}${location.hash}`);
    }
    reloader.setInterval(s);
  });
  button.addEventListener('click', () => {
    reloader.reload();
  });
  reloader.setInterval(setting.seconds);

  const showControls = () => {
    for (const el of [button, select, status]) el.hidden = !reloader.reloadable;
  };
  reloader.addEventListener('reloaded', (e) => {
    const d = e.detail;
    const time = new Date().toLocaleTimeString('en-GB');
    const parts = [`read ${time}`];
    if (d.count > 1 && d.newFiles)
      parts.push(`${d.newFiles} new file${d.newFiles === 1 ? '' : 's'}`);
    status.textContent = parts.join(' · ');
    status.dataset.count = String(d.count);
    document.body.dataset.reloads = String(d.count);
    if (d.errors.length) {
      const more = d.errors.length > 3 ? ` (and ${d.errors.length - 3} more)` : '';
      say(`Could not read: ${d.errors.slice(0, 3).join('; ')}${more}`, true);
    } else if (d.notes && d.notes.length) say(d.notes.slice(0, 3).join('; '));
    else if (noticeMine) say('');
  });

  // ---------------------------------------------------------------- adding sources
  /** Reads a new source; resolves once its list is read and its files queued. */
  async function addSource(source) {
    if (engineError()) {
      say(`Cannot open: ${engineError()}`, true);
      return false;
    }
    opened.count++;
    const pending = reloader.add(source);
    showControls();
    const r = await pending;
    if (r.files) showFiles();
    return true;
  }

  function prefixFor(name) {
    return opened.count === 0 ? '' : name;
  }

  /** Opens a user-given URL (the field, ?url=). */
  async function openUrl(text) {
    let made;
    try {
      made = sourceForText(text, document.baseURI, prefixFor);
    } catch (e) {
      say(`Cannot open ${text}: ${e.message}`, true);
      return false;
    }
    if (opened.count === 0) $('#logdir-name').textContent = made.title;
    recent.addUrl(text.trim(), made.title); // only when the user opted in
    return addSource(made.source);
  }

  /** Opens a served folder (?logdir= or the meta tag): index.json, then the manifest. */
  async function openServed(given) {
    const base = new URL(given, document.baseURI);
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    base.search = '';
    base.hash = '';
    const c = {
      base: base.href,
      name: folderName(base.href),
      listings: [new URL(LISTING_NAME, base).href, new URL(MANIFEST_NAME, base).href],
    };
    $('#logdir-name').textContent = decodeURIComponent(base.pathname);
    return addSource(new UrlFolderSource(c, prefixFor(c.name)));
  }

  /** What the page opens by itself on start; true when it opened something. */
  async function openFromLocation() {
    const q = new URLSearchParams(location.search);
    if (q.get('url')) return openUrl(q.get('url'));
    const meta = document.querySelector('meta[name="tbview-logdir"]');
    const given = q.get('logdir') || (meta && meta.content);
    return given ? openServed(given) : false;
  }

  const form = $('#url-form');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const input = $('#url-input');
    const text = input.value.trim();
    if (!text) return;
    openUrl(text).then((ok) => {
      if (ok) input.value = '';
    });
  });

  // ---------------------------------------------------------------- handles (Chromium)
  const canPickFolder = typeof window.showDirectoryPicker === 'function';

  /** The folder picker with a kept handle; resolves false when the user cancels. */
  async function pickFolder() {
    let dir;
    try {
      dir = await window.showDirectoryPicker({ id: 'tbview-logs', mode: 'read' });
    } catch (e) {
      if (e && e.name === 'AbortError') return false;
      say(`The folder picker failed (${e.message}); drop the folder on the page instead`, true);
      return false;
    }
    await recent.addHandle(dir); // only when the user opted in
    return addSource(new DirHandleSource(dir, prefixFor(dir.name)));
  }

  /**
   * A drop. Must be called synchronously in the drop handler (items are readable
   * only then). With handles (Chromium's getAsFileSystemHandle) every dropped
   * item becomes a reloadable source; otherwise the entries are read once through
   * `openEntries` as before. Returns a promise.
   */
  function openDrop(dt, openEntries) {
    const items = dt.items ? Array.from(dt.items).filter((i) => i.kind === 'file') : [];
    const handles = items.map((i) =>
      typeof i.getAsFileSystemHandle === 'function' ? i.getAsFileSystemHandle() : null,
    );
    const entries = items.map((i) => (i.webkitGetAsEntry ? i.webkitGetAsEntry() : null));
    const files = items.map((i) => (i.getAsFile ? i.getAsFile() : null));
    const loose = !items.length && dt.files ? Array.from(dt.files) : [];
    return (async () => {
      const got = await Promise.all(handles.map((p) => (p ? p.catch(() => null) : null)));
      if (items.length && got.every(Boolean)) {
        // Root rule, as for entries: one folder opened first is the root.
        const oneRoot = opened.count === 0 && got.length === 1 && got[0].kind === 'directory';
        for (const h of got) {
          if (h.kind === 'directory') {
            await recent.addHandle(h);
            await addSource(new DirHandleSource(h, oneRoot ? '' : h.name));
          } else await addSource(new FileHandleSource(h, h.name));
        }
        if (recent.keepOffline)
          await keepOffline(
            got.map((h) => h.name),
            await filesOfHandles(got),
          );
        return;
      }
      const out = loose.map((f) => ({ path: f.name, file: f }));
      for (let i = 0; i < items.length; i++) {
        if (entries[i]) out.push(...(await entriesFromFsEntry(entries[i])));
        else if (files[i]) out.push({ path: files[i].name, file: files[i] });
      }
      if (recent.keepOffline)
        await keepOffline(
          out.map((e) => e.path.split('/')[0]),
          out,
        );
      await openEntries(out);
    })();
  }

  // ---------------------------------------------------------------- recent logdirs
  const recent = new RecentStore();

  /** Files {path, file} below dropped handles (paths start with each top name). */
  async function filesOfHandles(handles) {
    const out = [];
    for (const h of handles) {
      if (h.kind === 'file') out.push({ path: h.name, file: await h.getFile() });
      else
        for (const f of await walkDirectory(h, h.name))
          out.push({ path: f.path, file: await f.handle.getFile() });
    }
    return out;
  }

  /**
   * "Keep offline": copies a drop's files into the origin-private file system,
   * with the root rule applied (one dropped folder is the root), so the copy
   * reopens with the same run names.
   */
  async function keepOffline(tops, files) {
    const names = [...new Set(tops)];
    const title = names.length === 1 ? names[0] : `${names[0]} and ${names.length - 1} more`;
    try {
      const item = await recent.keepFiles(title, applyRootRule(files, { firstOpen: true }));
      if (item)
        say(
          `Kept offline in this browser: ${title} (${item.files} files); Clear on the start screen removes it`,
        );
    } catch (e) {
      say(
        `Could not keep ${title} offline: ${e.message} (the browser's storage may be full)`,
        true,
      );
    }
    recentUi.render();
  }

  /** Reopens an item of the start screen's list (a click: permission prompts are allowed). */
  async function openRecent(item) {
    if (item.kind === 'url') return openUrl(item.text);
    const dir =
      item.kind === 'handle' ? await recent.handle(item.id) : await recent.offlineDir(item.id);
    if (!dir) {
      say(
        `${item.title} is no longer available in this browser; forget it (×) and open it again`,
        true,
      );
      return false;
    }
    if (item.kind === 'handle' && typeof dir.requestPermission === 'function') {
      let state = await dir.queryPermission({ mode: 'read' });
      if (state !== 'granted')
        state = await dir.requestPermission({ mode: 'read' }).catch(() => 'denied');
      if (state !== 'granted') {
        say(
          `The browser did not allow reading ${item.title} again; open it with Open folder`,
          true,
        );
        return false;
      }
    }
    if (opened.count === 0) $('#logdir-name').textContent = item.title;
    return addSource(new DirHandleSource(dir, prefixFor(dir.name)));
  }

  const recentUi = setUpRecent(recent, { open: openRecent, say });

  return { reloader, openFromLocation, openUrl, pickFolder, canPickFolder, openDrop };
}

/**
 * Recent logdirs: what was opened before, kept in this browser only when the
 * user asked for it, and removed by one "clear".
 *
 * Three stores, each written only after the user's choice:
 *   localStorage 'tbview.recent'     {v: 1, items: [RecentItem]}, newest first,
 *                                    at most MAX_RECENT; written only while
 *                                    'tbview.remember' is '1' (the start
 *                                    screen's "Remember" box, the user's opt-in)
 *   IndexedDB 'tbview-recent',       folder handles picked or dropped (Chromium
 *     store 'handles'                keeps FileSystemDirectoryHandle objects
 *                                    there; reopening asks for permission again)
 *   OPFS folder 'tbview-offline/ID'  "Keep offline": a copy of a dropped
 *                                    logdir's bytes in the origin-private file
 *                                    system, reopened without the files
 * clearAll() removes the three (and the opt-ins). Nothing here fetches.
 *
 * @typedef {{kind: 'url', text: string, title: string, at: number} |
 *           {kind: 'handle', id: string, title: string, at: number} |
 *           {kind: 'offline', id: string, title: string, at: number, files: number, bytes: number}} RecentItem
 */

export const REMEMBER_KEY = 'tbview.remember';
export const OFFLINE_KEY = 'tbview.keepOffline';
export const RECENT_KEY = 'tbview.recent';
export const MAX_RECENT = 12;
export const DB_NAME = 'tbview-recent';
export const OPFS_DIR = 'tbview-offline';

/** The stored items, or [] (absent, unreadable, another version). */
export function readRecent(storage) {
  try {
    const doc = JSON.parse(storage.getItem(RECENT_KEY) || 'null');
    if (!doc || doc.v !== 1 || !Array.isArray(doc.items)) return [];
    return doc.items.filter((i) => i && typeof i.kind === 'string' && typeof i.title === 'string');
  } catch {
    return [];
  }
}

/** Items with `item` first, its older twin (same kind and key) dropped, capped. */
export function withItem(items, item) {
  const key = (i) => `${i.kind}\n${i.kind === 'url' ? i.text : i.id}`;
  return [item, ...items.filter((i) => key(i) !== key(item))].slice(0, MAX_RECENT);
}

/** Items without the one of `kind` and `key` (text or id). */
export function withoutItem(items, kind, key) {
  return items.filter((i) => !(i.kind === kind && (i.kind === 'url' ? i.text : i.id) === key));
}

export class RecentStore {
  /** @param {Storage} storage  localStorage (tests may pass another) */
  constructor(storage = globalThis.localStorage) {
    this.storage = storage;
  }

  get remember() {
    return this._get(REMEMBER_KEY) === '1';
  }

  get keepOffline() {
    return this._get(OFFLINE_KEY) === '1';
  }

  /** The user's choice; turning "remember" off forgets nothing by itself (Clear does). */
  setRemember(on) {
    this._set(REMEMBER_KEY, on ? '1' : null);
  }

  setKeepOffline(on) {
    this._set(OFFLINE_KEY, on ? '1' : null);
  }

  list() {
    return readRecent(this.storage);
  }

  /** Remembers an opened link (only when the user opted in). */
  addUrl(text, title) {
    if (!this.remember) return;
    this._save(withItem(this.list(), { kind: 'url', text, title, at: Date.now() }));
  }

  /** Remembers a folder handle in IndexedDB (only when opted in and the browser can keep it). */
  async addHandle(handle) {
    if (!this.remember || typeof indexedDB === 'undefined') return;
    const id = `h${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    try {
      await idb('readwrite', (s) => s.put({ id, handle }, id));
    } catch {
      return; // this browser cannot keep handles: nothing is remembered
    }
    this._save(withItem(this.list(), { kind: 'handle', id, title: handle.name, at: Date.now() }));
  }

  /** The kept handle of an item, or null. */
  async handle(id) {
    try {
      const row = await idb('readonly', (s) => s.get(id));
      return row ? row.handle : null;
    } catch {
      return null;
    }
  }

  /**
   * Copies files {path, file: Blob} into OPFS tbview-offline/ID/ and remembers
   * them (only when the user chose "keep offline"). Resolves to the item, or
   * null when not kept; throws when the copy fails (quota), leaving nothing.
   */
  async keepFiles(title, files) {
    if (!this.keepOffline || !files.length) return null;
    // Ask the browser not to evict the copy under storage pressure (it may say no).
    await navigator.storage.persist?.().catch(() => false);
    const root = await offlineRoot(true);
    const id = `o${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const dir = await root.getDirectoryHandle(id, { create: true });
    let bytes = 0;
    try {
      for (const { path, file } of files) {
        const segs = path.split('/').filter(Boolean);
        let d = dir;
        for (const s of segs.slice(0, -1)) d = await d.getDirectoryHandle(s, { create: true });
        const fh = await d.getFileHandle(segs[segs.length - 1], { create: true });
        const w = await fh.createWritable();
        await w.write(file);
        await w.close();
        bytes += file.size;
      }
    } catch (e) {
      await root.removeEntry(id, { recursive: true }).catch(() => {});
      throw e;
    }
    const item = { kind: 'offline', id, title, at: Date.now(), files: files.length, bytes };
    // Offline copies are listed even without "remember": keeping them was the user's choice.
    this._save(withItem(this.list(), item));
    return item;
  }

  /** The OPFS folder of an offline item, or null. */
  async offlineDir(id) {
    try {
      return await (await offlineRoot(false)).getDirectoryHandle(id);
    } catch {
      return null;
    }
  }

  /** Forgets one item (and its handle or copy). */
  async remove(item) {
    this._save(withoutItem(this.list(), item.kind, item.kind === 'url' ? item.text : item.id));
    if (item.kind === 'handle') await idb('readwrite', (s) => s.delete(item.id)).catch(() => {});
    if (item.kind === 'offline')
      await (
        await offlineRoot(false).catch(() => null)
      )
        ?.removeEntry(item.id, { recursive: true })
        .catch(() => {});
  }

  /** Removes everything this module ever stored, and the opt-ins. */
  async clearAll() {
    for (const k of [RECENT_KEY, REMEMBER_KEY, OFFLINE_KEY]) this._set(k, null);
    if (typeof indexedDB !== 'undefined') {
      await new Promise((resolve) => {
        const r = indexedDB.deleteDatabase(DB_NAME);
        r.onsuccess = r.onerror = r.onblocked = () => resolve();
      });
    }
    try {
      await (await navigator.storage.getDirectory()).removeEntry(OPFS_DIR, { recursive: true });
    } catch {
      /* nothing kept, or no OPFS */
    }
  }

  _save(items) {
    this._set(RECENT_KEY, items.length ? JSON.stringify({ v: 1, items }) : null);
  }

  _get(k) {
    try {
      return this.storage.getItem(k);
    } catch {
      return null;
    }
  }

  _set(k, v) {
    try {
      if (v === null) this.storage.removeItem(k);
      else this.storage.setItem(k, v);
    } catch {
      /* storage refused (private mode, quota): nothing is kept */
    }
  }
}

async function offlineRoot(create) {
  return (await navigator.storage.getDirectory()).getDirectoryHandle(OPFS_DIR, { create });
}

/** One IndexedDB request on the 'handles' store. */
function idb(mode, op) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => open.result.createObjectStore('handles');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction('handles', mode);
      const req = op(tx.objectStore('handles'));
      tx.oncomplete = () => {
        db.close();
        resolve(req.result);
      };
      tx.onerror = tx.onabort = () => {
        db.close();
        reject(tx.error);
      };
    };
  });
}

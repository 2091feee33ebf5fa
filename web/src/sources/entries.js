/**
 * Turning what the user gives (a drop, a file picker, a folder picker, a logdir
 * listing) into entries `{path, file}` with relative paths, and the path rules
 * the rest of the app relies on.
 *
 * Path rules (stated in the README):
 * - A path is relative, '/'-separated, without '.', '..' or empty segments.
 * - The run of a file is its directory; "." for a file at the root.
 * - One dropped or picked folder is the root: its own name is not part of the
 *   paths, so its runs are named as TensorBoard's --logdir would name them.
 *   Several dropped roots (folders and/or files) keep their names as prefixes.
 *   Anything added while something is already open keeps its top-level name, so
 *   it cannot merge into (and restart) a run that is already open.
 * - Files are opened in path order (code-unit order, as the engine and the CLI
 *   sort), so each run's files are read as one stream in name order.
 */

/** Normalises a relative path; returns null for a path that escapes its root. */
export function normalizePath(p) {
  const out = [];
  for (const seg of String(p).replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') return null;
    out.push(seg);
  }
  return out.length ? out.join('/') : null;
}

/** "a/b/file" -> "a/b"; "file" -> "." (the engine's RunOfPath). */
export function runOfPath(path) {
  const i = path.lastIndexOf('/');
  return i < 0 ? '.' : path.slice(0, i);
}

/** Code-unit comparison (not locale): the order the engine and the CLI use. */
export function comparePaths(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Entries sorted by path, later duplicates of a path dropped. */
export function sortEntries(entries) {
  const seen = new Set();
  const out = [];
  for (const e of [...entries].sort((x, y) => comparePaths(x.path, y.path))) {
    if (seen.has(e.path)) continue;
    seen.add(e.path);
    out.push(e);
  }
  return out;
}

/** Run name -> paths (in order), for display and tests. */
export function groupByRun(paths) {
  const runs = new Map();
  for (const p of [...paths].sort(comparePaths)) {
    const r = runOfPath(p);
    if (!runs.has(r)) runs.set(r, []);
    runs.get(r).push(p);
  }
  return new Map([...runs].sort((a, b) => comparePaths(a[0], b[0])));
}

/**
 * Applies the root rule to entries whose paths still start with their top-level
 * name (a drop, or webkitRelativePath from a folder picker). When every entry
 * lies inside one folder, and nothing else is open (`firstOpen`), that folder's
 * name is removed. Entries with unusable paths are dropped.
 * @param {{path: string, file: Blob}[]} entries
 * @param {{firstOpen?: boolean}} opts
 */
export function applyRootRule(entries, { firstOpen = true } = {}) {
  const norm = [];
  for (const e of entries) {
    const path = normalizePath(e.path);
    if (path) norm.push({ ...e, path });
  }
  if (!firstOpen || norm.length === 0) return sortEntries(norm);
  const tops = new Set(norm.map((e) => e.path.split('/')[0]));
  const allInside = norm.every((e) => e.path.includes('/'));
  if (tops.size === 1 && allInside) {
    const cut = [...tops][0].length + 1;
    return sortEntries(norm.map((e) => ({ ...e, path: e.path.slice(cut) })));
  }
  return sortEntries(norm);
}

/** Entries from an <input type=file> (multiple, or webkitdirectory). */
export function entriesFromFileList(fileList) {
  return Array.from(fileList, (file) => ({ path: file.webkitRelativePath || file.name, file }));
}

function readAllEntries(dirReader) {
  // readEntries returns batches (Chromium: at most 100) until an empty one.
  return new Promise((resolve, reject) => {
    const all = [];
    const step = () =>
      dirReader.readEntries((batch) => {
        if (!batch.length) resolve(all);
        else {
          all.push(...batch);
          step();
        }
      }, reject);
    step();
  });
}

function fileOfEntry(entry) {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** Recursively lists a FileSystemEntry; paths are relative to the drop. */
export async function entriesFromFsEntry(entry, prefix = '') {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) return [{ path, file: await fileOfEntry(entry) }];
  if (!entry.isDirectory) return [];
  const out = [];
  for (const child of await readAllEntries(entry.createReader())) {
    out.push(...(await entriesFromFsEntry(child, path)));
  }
  return out;
}

/**
 * Entries from a drop. Must be called synchronously in the drop handler: the
 * DataTransfer items are only readable during the event, so the entries are
 * taken first and walked afterwards.
 * @returns {Promise<{path: string, file: File}[]>}
 */
export function entriesFromDataTransfer(dt) {
  const roots = [];
  const loose = [];
  const items = dt.items ? Array.from(dt.items) : [];
  for (const item of items) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry ? item.webkitGetAsEntry() : null;
    if (entry) roots.push(entry);
    else {
      const f = item.getAsFile();
      if (f) loose.push({ path: f.name, file: f });
    }
  }
  if (!items.length && dt.files) loose.push(...entriesFromFileList(dt.files));
  return (async () => {
    const out = [...loose];
    for (const r of roots) out.push(...(await entriesFromFsEntry(r)));
    return out;
  })();
}

/** Human-readable byte count. */
export function formatBytes(n) {
  n = Number(n) || 0;
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let i = -1;
  do {
    n /= 1024;
    i++;
  } while (n >= 1024 && i < units.length - 1);
  return `${n < 10 ? n.toFixed(1) : Math.round(n)} ${units[i]}`;
}

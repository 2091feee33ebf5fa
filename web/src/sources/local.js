/**
 * Sources on this computer (the `Source` contract: sources/source.js):
 *
 *   FilesSource       files dropped or picked, as File objects (or the Blobs of
 *                     a single-file report): read once, not reloadable (a File
 *                     is a snapshot)
 *   DirHandleSource   a folder picked with showDirectoryPicker, or dropped in
 *                     Chromium (FileSystemDirectoryHandle): re-walked on reload
 *   FileHandleSource  one file dropped in Chromium (FileSystemFileHandle)
 */
import { normalizePath, sortEntries } from './entries.js';
import { CHUNK_BYTES, ShrunkError } from './source.js';

const join = (prefix, p) => (prefix ? `${prefix}/${p}` : p);

/**
 * The bytes of a local file from `offset` on. `file` is a snapshot (File); when
 * the file changes on disk while it is read, Chromium refuses the old snapshot
 * (NotReadableError): with a handle, a fresh snapshot is taken and reading goes
 * on from the same position (up to 3 times).
 */
export async function* fileChunks(
  file,
  offset,
  { handle = null, chunkBytes = CHUNK_BYTES, path = file.name } = {},
) {
  if (file.size < offset) throw new ShrunkError(path, offset, file.size);
  let pos = offset;
  let retries = 3;
  while (pos < file.size) {
    const end = Math.min(file.size, pos + chunkBytes);
    let chunk;
    try {
      chunk = await file.slice(pos, end).arrayBuffer();
    } catch (e) {
      if (!handle || retries-- <= 0) throw e;
      file = await handle.getFile();
      if (file.size < pos) throw new ShrunkError(path, pos, file.size);
      continue;
    }
    pos = end;
    yield { chunk, last: false };
  }
}

/**
 * Files given as entries {path, file} (paths final: the caller applied the root
 * rule); read once.
 */
export class FilesSource {
  /** @param {{path: string, file: Blob}[]} entries */
  constructor(entries) {
    Object.assign(this, { kind: 'files', label: 'the files opened', reloadable: false });
    this.entries = sortEntries(
      entries
        .map((e) => ({ path: normalizePath(e.path), file: e.file }))
        .filter((e) => e.path && e.file),
    );
  }

  async list() {
    return this.entries.map((e) => ({ path: e.path, size: e.file.size, file: e.file }));
  }

  read(entry, offset, ctx) {
    return fileChunks(entry.file, offset, { ...ctx, path: entry.path });
  }
}

/** Every file below a FileSystemDirectoryHandle, sorted by path. */
export async function walkDirectory(dir, prefix = '') {
  const out = [];
  for await (const [name, h] of dir.entries()) {
    const p = join(prefix, name);
    if (h.kind === 'directory') out.push(...(await walkDirectory(h, p)));
    else if (h.kind === 'file') out.push({ path: p, handle: h });
  }
  return out;
}

/** A folder picked or dropped in Chromium (a Source): re-walked on every reload. */
export class DirHandleSource {
  constructor(handle, prefix = '') {
    Object.assign(this, {
      kind: 'dir-handle',
      handle,
      prefix,
      label: handle.name,
      reloadable: true,
    });
  }

  async list() {
    const found = await walkDirectory(this.handle, this.prefix);
    const out = [];
    for (const f of found) {
      const path = normalizePath(f.path);
      if (!path) continue;
      let file;
      try {
        file = await f.handle.getFile();
      } catch {
        continue;
      } // removed while walking
      out.push({ path, size: file.size, file, handle: f.handle });
    }
    return sortEntries(out);
  }

  read(entry, offset, ctx) {
    return fileChunks(entry.file, offset, { ...ctx, handle: entry.handle, path: entry.path });
  }
}

/** One file dropped in Chromium (a Source), kept by its FileSystemFileHandle. */
export class FileHandleSource {
  constructor(handle, path) {
    Object.assign(this, {
      kind: 'file-handle',
      handle,
      path: normalizePath(path) || handle.name,
      label: handle.name,
      reloadable: true,
    });
  }

  async list() {
    const file = await this.handle.getFile();
    return [{ path: this.path, size: file.size, file, handle: this.handle }];
  }

  read(entry, offset, ctx) {
    return fileChunks(entry.file, offset, { ...ctx, handle: entry.handle, path: entry.path });
  }
}

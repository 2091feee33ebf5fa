/**
 * "A source": anything logs are read from, behind one interface. Every way logs
 * arrive is one implementation:
 *
 *   FilesSource       files dropped or picked (File objects, read once; the
 *                     single-file report's embedded logs too)   sources/local.js
 *   DirHandleSource   a folder picked with showDirectoryPicker, or dropped in
 *                     Chromium (re-walked on every reload)       sources/local.js
 *   FileHandleSource  one file dropped in Chromium               sources/local.js
 *   UrlFileSource     one URL: an event file or an archive       sources/url.js
 *   UrlFolderSource   a published or served folder, listed by its manifest
 *                     (tbview-manifest.json, or serve.mjs's index.json), else
 *                     by the server's HTML index pages       sources/url.js,
 *                                                            sources/webdir.js
 *   ListedSource      a listed remote folder: a Hugging Face repository
 *                     (hf.js), a GitHub repository or folder (github.js), a
 *                     GCS or S3 prefix (buckets.js)          sources/remote.js
 * sources/open.js picks the source for a pasted link (sources/links.js parses it).
 * An archive (.zip, .tar, .tar.gz, .gz) is a file of any of them: the engine
 * unpacks it and names its members. A reload is not a kind of source but a
 * second reading of a reloadable one (sources/reload.js).
 *
 * The contract (`Source`, below):
 * - `list()` names the source's files now: relative, normalised paths (with the
 *   source's prefix), sorted by path, and each file's size when known.
 * - `read(file, offset, ctx)` yields the file's bytes from `offset` on, in
 *   chunks of about ctx.chunkBytes, stops when ctx.signal aborts, and reports
 *   the total size through ctx.setSize when it learns it. A file now shorter
 *   than `offset` raises ShrunkError (it was rewritten: never mix contents).
 * - `reloadable`: whether reading it again may find new files or appended bytes.
 * - `notes` (optional): after list(), what the user should know that is not an
 *   error (a listing capped or truncated, files left out); shown in the notice.
 *
 * Reading (readSources, the one loader, used for the first read and for every
 * reload): list each source, plan which files to read from where against what
 * the engine already has (planReload), and queue those reads in the DataClient.
 * The engine's stream of a path continues where it stopped (the engine's
 * logdir), so a record cut off by a writer completes on the next read.
 */

/**
 * A file as a source lists it.
 * @typedef {object} SourceFile
 * @property {string} path  relative, normalised, '/'-separated
 * @property {number|null} size  bytes, or null until a read learns it (one URL)
 * @property {Blob} [file]  the bytes of a local file (blobs kept by reference are
 *   read again from it)
 * @property {FileSystemFileHandle} [handle]  to take a fresh snapshot of a local file
 * @property {string} [url]  the URL of a remote file (blobs by Range request)
 */

/**
 * A chunk of a file's bytes. `last` is true only when the reader knows this is
 * the end of the file (the engine is then told in the same message).
 * @typedef {{chunk: ArrayBuffer, last: boolean}} Chunk
 */

/**
 * What a read is given by the DataClient.
 * @typedef {object} ReadContext
 * @property {AbortSignal} [signal]  aborts the read (cancel)
 * @property {(total: number) => void} [setSize]  the file's total size, once known
 * @property {number} [chunkBytes]  the chunk size to aim at
 */

/**
 * One source of logs.
 * @typedef {object} Source
 * @property {string} kind  'files' | 'dir-handle' | 'file-handle' | 'url-file' | 'url-folder' |
 *   'hf' | 'github' | 'gcs' | 's3'
 * @property {string} label  names it in messages
 * @property {boolean} reloadable
 * @property {() => Promise<SourceFile[]>} list
 * @property {(file: SourceFile, offset: number, ctx: ReadContext) => AsyncIterable<Chunk>} read
 * @property {string[]} [notes]  set by list(): what the user should know
 */

/** The chunk size reads aim at unless told otherwise: 4 MiB. */
export const CHUNK_BYTES = 4 << 20;

/** The file is shorter than what was already read from it. */
export class ShrunkError extends Error {
  constructor(path, offset, size) {
    super(
      `the file is now ${size} bytes, shorter than the ${offset} bytes already read: it was rewritten or ` +
        'replaced, so it is not read again (its data so far is kept; open it anew to read the new contents)',
    );
    this.name = 'ShrunkError';
    Object.assign(this, { path, offset, size });
  }
}

/** Statuses after which the engine reads no more bytes of a file. */
const FINAL = new Set(['read_error', 'cancelled', 'corrupt', 'limit']);

/**
 * Which listed files to read, and from where.
 * @param {SourceFile[]} listed  a source's files
 * @param {Map<string, {bytes: number, status: string}>} known  the engine's files by path
 * @returns {{reads: {entry: SourceFile, offset: number}[], unchanged: number, final: number}}
 */
export function planReload(listed, known) {
  const reads = [];
  let unchanged = 0;
  let final = 0;
  for (const entry of listed) {
    const k = known.get(entry.path);
    if (k && FINAL.has(k.status)) {
      final++;
      continue;
    }
    const offset = k ? Number(k.bytes) || 0 : 0;
    if (k && entry.size !== null && entry.size !== undefined && entry.size === offset) {
      unchanged++;
      continue;
    }
    reads.push({ entry, offset });
  }
  return { reads, unchanged, final };
}

/**
 * Wraps a read so that a failure of a file already read is reported and leaves
 * it as it is (the next reload tries again), while a first read's failure or a
 * shrunk file propagates (the client marks the file 'read error').
 * @param {AsyncIterable<Chunk>} chunks
 * @param {number} offset
 * @param {string} path
 * @param {string[]} errors
 */
async function* guarded(chunks, offset, path, errors) {
  try {
    yield* chunks;
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    errors.push(`${path}: ${e.message}`);
    if (offset > 0 && !(e instanceof ShrunkError)) return;
    throw e;
  }
}

/**
 * The one loader: lists `sources`, plans the reads against `known` (the
 * engine's files by path; an empty map reads every file whole) and queues them
 * in `client`. Resolves once the reads are queued, to the counts, `notes` (the
 * sources' notes) and `loaded` (settles when they have been read; `errors` then
 * holds every failure).
 * @param {import('../engine/client.js').DataClient} client
 * @param {Source[]} sources
 * @param {Map<string, {bytes: number, status: string}>} known
 */
export async function readSources(client, sources, known) {
  const errors = [];
  const notes = [];
  const entries = [];
  let newFiles = 0;
  let unchanged = 0;
  let files = 0;
  for (const source of sources) {
    let listed;
    try {
      listed = await source.list();
    } catch (e) {
      // Named once: a source's own errors may already name it.
      errors.push(e.message.includes(source.label) ? e.message : `${source.label}: ${e.message}`);
      continue;
    }
    if (source.notes) notes.push(...source.notes);
    files += listed.length;
    const plan = planReload(listed, known);
    unchanged += plan.unchanged;
    for (const { entry, offset } of plan.reads) {
      if (!known.has(entry.path)) newFiles++;
      entries.push({
        path: entry.path,
        offset,
        size: entry.size ?? 0,
        file: entry.file,
        url: entry.url,
        chunks: (ctx) => guarded(source.read(entry, offset, ctx), offset, entry.path, errors),
      });
    }
  }
  const loaded = entries.length ? client.open(entries) : Promise.resolve({ cancelled: false });
  return { files, newFiles, unchanged, reads: entries.length, errors, notes, loaded };
}

/**
 * Which files of a listed folder are read, for the sources that list a whole
 * repository or bucket (Hugging Face, GitHub, GCS, S3, plain web folders):
 * those hold model weights, images and code beside the logs, which must not
 * be downloaded. Manifests (manifest.js) and local folders list every file
 * instead (the engine detects event files by content there).
 *
 * Kept (isKeptPath), by the path relative to the opened folder:
 *   - event files: a name containing "tfevents" (events.out.tfevents.*, as
 *     TensorBoard's writers name them);
 *   - archives the engine unpacks: .zip, .tar, .tar.gz, .tgz, .gz;
 *   - the projector's files: projector_config.pbtxt, and any .tsv in the
 *     folder of a projector_config.pbtxt or below it (metadata, tensors:
 *     PyTorch's SummaryWriter puts them in 00000/default/ under the config);
 *   - the profile plugin's files: everything below a plugins/profile/ folder.
 * Pure functions; the unit tests run them in Node.
 */

/** Listings stop after this many entries (files and folders seen), and say so. */
export const MAX_ENTRIES = 100_000;
/** Listings stop after this many pages (empty pages included), and say so. */
export const MAX_PAGES = 2_000;

const ARCHIVE = /\.(zip|tar|tar\.gz|tgz|gz)$/i;

/** The file's own name ("a/b/c.txt" -> "c.txt"). */
export function baseName(path) {
  return path.slice(path.lastIndexOf('/') + 1);
}

function dirName(path) {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** True for an event file or an archive, by its name alone. */
export function isLogName(name) {
  return name.includes('tfevents') || ARCHIVE.test(name);
}

/** True when `path` lies in one of `dirs` ('' is the root) or below it. */
function underProjector(path, dirs) {
  for (let d = dirName(path); ; d = dirName(d)) {
    if (dirs.has(d)) return true;
    if (d === '') return false;
  }
}

/**
 * The files worth reading among `paths` (relative paths of one listing).
 * @param {string[]} paths
 * @returns {Set<string>}
 */
export function keptPaths(paths) {
  const projectorDirs = new Set();
  for (const p of paths)
    if (baseName(p) === 'projector_config.pbtxt') projectorDirs.add(dirName(p));
  const out = new Set();
  for (const p of paths) {
    const name = baseName(p);
    if (
      isLogName(name) ||
      name === 'projector_config.pbtxt' ||
      (/\.tsv$/i.test(name) && underProjector(p, projectorDirs)) ||
      /(^|\/)plugins\/profile\//.test(p)
    ) {
      out.add(p);
    }
  }
  return out;
}

/**
 * Filters listed files {path, ...} to those kept, and says what was left out.
 * @template {{path: string}} T
 * @param {T[]} files
 * @returns {{kept: T[], skipped: number}}
 */
export function keepFiles(files) {
  const keep = keptPaths(files.map((f) => f.path));
  const kept = files.filter((f) => keep.has(f.path));
  return { kept, skipped: files.length - kept.length };
}

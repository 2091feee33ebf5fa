/**
 * The Files view: every file that was given, with its run, size, records and
 * status in words, then every run's tags (plugin, points). It is where a user
 * learns why something did not load ("not an event file: a Git LFS pointer"),
 * and what the tests read to check what was loaded.
 *
 * Rows carry data attributes (data-path, data-status on files; data-run,
 * data-tag, data-points on tags) so that tests and styles need not parse text.
 */
import { formatBytes } from '../sources/entries.js';

/**
 * Status words for a file (engine statuses plus the client's queued/cancelled),
 * then its `detail`: the engine's message without the path and without the
 * status' own words (the engine decides both).
 */
export function statusText(f) {
  const d = String(f.detail || '');
  const msg = d ? `: ${d}` : '';
  switch (f.status) {
    case 'ok':
      return 'ok';
    case 'loading':
      return 'loading…';
    case 'queued':
      return 'queued';
    case 'waiting':
      return `waiting for more data${msg}`;
    case 'not_event':
      return `not an event file${msg}`;
    case 'corrupt':
      return `corrupt${msg}`;
    case 'limit':
      return d || 'stopped: a limit was reached';
    case 'cancelled':
      return `cancelled${msg}`;
    case 'read_error':
      return `read error${msg}`;
    default:
      return `${f.status}${msg}`;
  }
}

/** Statuses that mean the file (or part of it) could not be read. */
export function isProblem(f) {
  return (
    ['not_event', 'corrupt', 'limit', 'cancelled', 'read_error'].includes(f.status) ||
    f.badCrc > 0 ||
    f.badEvents > 0
  );
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('data-')) e.setAttribute(k, String(v));
    else e[k] = v;
  }
  for (const c of children) if (c != null) e.append(c instanceof Node ? c : String(c));
  return e;
}

const num = (n) => Number(n || 0).toLocaleString('en-US');

export class FilesPanel {
  constructor(container) {
    this.root = container;
    this.root.classList.add('tb-files');
    this.summary = el('p', { class: 'tb-files-summary' });
    this.fileTable = el('table', { class: 'tb-table', 'data-table': 'files' });
    this.tagTable = el('table', { class: 'tb-table', 'data-table': 'tags' });
    this.root.append(
      this.summary,
      el('h2', {}, 'Files'),
      this.fileTable,
      el('h2', {}, 'Runs and tags'),
      this.tagTable,
    );
  }

  /** Re-renders from a files() and a tags() answer. */
  update(files, tags) {
    const problems = files.filter(isProblem).length;
    const runs = new Set(tags.map((t) => t.run));
    const records = files.reduce((s, f) => s + (Number(f.records) || 0), 0);
    const size = files.reduce((s, f) => s + (Number(f.size ?? f.bytes) || 0), 0);
    this.summary.textContent =
      `${num(files.length)} file${files.length === 1 ? '' : 's'}, ${formatBytes(size)}, ` +
      `${num(records)} records, ${num(runs.size)} run${runs.size === 1 ? '' : 's'}, ${num(tags.length)} tags` +
      (problems ? ` — ${num(problems)} with problems` : '');

    const head = el(
      'tr',
      {},
      ...['Path', 'Run', 'Size', 'Records', 'Status'].map((h) => el('th', {}, h)),
    );
    const body = el('tbody');
    for (const f of files) {
      const size = Number(f.size ?? f.bytes) || 0;
      const sizeText =
        f.status === 'loading' && size
          ? `${formatBytes(f.bytes)} / ${formatBytes(size)}`
          : formatBytes(size);
      const extras = [];
      if (f.badCrc > 0)
        extras.push(`${num(f.badCrc)} record${f.badCrc === 1 ? '' : 's'} skipped (bad CRC)`);
      if (f.badEvents > 0)
        extras.push(`${num(f.badEvents)} record${f.badEvents === 1 ? '' : 's'} not decodable`);
      const status = el(
        'td',
        { class: 'tb-status' },
        el('span', { class: `tb-badge tb-st-${f.status}` }, statusText(f)),
      );
      if (extras.length) status.append(el('div', { class: 'tb-status-extra' }, extras.join('; ')));
      const title = [
        f.fileVersion && `file_version ${f.fileVersion}`,
        f.writer && `writer ${f.writer}`,
      ]
        .filter(Boolean)
        .join(', ');
      body.append(
        el(
          'tr',
          {
            'data-path': f.path,
            'data-status': f.status,
            'data-records': Number(f.records) || 0,
            title,
          },
          el('td', { class: 'tb-path' }, f.path),
          el('td', {}, f.run),
          el('td', { class: 'tb-num' }, sizeText),
          el('td', { class: 'tb-num' }, num(f.records)),
          status,
        ),
      );
    }
    this.fileTable.replaceChildren(el('thead', {}, head), body);

    const thead = el(
      'tr',
      {},
      ...['Run', 'Tag', 'Plugin', 'Points', 'Steps'].map((h) => el('th', {}, h)),
    );
    const tbody = el('tbody');
    for (const t of tags) {
      tbody.append(
        el(
          'tr',
          {
            'data-run': t.run,
            'data-tag': t.tag,
            'data-points': Number(t.points) || 0,
            'data-plugin': t.plugin || '',
          },
          el('td', {}, t.run),
          el('td', { class: 'tb-path' }, t.tag),
          el('td', {}, t.plugin || '—'),
          el('td', { class: 'tb-num' }, num(t.points)),
          el('td', { class: 'tb-num' }, Number(t.points) ? `${t.firstStep} – ${t.lastStep}` : ''),
        ),
      );
    }
    this.tagTable.replaceChildren(el('thead', {}, thead), tbody);
    return { problems, runs: runs.size };
  }
}

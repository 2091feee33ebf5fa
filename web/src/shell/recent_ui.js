/**
 * The start screen's "Opened before" list and its three controls (the
 * storage itself is sources/recent.js):
 *   - "Remember what I open here" (off by default): links opened afterwards
 *     are listed, and folders picked or dropped with a handle (Chromium);
 *   - "Keep dropped folders offline" (off by default): the bytes of a dropped
 *     logdir are copied into the origin-private file system, and it reopens
 *     from there without the files;
 *   - "Clear" removes every link, handle and copy, and both choices.
 * Each item opens with one click (a folder handle asks the browser for read
 * permission again) and can be forgotten alone (×).
 */
import { formatBytes } from '../sources/entries.js';

const $ = (sel) => document.querySelector(sel);

const KIND_TEXT = { url: 'link', handle: 'folder', offline: 'kept offline' };

/**
 * @param {import('../sources/recent.js').RecentStore} recent
 * @param {{open: (item: object) => Promise<boolean>, say: (text: string, isError?: boolean) => void}} hooks
 * @returns {{render: () => void}}
 */
export function setUpRecent(recent, { open, say }) {
  const box = $('#recent');
  const list = $('#recent-list');
  const remember = /** @type {HTMLInputElement} */ ($('#recent-remember'));
  const offline = /** @type {HTMLInputElement} */ ($('#recent-offline'));
  const clear = $('#recent-clear');

  function render() {
    const items = recent.list();
    remember.checked = recent.remember;
    offline.checked = recent.keepOffline;
    list.replaceChildren();
    for (const item of items) {
      const li = document.createElement('li');
      li.dataset.kind = item.kind;
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'tb-recent-open';
      b.textContent = item.title;
      b.title = item.kind === 'url' ? item.text : item.title;
      b.addEventListener('click', () => open(item));
      const kind = document.createElement('span');
      kind.className = 'tb-recent-kind';
      const extra =
        item.kind === 'offline' ? ` · ${item.files} files, ${formatBytes(item.bytes)}` : '';
      kind.textContent = `${KIND_TEXT[item.kind] || item.kind}${extra}`;
      const forget = document.createElement('button');
      forget.type = 'button';
      forget.className = 'tb-recent-forget';
      forget.textContent = '×';
      forget.title = 'Forget this one';
      forget.setAttribute('aria-label', `Forget ${item.title}`);
      forget.addEventListener('click', async () => {
        await recent.remove(item);
        render();
      });
      li.append(b, kind, forget);
      list.append(li);
    }
    list.hidden = items.length === 0;
    box.dataset.count = String(items.length);
  }

  remember.addEventListener('change', () => {
    recent.setRemember(remember.checked);
    render();
  });
  offline.addEventListener('change', () => {
    recent.setKeepOffline(offline.checked);
    render();
  });
  clear.addEventListener('click', async () => {
    await recent.clearAll();
    render();
    say('Cleared: nothing opened before is kept in this browser now');
  });
  box.hidden = false;
  render();
  return { render };
}

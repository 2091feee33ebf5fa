// Recent logdirs' storage rules (sources/recent.js): nothing is written before
// the user opts in, the list is capped and deduplicated, unreadable documents
// are ignored, and clearing removes the list and the choices.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  MAX_RECENT,
  readRecent,
  RecentStore,
  RECENT_KEY,
  REMEMBER_KEY,
  withItem,
  withoutItem,
} from '../src/sources/recent.js';

/** A Storage stand-in over a Map. */
function memoryStorage() {
  const m = new Map();
  return {
    map: m,
    getItem: (k) => (m.has(k) ? m.get(k) : null),
    setItem: (k, v) => m.set(k, String(v)),
    removeItem: (k) => m.delete(k),
  };
}

test('links are remembered only after the user opts in', () => {
  const storage = memoryStorage();
  const r = new RecentStore(storage);
  r.addUrl('gs://b/x/', 'gs://b/x/');
  assert.equal(storage.map.size, 0, 'nothing stored without the choice');
  r.setRemember(true);
  r.addUrl('gs://b/x/', 'gs://b/x/');
  r.addUrl('hf://o/m', 'hf://o/m');
  r.addUrl('gs://b/x/', 'gs://b/x/');
  assert.deepEqual(
    r.list().map((i) => i.text),
    ['gs://b/x/', 'hf://o/m'],
    'newest first, no duplicates',
  );
  assert.equal(storage.getItem(REMEMBER_KEY), '1');
  r.setRemember(false);
  r.addUrl('s3://b/', 's3://b/');
  assert.equal(r.list().length, 2, 'turning it off stops remembering');
});

test('the list is capped, and items are forgotten one by one', () => {
  let items = [];
  for (let i = 0; i < MAX_RECENT + 5; i++)
    items = withItem(items, { kind: 'url', text: `u${i}`, title: `u${i}`, at: i });
  assert.equal(items.length, MAX_RECENT);
  assert.equal(items[0].text, `u${MAX_RECENT + 4}`);
  items = withItem(items, { kind: 'offline', id: 'o1', title: 'x', at: 0 });
  assert.equal(withoutItem(items, 'offline', 'o1').length, MAX_RECENT - 1);
  assert.equal(withoutItem(items, 'url', 'nope').length, MAX_RECENT);
});

test('unreadable or foreign documents read as an empty list', () => {
  const storage = memoryStorage();
  for (const bad of [
    '{',
    '[]',
    '{"v":2,"items":[]}',
    '{"v":1,"items":{}}',
    '{"v":1,"items":[null,{"kind":"url"}]}',
  ]) {
    storage.setItem(RECENT_KEY, bad);
    assert.deepEqual(readRecent(storage), [], bad);
  }
  const throwing = {
    getItem() {
      throw new Error('denied');
    },
    setItem() {
      throw new Error('denied');
    },
    removeItem() {},
  };
  const r = new RecentStore(throwing);
  assert.equal(r.remember, false);
  r.setRemember(true); // refused storage: no throw, nothing kept
  assert.deepEqual(r.list(), []);
});

test('clearAll removes the list and both choices', async () => {
  const storage = memoryStorage();
  const r = new RecentStore(storage);
  r.setRemember(true);
  r.setKeepOffline(true);
  r.addUrl('gs://b/', 'gs://b/');
  storage.setItem('tbview.reloadSeconds', '10');
  await r.clearAll();
  assert.deepEqual(
    [...storage.map.keys()],
    ['tbview.reloadSeconds'],
    'only what recent.js stored is removed',
  );
});

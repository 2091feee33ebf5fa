// Rules the engine now holds alone, seen from JS: the scalars query is validated
// and clamped by the engine (the worker passes it as the page gave it), the
// statuses only the caller sees happen (cancelled, read error) come back as the
// engine's own, and every file row carries its `detail`.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import test from 'node:test';

import { syntheticScalarLog } from '../support/tfrecord.mjs';

const require = createRequire(import.meta.url);
const { loadModule } = require('./helpers.cjs');

async function withLoaded(fn) {
  const mod = await loadModule();
  const e = new mod.Engine();
  try {
    const id = e.openFile('run/events.out.tfevents.1');
    e.push(id, syntheticScalarLog(5000, 'y', 1000));
    e.endOfData(id);
    return await fn(e, id, mod);
  } finally {
    e.delete();
  }
}

test('a scalars query is completed and clamped by the engine', () =>
  withLoaded((e) => {
    // Unset fields get the defaults: step axis, width 1000, no smoothing.
    for (const q of [undefined, null, {}, { xAxis: null, x0: null, x1: undefined }]) {
      const r = e.scalars('run', 'y', q);
      assert.equal(r.total, 5000);
      assert.ok(r.x.length <= 2 * 1000 + 2, `${r.x.length} points`);
      assert.deepEqual([...r.smoothed], [...r.value]);
      assert.equal(r.x[0], r.step[0]);
    }
    // width 0.2 rounds to 0 and clamps to one column; a huge width to 1e6 (every point).
    assert.ok(e.scalars('run', 'y', { width: 0.2 }).x.length <= 4);
    assert.equal(e.scalars('run', 'y', { width: 1e12 }).x.length, 5000);
    // smoothing clamps to [0, 0.999].
    const max = e.scalars('run', 'y', { width: 1e6, smoothing: 0.999 });
    assert.deepEqual(
      [...e.scalars('run', 'y', { width: 1e6, smoothing: 3 }).smoothed],
      [...max.smoothed],
    );
    const none = e.scalars('run', 'y', { width: 1e6, smoothing: -1 });
    assert.deepEqual([...none.smoothed], [...none.value]);
    // Infinite bounds are no bounds.
    assert.equal(e.scalars('run', 'y', { x0: -Infinity, x1: Infinity }).total, 5000);
    assert.equal(e.scalars('run', 'y', { x0: 1000, x1: 1999 }).total, 1000);
    // Unknown axis names and non-numbers are the caller's error.
    assert.throws(() => e.scalars('run', 'y', { xAxis: 'bogus' }), TypeError);
    assert.throws(() => e.scalars('run', 'y', { width: '100' }), TypeError);
  }));

test('cancelled and read errors are statuses of the engine, with a detail', () =>
  withLoaded((e, id) => {
    const cut = e.openFile('run/events.out.tfevents.2');
    e.push(cut, syntheticScalarLog(10, 'y', 2000).subarray(0, 100));
    e.setFileStatus(cut, 'cancelled', 'read stopped after 100 of 900 bytes');
    const lost = e.openFile('run/events.out.tfevents.3');
    e.setFileStatus(lost, 'read_error', 'after 0 bytes: HTTP 404');
    assert.throws(() => e.setFileStatus(lost, 'ok', ''), TypeError);
    assert.throws(() => e.setFileStatus(99, 'cancelled', ''), RangeError);

    const files = e.files();
    assert.equal(files[id].status, 'ok');
    assert.equal(files[id].detail, '');
    assert.equal(files[cut].status, 'cancelled');
    assert.equal(files[cut].detail, 'read stopped after 100 of 900 bytes');
    assert.equal(
      files[cut].message,
      'run/events.out.tfevents.2: cancelled: read stopped after 100 of 900 bytes',
    );
    assert.equal(files[lost].status, 'read_error');
    assert.equal(
      files[lost].message,
      'run/events.out.tfevents.3: read error: after 0 bytes: HTTP 404',
    );

    const text = e.openFile('notes.txt');
    e.push(text, new TextEncoder().encode('just some notes, not an event file'));
    e.endOfData(text);
    const row = e.files()[text];
    assert.equal(row.status, 'not_event_file');
    assert.equal(row.message, `notes.txt: not an event file: ${row.detail}`);
    assert.match(row.detail, /text/);
  }));

// The Engine API of the wasm module in Node: discovery of runs from nested paths,
// tags, scalar queries and their reduction, copies that survive heap growth,
// detection of non-event files, and independence from chunk sizes.
import assert from 'node:assert/strict';
import test from 'node:test';

import {
  concat,
  encodeEvent,
  frameRecord,
  logFile,
  scalarEvents,
  syntheticScalarLog,
} from '../support/tfrecord.mjs';
import { loadModule } from './helpers.cjs';

// Opens each [path, bytes] in order, pushes it (in chunks of `chunk` bytes, or
// whole) and ends it. Returns the file ids.
function load(engine, entries, chunk = 0) {
  return entries.map(([p, bytes]) => {
    const id = engine.openFile(p);
    if (chunk > 0) {
      for (let o = 0; o < bytes.length; o += chunk) engine.push(id, bytes.subarray(o, o + chunk));
    } else {
      engine.push(id, bytes);
    }
    engine.endOfData(id);
    return id;
  });
}

// Runs `fn(engine)` with a fresh Engine, deleting it afterwards.
async function withEngine(fn) {
  const mod = await loadModule();
  const engine = new mod.Engine();
  try {
    return await fn(engine, mod);
  } finally {
    engine.delete();
  }
}

test('nested paths become runs; tags carry their metadata and ranges', () =>
  withEngine((e) => {
    load(e, [
      ['events.out.tfevents.1.host', logFile(scalarEvents('root/loss', 5))],
      ['a/events.out.tfevents.1.host', logFile(scalarEvents('loss', 10))],
      [
        'a/b/events.out.tfevents.1.host',
        logFile([
          ...scalarEvents('acc', 3, (i) => i / 10, { step0: 100 }),
          {
            wallTime: 1.8e9,
            step: 7,
            values: [
              {
                tag: 'lr',
                simpleValue: 0.5,
                metadata: {
                  plugin: 'scalars',
                  dataClass: 1,
                  displayName: 'learning rate',
                  description: 'the lr',
                },
              },
            ],
          },
        ]),
      ],
    ]);
    assert.deepEqual(e.runs(), ['.', 'a', 'a/b']);
    const files = e.files();
    assert.equal(files.length, 3);
    assert.deepEqual(
      files.map((f) => [f.id, f.run, f.status]),
      [
        [0, '.', 'ok'],
        [1, 'a', 'ok'],
        [2, 'a/b', 'ok'],
      ],
    );
    assert.equal(files[1].records, 11);
    assert.equal(files[1].fileVersion, 'brain.Event:2');
    assert.equal(files[1].firstWallTime, 1.7e9);
    assert.equal(files[1].bytes, logFile(scalarEvents('loss', 10)).length);
    for (const f of files) assert.equal(typeof f.path, 'string');

    const tags = e.tags();
    assert.deepEqual(
      tags.map((t) => `${t.run}|${t.tag}`),
      ['.|root/loss', 'a|loss', 'a/b|acc', 'a/b|lr'],
    );
    const acc = tags[2];
    assert.equal(acc.isScalar, true);
    assert.equal(acc.points, 3);
    assert.equal(acc.firstStep, 100);
    assert.equal(acc.lastStep, 102);
    assert.equal(acc.firstWallTime, 1.7e9);
    assert.equal(acc.lastWallTime, 1.7e9 + 2);
    assert.equal(acc.plugin, 'scalars'); // legacy simple_value: data compat assigns it
    assert.equal(acc.dataClass, 1);
    const lr = tags[3];
    assert.equal(lr.displayName, 'learning rate');
    assert.equal(lr.description, 'the lr');

    const full = e.scalarsFull('a', 'loss');
    assert.ok(full.step instanceof Float64Array);
    assert.deepEqual([...full.step], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(
      [...full.value],
      scalarEvents('loss', 10).map((ev) => Math.fround(ev.values[0].simpleValue)),
    );
    assert.equal(e.scalarsFull('a', 'nope'), null);
    assert.equal(e.scalars('nope', 'loss', {}), null);
    const stats = e.stats();
    assert.equal(stats.points, 5 + 10 + 3 + 1);
    assert.ok(stats.retainedBytes > 0);
  }));

test('scalars() reduces to at most 2*width+2 points and keeps spikes', () =>
  withEngine((e) => {
    const n = 20000;
    const spike = 12345;
    load(e, [
      [
        'run/events.out.tfevents.1.h',
        logFile(scalarEvents('y', n, (i) => (i === spike ? 1000 : Math.sin(i / 50)))),
      ],
    ]);
    for (const width of [1, 7, 100, 640]) {
      const r = e.scalars('run', 'y', { xAxis: 'step', width, smoothing: 0.6 });
      for (const k of ['x', 'step', 'wallTime', 'value', 'smoothed']) {
        assert.ok(r[k] instanceof Float64Array, k);
        assert.equal(r[k].length, r.x.length, k);
      }
      assert.ok(r.x.length <= 2 * width + 2, `width ${width}: ${r.x.length} points`);
      assert.ok(r.x.length >= Math.min(width, 2));
      for (let i = 1; i < r.x.length; i++) assert.ok(r.x[i] >= r.x[i - 1], 'x ascending');
      assert.equal(r.total, n);
      assert.ok([...r.value].includes(1000), `width ${width}: the spike survives`);
      assert.equal(r.yMax, 1000);
      assert.ok(r.p95 < 1000 && r.p05 > -1.01);
    }
    // A range: x0/x1 bound the output; null/undefined mean unbounded.
    const r = e.scalars('run', 'y', { xAxis: 'step', x0: 1000, x1: 1999, width: 50, smoothing: 0 });
    assert.equal(r.total, 1000);
    assert.ok(r.x.length <= 2 * 50 + 2);
    const inside = [...r.step].filter((s) => s >= 1000 && s <= 1999);
    assert.ok(inside.length >= 50);
    const all = e.scalars('run', 'y', { xAxis: 'step', x0: null, x1: undefined, width: 100000 });
    assert.equal(all.x.length, n);
    assert.deepEqual(all.value, e.scalarsFull('run', 'y').value);
    // Relative and wall-time axes.
    const rel = e.scalars('run', 'y', { xAxis: 'relative', width: 100000 });
    assert.equal(rel.x[0], 0);
    assert.equal(rel.x[n - 1], n - 1);
    const wall = e.scalars('run', 'y', { xAxis: 'wall', width: 100000 });
    assert.equal(wall.x[0], 1.7e9);
    assert.throws(() => e.scalars('run', 'y', { xAxis: 'sideways' }), TypeError);
  }));

test('typed arrays returned earlier survive heap growth', () =>
  withEngine((e, mod) => {
    load(e, [['small/events.out.tfevents.1.h', logFile(scalarEvents('y', 1000))]]);
    const before = e.scalars('small', 'y', { xAxis: 'step', width: 50, smoothing: 0.5 });
    const full = e.scalarsFull('small', 'y');
    const snapshot = JSON.stringify(
      [before, full].map((o) =>
        Object.fromEntries(
          Object.entries(o).map(([k, v]) => [k, ArrayBuffer.isView(v) ? [...v] : v]),
        ),
      ),
    );
    const heapBefore = mod.HEAPU8 ? mod.HEAPU8.buffer.byteLength : 0;

    // About 100 MB of events (3M points) in 4 MiB chunks: the heap must grow.
    const big = syntheticScalarLog(3000000, 'big');
    const id = e.openFile('big/events.out.tfevents.2.h');
    for (let o = 0; o < big.length; o += 4 << 20) e.push(id, big.subarray(o, o + (4 << 20)));
    e.endOfData(id);
    assert.equal(e.files()[id].status, 'ok');
    assert.equal(e.tags().find((t) => t.run === 'big').points, 3000000);
    const grown = e.stats().retainedBytes;
    e.shrink();
    assert.ok(e.stats().retainedBytes < grown, 'shrink() releases spare capacity');
    assert.ok(
      e.stats().retainedBytes <= 3000000 * 16 + (1 << 20),
      `${e.stats().retainedBytes} bytes for 3M points`,
    );
    const bigFull = e.scalarsFull('big', 'big');
    assert.equal(bigFull.value.length, 3000000);
    if (mod.HEAPU8) assert.ok(mod.HEAPU8.buffer.byteLength > heapBefore, 'heap grew');

    const after = JSON.stringify(
      [before, full].map((o) =>
        Object.fromEntries(
          Object.entries(o).map(([k, v]) => [k, ArrayBuffer.isView(v) ? [...v] : v]),
        ),
      ),
    );
    assert.equal(after, snapshot);
    assert.ok(before.x.buffer.byteLength > 0, 'not detached');
  }));

test('a non-event file is reported as not_event_file and the rest still loads', () =>
  withEngine((e) => {
    const text = new TextEncoder().encode(
      'hello, this is a text file and not an event file\n'.repeat(20),
    );
    const lfs = new TextEncoder().encode(
      'version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123\n',
    );
    load(e, [
      ['run/events.out.tfevents.1.notes', text],
      ['run/events.out.tfevents.2.lfs', lfs],
      ['run/events.out.tfevents.3.host', logFile(scalarEvents('loss', 4))],
      ['empty/events.out.tfevents.4.host', new Uint8Array(0)],
    ]);
    const files = e.files();
    assert.equal(files[0].status, 'not_event_file');
    assert.ok(files[0].message.length > 0, 'says what the file is');
    assert.equal(files[1].status, 'not_event_file');
    assert.match(files[1].message, /lfs/i);
    assert.equal(files[2].status, 'ok');
    assert.ok(['ok', 'not_event_file'].includes(files[3].status));
    assert.deepEqual(
      e
        .tags()
        .filter((t) => t.isScalar)
        .map((t) => `${t.run}|${t.tag}|${t.points}`),
      ['run|loss|4'],
    );
  }));

test('a file pushed one byte at a time equals one pushed whole', () =>
  withEngine(async (whole) => {
    const mod = await loadModule();
    const bytes = concat([
      logFile([...scalarEvents('a', 50), ...scalarEvents('b', 30, (i) => i * i, { step0: 10 })]),
      // A restart (steps going back), and a record with a bad payload CRC.
      frameRecord(
        encodeEvent({ wallTime: 1.9e9, step: 5, values: [{ tag: 'a', simpleValue: -1 }] }),
      ),
      (() => {
        const r = frameRecord(
          encodeEvent({ wallTime: 2e9, step: 6, values: [{ tag: 'a', simpleValue: 9 }] }),
        );
        r[r.length - 1] ^= 1;
        return r;
      })(),
      frameRecord(
        encodeEvent({ wallTime: 2.1e9, step: 7, values: [{ tag: 'a', simpleValue: 7 }] }),
      ),
      frameRecord(
        encodeEvent({ wallTime: 2.1e9, step: 7, values: [{ tag: 'a', simpleValue: 8 }] }),
      ).subarray(0, 20),
    ]);
    const bytewise = new mod.Engine();
    try {
      load(whole, [['r/events.out.tfevents.1.h', bytes]]);
      load(bytewise, [['r/events.out.tfevents.1.h', bytes]], 1);
      assert.deepEqual(bytewise.files(), whole.files());
      assert.equal(whole.files()[0].status, 'waiting');
      assert.equal(whole.files()[0].badCrc, 1);
      assert.deepEqual(bytewise.tags(), whole.tags());
      for (const tag of ['a', 'b']) {
        assert.deepEqual(bytewise.scalarsFull('r', tag), whole.scalarsFull('r', tag));
        const q = { xAxis: 'step', width: 10, smoothing: 0.3 };
        assert.deepEqual(bytewise.scalars('r', tag, q), whole.scalars('r', tag, q));
      }
      // The restart rule dropped steps >= 5 of tag a before appending step 5.
      assert.deepEqual([...whole.scalarsFull('r', 'a').step], [0, 1, 2, 3, 4, 5, 7]);
      // Resuming: the cut-off tail, completed by a later push, is read.
      const tail = frameRecord(
        encodeEvent({ wallTime: 2.1e9, step: 7, values: [{ tag: 'a', simpleValue: 8 }] }),
      );
      const id = whole.openFile('r/events.out.tfevents.1.h');
      assert.equal(id, 0);
      whole.push(id, tail.subarray(20));
      whole.endOfData(id);
      assert.equal(whole.files()[0].status, 'ok');
      assert.deepEqual([...whole.scalarsFull('r', 'a').value].slice(-2), [7, 8]);
    } finally {
      bytewise.delete();
    }
  }));

test('tags that are not valid UTF-8 come out repaired and can be queried', () =>
  withEngine((e) => {
    const badTag = Uint8Array.from([
      0x6c, 0xff, 0x6f, 0xc3, 0x28, 0xe2, 0x82, 0x73, 0xf0, 0x9f, 0x98, 0x80,
    ]);
    load(e, [
      [
        'u/events.out.tfevents.1.h',
        logFile([
          { wallTime: 1, step: 1, values: [{ tag: badTag, simpleValue: 3 }] },
          { wallTime: 2, step: 2, values: [{ tag: badTag, simpleValue: 4 }] },
        ]),
      ],
    ]);
    const expected = new TextDecoder().decode(badTag);
    const tags = e.tags();
    assert.equal(tags.length, 1);
    assert.equal(tags[0].tag, expected);
    assert.equal(tags[0].displayName, expected);
    const r = e.scalars('u', expected, { xAxis: 'step', width: 10, smoothing: 0 });
    assert.deepEqual([...r.value], [3, 4]);
  }));

test('lone surrogates and NULs in names survive the trip', () =>
  withEngine((e) => {
    // Embind's std::string conversion would pair \uD800 with the following '/'.
    const id = e.openFile('r\u0000x/\uD800/events.out.tfevents.1.h');
    e.push(id, logFile([{ wallTime: 1, step: 1, values: [{ tag: 'a\u0000b', simpleValue: 2 }] }]));
    e.endOfData(id);
    assert.deepEqual(e.runs(), ['r\u0000x/\uFFFD']);
    assert.equal(e.files()[0].path, 'r\u0000x/\uFFFD/events.out.tfevents.1.h');
    assert.deepEqual(
      e.tags().map((t) => t.tag),
      ['a\u0000b'],
    );
    assert.deepEqual([...e.scalars('r\u0000x/\uD800', 'a\u0000b', {}).value], [2]);
    assert.throws(() => e.openFile(42), TypeError);
  }));

test('push accepts ArrayBuffer and other views; bad ids throw', () =>
  withEngine((e) => {
    const bytes = logFile(scalarEvents('x', 3));
    const id = e.openFile('v/events.out.tfevents.1.h');
    const half = Math.floor(bytes.length / 2);
    e.push(id, bytes.slice(0, half).buffer);
    e.push(id, new DataView(bytes.buffer, half));
    e.endOfData(id);
    assert.equal(e.files()[id].status, 'ok');
    assert.equal(e.tags()[0].points, 3);
    assert.throws(() => e.push(99, bytes), RangeError);
    assert.throws(() => e.push(id, 'text'), TypeError);
    e.failFile(id, 'read error: gone');
    assert.equal(e.files()[id].message, 'read error: gone');
    assert.notEqual(e.files()[id].status, 'ok');
  }));

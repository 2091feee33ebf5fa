// Unit tests of the page/worker boundary, run with `node --test test/` in web/:
// the protocol's encoding and validation, the loader's path rules, and the
// DataClient driving the real worker handlers over a MessageChannel, against the
// fake engine (web/test/fake_engine.js), with forced tiny chunk sizes.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import './fake_engine.js';
import { DataClient } from '../src/engine/client.js';
import {
  applyRootRule,
  comparePaths,
  formatBytes,
  groupByRun,
  normalizePath,
  runOfPath,
  sortEntries,
} from '../src/sources/entries.js';
import { FilesSource, fileChunks } from '../src/sources/local.js';
import { parseManifest } from '../src/sources/manifest.js';
import { readSources } from '../src/sources/source.js';
import { streamChunks } from '../src/sources/url.js';
import {
  Ev,
  PROTOCOL_VERSION,
  Req,
  RpcClient,
  decode,
  encodeError,
  encodeEvent,
  encodeRequest,
  encodeResult,
  serveRpc,
  transferablesOf,
} from '../src/engine/protocol.js';
import { createHandlers } from '../src/engine/worker.js';
import {
  crc32c,
  eventFile,
  frameRecord,
  maskedCrc,
  scalarLog,
} from '../../tests/support/tfrecord.mjs';

/** Reads entries {path, file} through the one loader, as the page does. */
async function openFiles(client, entries) {
  const r = await readSources(client, [new FilesSource(entries)], new Map());
  return r.loaded;
}

// ---------------------------------------------------------------- protocol

test('requests, results, errors and events round-trip through decode', () => {
  const req = encodeRequest(7, Req.SCALARS, { run: 'a', tag: 'loss' });
  assert.deepEqual(decode(structuredClone(req)), {
    kind: 'req',
    id: 7,
    type: 'scalars',
    args: { run: 'a', tag: 'loss' },
  });
  assert.deepEqual(decode(encodeResult(7, [1, 2])), {
    kind: 'res',
    id: 7,
    ok: true,
    value: [1, 2],
  });
  const err = decode(encodeError(3, new RangeError('boom')));
  assert.equal(err.ok, false);
  assert.deepEqual(err.error, { name: 'RangeError', message: 'boom' });
  // Embind's C++ exceptions can arrive as bare numbers or strings.
  assert.equal(encodeError(4, 12345).error.message, '12345');
  assert.deepEqual(decode(encodeEvent(Ev.PROGRESS, { records: 5 })), {
    kind: 'event',
    type: 'progress',
    data: { records: 5 },
  });
});

test('malformed messages are refused', () => {
  assert.throws(() => encodeRequest(1, 'nope'), /unknown request type/);
  assert.throws(() => encodeRequest(0, Req.RUNS), /bad request id/);
  assert.throws(() => decode(null), /not an object/);
  assert.throws(() => decode({ kind: 'req', id: 1, type: 'rm -rf' }), /unknown request type/);
  assert.throws(() => decode({ kind: 'res', ok: true }), /without id/);
  assert.throws(() => decode({ kind: 'what' }), /unknown message kind/);
  assert.throws(() => encodeEvent('bogus', {}), /unknown event type/);
});

test('transferablesOf finds each distinct buffer once', () => {
  const a = new Float64Array(4);
  const shared = new ArrayBuffer(16);
  const v = {
    x: a,
    step: new Float64Array(shared, 0, 1),
    value: new Float64Array(shared, 8, 1),
    total: 3,
    nested: [new Uint8Array(2)],
  };
  const t = transferablesOf(v);
  assert.equal(t.length, 3);
  assert.ok(t.includes(a.buffer) && t.includes(shared));
  assert.deepEqual(transferablesOf(42), []);
  assert.deepEqual(transferablesOf(null), []);
});

test('RpcClient matches responses by id, and transfers typed arrays', async () => {
  const { port1, port2 } = new MessageChannel();
  const order = [];
  serveRpc(port2, {
    async [Req.INIT]() {
      await new Promise((r) => setTimeout(r, 20));
      order.push('init');
      return { fake: true };
    },
    [Req.RUNS]() {
      order.push('runs');
      return ['a'];
    },
    [Req.SCALARS_FULL]() {
      return {
        step: new Float64Array([1, 2]),
        wallTime: new Float64Array(2),
        value: new Float64Array([3, 4]),
      };
    },
    [Req.TAGS]() {
      throw new Error('no tags here');
    },
  });
  const events = [];
  const rpc = new RpcClient(port1, (type, data) => events.push([type, data]));
  // Handled strictly in order: runs waits for the slow init.
  const [init, runs] = await Promise.all([
    rpc.call(Req.INIT, { protocolVersion: PROTOCOL_VERSION }),
    rpc.call(Req.RUNS),
  ]);
  assert.deepEqual(
    init,
    { fake: true, protocolVersion: PROTOCOL_VERSION },
    "init answers with the worker's version",
  );
  assert.deepEqual(runs, ['a']);
  assert.deepEqual(order, ['init', 'runs']);
  const full = await rpc.call(Req.SCALARS_FULL);
  assert.ok(full.value instanceof Float64Array);
  assert.deepEqual([...full.value], [3, 4]);
  await assert.rejects(rpc.call(Req.TAGS), /no tags here/);
  await assert.rejects(rpc.call(Req.STATS), /no handler for stats/);
  assert.equal(rpc.inFlight, 0);
  port1.close();
});

test('the handshake checks the protocol version at both ends', async () => {
  // A worker refuses a page of another version, saying so.
  const { port1, port2 } = new MessageChannel();
  serveRpc(port2, {
    [Req.INIT]() {
      return { fake: true };
    },
  });
  const rpc = new RpcClient(port1);
  await assert.rejects(
    rpc.call(Req.INIT, { wasmUrl: 'x', protocolVersion: PROTOCOL_VERSION + 1 }),
    new RegExp(
      `protocol version mismatch: the page speaks version ${PROTOCOL_VERSION + 1}, the parser worker version ${PROTOCOL_VERSION}`,
    ),
  );
  await assert.rejects(
    rpc.call(Req.INIT, { wasmUrl: 'x' }),
    /protocol version mismatch: the page speaks version undefined/,
  );
  port1.close();
  // A page refuses a worker that answers init without its version (an older build).
  const old = new MessageChannel();
  old.port2.addEventListener('message', (e) => {
    if (e.data.type === Req.INIT)
      old.port2.postMessage({ kind: 'res', id: e.data.id, ok: true, value: { fake: true } });
  });
  old.port2.start();
  const client = new DataClient({ port: old.port1, wasmUrl: 'x' });
  let err = null;
  client.addEventListener('error', (e) => {
    err = e.detail.message;
  });
  await assert.rejects(
    client.ready,
    new RegExp(
      `protocol version mismatch: the page speaks version ${PROTOCOL_VERSION}, the parser worker version undefined`,
    ),
  );
  assert.match(err, /protocol version mismatch/, 'reported as the engine failing to start');
  old.port1.close();
  old.port2.close();
});

test('the push transfer list empties the sender buffer', async () => {
  const { port1, port2 } = new MessageChannel();
  let got = 0;
  serveRpc(port2, {
    [Req.PUSH]({ chunk }) {
      got = chunk.byteLength;
      return { records: 0 };
    },
  });
  const rpc = new RpcClient(port1);
  const buf = new Uint8Array(1000).buffer;
  await rpc.call(Req.PUSH, { id: 0, chunk: buf }, [buf]);
  assert.equal(got, 1000);
  assert.equal(buf.byteLength, 0, 'transferred, not copied');
  port1.close();
});

// ---------------------------------------------------------------- loader path rules

test('paths normalise, and never escape their root', () => {
  assert.equal(normalizePath('./a//b/./c'), 'a/b/c');
  assert.equal(normalizePath('a\\b\\c'), 'a/b/c');
  assert.equal(normalizePath('/abs/x'), 'abs/x');
  assert.equal(normalizePath('a/../b'), null);
  assert.equal(normalizePath(''), null);
});

test('runs are directories, "." for the root', () => {
  assert.equal(runOfPath('events.out.tfevents.1'), '.');
  assert.equal(runOfPath('train/events.out.tfevents.1'), 'train');
  assert.equal(runOfPath('a/b/c/events'), 'a/b/c');
  const g = groupByRun(['b/e2', 'a/e1', 'b/e1', 'x']);
  assert.deepEqual([...g.keys()], ['.', 'a', 'b']);
  assert.deepEqual(g.get('b'), ['b/e1', 'b/e2']);
});

test('entries sort in code-unit order (as the engine does), duplicates dropped', () => {
  const e = sortEntries([
    { path: 'run/events.2' },
    { path: 'Run/x' },
    { path: 'run/events.10' },
    { path: 'run/events.2', dup: 1 },
  ]);
  assert.deepEqual(
    e.map((x) => x.path),
    ['Run/x', 'run/events.10', 'run/events.2'],
  );
  assert.equal(e[2].dup, undefined, 'the first of duplicates is kept');
  assert.equal(comparePaths('a', 'b'), -1);
});

test('one dropped folder is the root; several roots keep their names', () => {
  const one = applyRootRule([
    { path: 'logs/train/e1' },
    { path: 'logs/eval/e1' },
    { path: 'logs/e0' },
  ]);
  assert.deepEqual(
    one.map((e) => e.path),
    ['e0', 'eval/e1', 'train/e1'],
  );
  const two = applyRootRule([{ path: 'logsA/e1' }, { path: 'logsB/train/e1' }]);
  assert.deepEqual(
    two.map((e) => e.path),
    ['logsA/e1', 'logsB/train/e1'],
  );
  const loose = applyRootRule([{ path: 'events.b' }, { path: 'events.a' }]);
  assert.deepEqual(
    loose.map((e) => e.path),
    ['events.a', 'events.b'],
  );
  const mixed = applyRootRule([{ path: 'logs/e1' }, { path: 'events.x' }]);
  assert.deepEqual(
    mixed.map((e) => e.path),
    ['events.x', 'logs/e1'],
  );
  const later = applyRootRule([{ path: 'logs/train/e1' }], { firstOpen: false });
  assert.deepEqual(
    later.map((e) => e.path),
    ['logs/train/e1'],
  );
  assert.deepEqual(applyRootRule([{ path: '../etc/passwd' }]), []);
});

test('a logdir listing (index.json) becomes url entries in path order', () => {
  const e = parseManifest(
    {
      files: [
        { path: 'b/x y', size: 3 },
        { path: 'a/e', size: 1 },
        { path: '../evil', size: 1 },
      ],
    },
    'http://h/logdir/index.json',
  ).files;
  assert.deepEqual(
    e.map((x) => [x.path, x.url, x.size]),
    [
      ['a/e', 'http://h/logdir/a/e', 1],
      ['b/x y', 'http://h/logdir/b/x%20y', 3],
    ],
  );
});

test('formatBytes', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1536), '1.5 KB');
  assert.equal(formatBytes(5 * 1024 * 1024), '5.0 MB');
  assert.equal(formatBytes(300 * 1024 * 1024), '300 MB');
});

// ---------------------------------------------------------------- TFRecord writer (test helper)

test('the test writer frames records as TensorFlow does', () => {
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  // The reference's first record (wall time 1599759586.0, "brain.Event:2").
  const rec = eventFile([{ wallTime: 1599759586.0, fileVersion: 'brain.Event:2' }]);
  const hex = Buffer.from(rec).toString('hex');
  assert.equal(hex.slice(0, 24), '1800000000000000a37f4b22');
  assert.equal(hex.slice(-8), '124b36ab');
  assert.equal(frameRecord(new Uint8Array(0)).length, 16);
  assert.equal(typeof maskedCrc(new Uint8Array(1)), 'number');
});

// ---------------------------------------------------------------- DataClient + worker handlers + fake engine

// The same client tests run against the fake engine and, when scripts/build_wasm.sh
// has built it, the real engine's Node flavour (build/wasm/tbview_node.cjs).
const require = createRequire(import.meta.url);
const NODE_WASM = fileURLToPath(new URL('../../build/wasm/tbview_node.cjs', import.meta.url));
const ENGINES = [['fake engine', () => globalThis.createTbviewModule()]];
if (existsSync(NODE_WASM)) ENGINES.push(['wasm engine', () => require(NODE_WASM)()]);
else if (process.env.TBVIEW_REQUIRE_WASM === '1')
  throw new Error(`${NODE_WASM} is missing: run scripts/build_wasm.sh`);
else
  test(
    'wasm engine: not built (scripts/build_wasm.sh), its client tests skipped',
    { skip: true },
    () => {},
  );

for (const [engineName, loadModule] of ENGINES) {
  function makeClient(opts = {}) {
    const { port1, port2 } = new MessageChannel();
    serveRpc(port2, createHandlers(loadModule));
    const client = new DataClient({ port: port1, wasmUrl: 'fake:', ...opts });
    return {
      client,
      close: () => {
        port1.close();
        port2.close();
      },
    };
  }

  test(`${engineName}: the engine itself reads a log split at every byte`, async () => {
    const { Engine } = await loadModule();
    const bytes = scalarLog({ tags: ['a', 'b'], steps: 5 });
    const eng = new Engine();
    const id = eng.openFile('run/events.out.tfevents.1');
    for (let i = 0; i < bytes.length; i++) eng.push(id, bytes.subarray(i, i + 1));
    eng.endOfData(id);
    const [f] = eng.files();
    assert.equal(f.status, 'ok');
    assert.equal(f.records, 6);
    assert.equal(f.fileVersion, 'brain.Event:2');
    assert.deepEqual(
      eng.tags().map((t) => [t.run, t.tag, t.points]),
      [
        ['run', 'a', 5],
        ['run', 'b', 5],
      ],
    );
  });

  test(`${engineName}: DataClient reads files in path order, in tiny chunks, and answers queries`, async () => {
    const { client, close } = makeClient({ chunkBytes: 7, changeIntervalMs: 0 });
    const progress = [];
    let changes = 0;
    client.addEventListener('progress', (e) => progress.push(e.detail));
    client.addEventListener('change', () => changes++);
    const idle = new Promise((r) => client.addEventListener('idle', r, { once: true }));
    // Two files of one run: steps 0..4 then 5..9. Given out of order on purpose:
    // read in name order they form one stream without a restart.
    const f1 = new Blob([scalarLog({ steps: 5 })]);
    const f2 = new Blob([scalarLog({ steps: 5, startStep: 5 })]);
    const notEvent = new Blob(['hello, this is a README\n']);
    const r = await openFiles(client, [
      { path: 'train/events.out.tfevents.2', file: f2 },
      { path: 'README.md', file: notEvent },
      { path: 'train/events.out.tfevents.1', file: f1 },
    ]);
    await idle;
    assert.deepEqual(r, { cancelled: false });
    assert.ok(client.idle);
    const files = await client.files();
    assert.deepEqual(
      files.map((f) => [f.path, f.status]),
      [
        ['README.md', 'not_event'],
        ['train/events.out.tfevents.1', 'ok'],
        ['train/events.out.tfevents.2', 'ok'],
      ],
    );
    assert.match(files[0].message, /text/);
    assert.equal(files[1].size, f1.size);
    assert.deepEqual(await client.runs(), ['train']);
    const tags = await client.tags();
    assert.deepEqual(
      tags.map((t) => [t.run, t.tag, t.points, t.firstStep, t.lastStep]),
      [['train', 'loss', 10, 0, 9]],
    );
    const full = await client.scalarsFull('train', 'loss');
    assert.deepEqual([...full.step], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const s = await client.scalars('train', 'loss', { xAxis: 'step', x0: 2, x1: 4, width: 100 });
    // The points in range, plus (real engine) the nearest one outside each end.
    assert.ok([2, 3, 4].every((x) => s.step.includes(x)));
    assert.ok([...s.step].every((x) => x >= 1 && x <= 5));
    assert.equal(s.total, 3);
    assert.ok(s.smoothed instanceof Float64Array);
    const last = progress[progress.length - 1];
    assert.equal(last.files, 3);
    assert.equal(last.filesDone, 3);
    assert.equal(last.bytes, f1.size + f2.size + notEvent.size);
    assert.equal(last.bytesDone, last.bytes);
    assert.equal(last.records, 12, 'two files of 6 records; the README has none');
    assert.ok(changes >= 2, 'change while loading and at the end');
    assert.equal(await client.scalars('train', 'nope'), null, 'not a scalar series');
    close();
  });

  test(`${engineName}: opening more while loading queues behind; cancel cuts the current file and skips the rest`, async () => {
    const { client, close } = makeClient({ chunkBytes: 64 });
    const big = new Blob([scalarLog({ steps: 2000 })]);
    let cancelledOnce = false;
    client.addEventListener('progress', (e) => {
      if (!cancelledOnce && e.detail.bytesDone >= 64 * 10) {
        cancelledOnce = true;
        client.cancel();
      }
    });
    const p1 = openFiles(client, [{ path: 'a/events.1', file: big }]);
    const p2 = openFiles(client, [{ path: 'b/events.1', file: new Blob([scalarLog()]) }]);
    const [r1, r2] = await Promise.all([p1, p2]);
    assert.deepEqual(r1, { cancelled: true });
    assert.deepEqual(r2, { cancelled: true });
    const files = await client.files();
    assert.equal(files.length, 2);
    assert.equal(files[0].status, 'cancelled', "the engine's 'corrupt', named for what happened");
    assert.match(files[0].message, /cancelled: read stopped after \d+ of \d+ bytes/);
    assert.ok(files[0].bytes < big.size);
    assert.ok(files[0].records > 0, 'what was read is kept');
    assert.deepEqual([files[1].path, files[1].status], ['b/events.1', 'cancelled']);
    assert.ok(client.progress.cancelled);
    // Opening again afterwards works, and the skipped file reads normally.
    await openFiles(client, [{ path: 'b/events.1', file: new Blob([scalarLog()]) }]);
    const after = await client.files();
    assert.deepEqual(
      after.map((f) => f.status),
      ['cancelled', 'ok'],
    );
    close();
  });

  test(`${engineName}: an empty file and a cut-off tail get their own statuses`, async () => {
    const { client, close } = makeClient({ chunkBytes: 5 });
    const full = scalarLog({ steps: 3 });
    await openFiles(client, [
      { path: 'r/empty', file: new Blob([]) },
      { path: 'r/growing', file: new Blob([full.subarray(0, full.length - 3)]) },
    ]);
    const files = await client.files();
    assert.deepEqual(
      files.map((f) => f.status),
      ['not_event', 'waiting'],
    );
    close();
  });
}

test('an engine that cannot load rejects opens with its message', async () => {
  const { port1, port2 } = new MessageChannel();
  serveRpc(
    port2,
    createHandlers(async () => {
      throw new Error('wasm missing');
    }),
  );
  const client = new DataClient({ port: port1, wasmUrl: 'x' });
  let err = null;
  client.addEventListener('error', (e) => {
    err = e.detail.message;
  });
  await assert.rejects(client.ready, /wasm missing/);
  assert.equal(err, 'wasm missing');
  await assert.rejects(openFiles(client, [{ path: 'a', file: new Blob(['x']) }]), /wasm missing/);
  port1.close();
});

test('file and stream chunkers', async () => {
  const blob = new Blob([new Uint8Array(10)]);
  const sizes = [];
  for await (const { chunk, last } of fileChunks(blob, 0, { chunkBytes: 4 }))
    sizes.push([chunk.byteLength, last]);
  assert.deepEqual(sizes, [
    [4, false],
    [4, false],
    [2, false],
  ]);
  const from = [];
  for await (const { chunk } of fileChunks(blob, 7, { chunkBytes: 4 })) from.push(chunk.byteLength);
  assert.deepEqual(from, [3], 'from an offset');
  const stream = new ReadableStream({
    start(c) {
      for (let i = 0; i < 5; i++) c.enqueue(new Uint8Array(3));
      c.close();
    },
  });
  const got = [];
  for await (const { chunk } of streamChunks(stream, 7)) got.push(chunk.byteLength);
  assert.deepEqual(got, [9, 6]);
});

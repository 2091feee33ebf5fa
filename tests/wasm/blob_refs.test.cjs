'use strict';
// Images and audio kept by reference (ARCHITECTURE.md; wasm/core/blob_refs.h): for a
// plain file the Engine answers blob()/tensor() with {fileId, offset, length}
// that the page resolves from its File or URL, and its heap does not hold the
// encoded bytes; an archive member's blobs cannot be read again, so they come
// back as bytes. On the demo log set (`tbview demo`), which also prints the
// memory figures of the two ways.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { execFileSync } = require('node:child_process');
const { loadModule } = require('./helpers.cjs');

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'build', 'native', 'tbview');
const RUN = 'lr=0.1,batch=32/train';
const PNG_MAGIC = [137, 80, 78, 71, 13, 10, 26, 10];

function walk(dir, base = dir, out = []) {
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isDirectory()) walk(p, base, out);
    else
      out.push([
        path.relative(base, p).split(path.sep).join('/'),
        new Uint8Array(fs.readFileSync(p)),
      ]);
  }
  return out;
}

let files; // [relative path, bytes] of the demo log set
let plain; // Engine with every file opened as a plain file
let archived; // Engine with every file opened as a .gz (an archive member)
const sources = new Map(); // plain's file id -> bytes

test.before(async () => {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: build it with scripts/build.sh`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tbview-blobref-'));
  execFileSync(CLI, ['demo', dir]);
  files = walk(dir);
  fs.rmSync(dir, { recursive: true, force: true });
  const mod = await loadModule();
  plain = new mod.Engine();
  archived = new mod.Engine();
  for (const [rel, bytes] of files) {
    const id = plain.openFile(rel);
    sources.set(id, bytes);
    // Pushed in small pieces: payloads that straddle pushes are read from the
    // reader's carry buffer, and must get file offsets all the same.
    for (let o = 0; o < bytes.length; o += 1000) plain.push(id, bytes.subarray(o, o + 1000));
    plain.endOfData(id);
    const gz = archived.openFile(`${rel}.gz`);
    archived.push(gz, new Uint8Array(zlib.gzipSync(bytes)));
    archived.endOfData(gz);
  }
});
test.after(() => {
  if (plain) plain.delete();
  if (archived) archived.delete();
});

const fileIdOf = (engine, p) => engine.files().find((f) => f.path === p).id;

test('a plain file: blob() is a reference to the logged bytes in the file', () => {
  const steps = plain.tensorSteps(RUN, 'samples/blob');
  assert.equal(steps.step.length, 10);
  const trainFile = files.find(([rel]) => rel.startsWith(`${RUN}/`))[0];
  for (let i = 0; i < 10; i++) {
    const ref = plain.blob(RUN, 'samples/blob', i, 2);
    assert.ok(!(ref instanceof Uint8Array), 'not copied out of the heap');
    assert.deepEqual(Object.keys(ref).sort(), ['fileId', 'length', 'offset']);
    assert.equal(ref.fileId, fileIdOf(plain, trainFile));
    const file = sources.get(ref.fileId);
    assert.ok(ref.offset > 0 && ref.offset + ref.length <= file.length);
    const png = file.subarray(ref.offset, ref.offset + ref.length);
    assert.deepEqual(Array.from(png.subarray(0, 8)), PNG_MAGIC);
    // The same bytes the archive member keeps in memory.
    const kept = archived.blob(RUN, 'samples/blob', i, 2);
    assert.ok(kept instanceof Uint8Array);
    assert.deepEqual(png, kept);
    // The bytes right before the PNG are its protobuf length (a varint): the
    // reference starts exactly at the field's contents.
    assert.equal(file[ref.offset - 1] & 0x80, 0);
  }
  // Small strings (the image's width and height) are bytes in both.
  const w = plain.blob(RUN, 'samples/blob', 0, 0);
  assert.ok(w instanceof Uint8Array);
  assert.equal(new TextDecoder().decode(w), '64');
  assert.equal(plain.blob(RUN, 'samples/blob', 0, 3), null);
});

test('tensor(): null strings with refs beside them; archive members have no refs', () => {
  const t = plain.tensor(RUN, 'samples/blob', 4);
  assert.equal(t.strings.length, 3);
  assert.equal(new TextDecoder().decode(t.strings[1]), '48');
  assert.equal(t.strings[2], null);
  assert.equal(t.refs.length, 3);
  assert.equal(t.refs[0], null);
  assert.deepEqual(t.refs[2], plain.blob(RUN, 'samples/blob', 4, 2));
  const a = archived.tensor(RUN, 'samples/blob', 4);
  assert.equal(a.refs, null);
  assert.ok(a.strings[2] instanceof Uint8Array);
  // Audio clips too.
  const clip = plain.tensor(RUN, 'audio/tone', 0);
  assert.ok(clip.refs[0]);
  const r = clip.refs[0];
  const wav = sources.get(r.fileId).subarray(r.offset, r.offset + r.length);
  assert.equal(new TextDecoder().decode(wav.subarray(0, 4)), 'RIFF');
  assert.deepEqual(wav, archived.tensor(RUN, 'audio/tone', 0).strings[0]);
  // Text is not a blob: its strings stay bytes.
  assert.equal(plain.tensor(RUN, 'notes/config', 0).refs, null);
});

test('the heap does not hold the images and clips of plain files (memory figures)', () => {
  plain.shrink();
  archived.shrink();
  const p = plain.stats();
  const a = archived.stats();
  console.log(
    `demo logs: retained bytes ${a.retainedBytes} with blobs held (archive members) -> ${p.retainedBytes} ` +
      `by reference; blobs ${p.blobsByReference} (${p.blobBytesByReference} bytes) kept by reference`,
  );
  assert.equal(p.points, a.points);
  assert.equal(p.blobsHeld, 0);
  assert.equal(p.blobBytesHeld, 0);
  assert.ok(p.blobsByReference >= 80, `${p.blobsByReference} blobs by reference`);
  assert.equal(a.blobsByReference, 0);
  assert.equal(a.blobsHeld, p.blobsByReference);
  assert.equal(a.blobBytesHeld, p.blobBytesByReference);
  assert.ok(
    a.retainedBytes - p.retainedBytes >= 0.9 * p.blobBytesByReference,
    'the references save about the blob bytes',
  );
});

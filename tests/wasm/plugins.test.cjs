'use strict';
// The Engine's tensor and plugin queries (what the Images, Audio, Text,
// Histograms, Distributions, PR curves, HParams and Custom scalars dashboards
// read), on the demo log set written by the project's own writer
// (`tbview demo`, the native CLI built before this stage by scripts/test.sh).

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { loadModule } = require('./helpers.cjs');

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'build', 'native', 'tbview');

function walk(dir, base = dir, out = []) {
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isDirectory()) walk(p, base, out);
    else out.push([path.relative(base, p).split(path.sep).join('/'), p]);
  }
  return out;
}

let engine;
// File id -> the file's bytes: images and clips of plain files come back as
// {fileId, offset, length} references (blob_refs.test.cjs), read here.
const sources = new Map();
const bytesOf = (b) =>
  b instanceof Uint8Array ? b : sources.get(b.fileId).subarray(b.offset, b.offset + b.length);
test.before(async () => {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: build it with scripts/build.sh`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tbview-demo-'));
  execFileSync(CLI, ['demo', dir]);
  const mod = await loadModule();
  engine = new mod.Engine();
  for (const [rel, p] of walk(dir)) {
    const id = engine.openFile(rel);
    const bytes = new Uint8Array(fs.readFileSync(p)); // a plain Uint8Array, as blob() gives
    sources.set(id, bytes);
    engine.push(id, bytes);
    engine.endOfData(id);
  }
  fs.rmSync(dir, { recursive: true, force: true });
});
test.after(() => engine && engine.delete());

const RUN = 'lr=0.1,batch=32/train';

test('images: every step listed, blobs are the logged PNGs', () => {
  const steps = engine.tensorSteps(RUN, 'samples/blob');
  assert.deepEqual(Array.from(steps.step), [0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
  assert.ok(steps.count instanceof Uint32Array);
  assert.deepEqual(Array.from(steps.count), new Array(10).fill(1));
  const t = engine.tensor(RUN, 'samples/blob', 3);
  assert.equal(t.step, 300);
  assert.equal(t.dtype, 'object');
  assert.deepEqual(t.shape, [3]);
  assert.equal(new TextDecoder().decode(t.strings[0]), '64');
  assert.equal(new TextDecoder().decode(t.strings[1]), '48');
  const png = bytesOf(engine.blob(RUN, 'samples/blob', 3, 2));
  assert.deepEqual(Array.from(png.subarray(0, 8)), [137, 80, 78, 71, 13, 10, 26, 10]);
  assert.deepEqual(png, bytesOf(t.strings[2] || t.refs[2]));
  assert.equal(engine.blob(RUN, 'samples/blob', 3, 3), null, 'element out of range');
  assert.equal(engine.blob(RUN, 'samples/blob', 99, 2), null, 'index out of range');
  assert.equal(engine.tensor(RUN, 'no such tag', 0), null);
});

test('audio: a WAV clip per step', () => {
  const steps = engine.tensorSteps(RUN, 'audio/tone');
  assert.equal(steps.step.length, 10);
  const clip = bytesOf(engine.blob(RUN, 'audio/tone', 0, 0));
  assert.equal(new TextDecoder().decode(clip.subarray(0, 4)), 'RIFF');
  assert.equal(new TextDecoder().decode(clip.subarray(8, 12)), 'WAVE');
});

test('histograms: all points at once, columnar, [k, 3] each', () => {
  const h = engine.tensors(RUN, 'weights/dense1');
  assert.equal(h.step.length, 20);
  assert.equal(h.offsets.length, 21);
  assert.equal(h.offsets[20], h.numbers.length);
  for (let i = 0; i < 20; i++) {
    const [k, three] = h.shapes[i];
    assert.equal(three, 3);
    assert.equal(h.offsets[i + 1] - h.offsets[i], k * 3);
    let count = 0;
    for (let j = h.offsets[i] + 2; j < h.offsets[i + 1]; j += 3) count += h.numbers[j];
    assert.equal(count, 2000, 'every sample is in some bucket');
  }
});

test('PR curves: [6, n] tensors', () => {
  const pr = engine.tensors(RUN, 'pr/positive');
  assert.deepEqual(pr.shapes[0], [6, 21]);
  assert.equal(pr.numbers.length, 10 * 6 * 21);
});

test('text: the Markdown string', () => {
  const t = engine.tensor(RUN, 'notes/config', 0);
  assert.match(new TextDecoder().decode(t.strings[0]), /^## Demo run/);
  const table = engine.tensor(RUN, 'notes/table', 0);
  assert.deepEqual(table.shape, [3, 2]);
});

test('hparams: experiment, one session per sweep member with eval metrics', () => {
  const hp = engine.hparams();
  assert.equal(hp.experiment.inferred, false);
  assert.deepEqual(hp.experiment.hparamInfos.map((h) => h.name).sort(), ['batch', 'lr']);
  assert.deepEqual(
    hp.experiment.metricInfos.map((m) => m.key),
    ['eval/loss', 'eval/accuracy'],
  );
  assert.equal(hp.sessions.length, 4);
  const s = hp.sessions.find((x) => x.run === 'lr=0.1,batch=32');
  assert.equal(s.hparams.lr, 0.1);
  assert.equal(s.hparams.batch, 32);
  assert.equal(s.status, 'success');
  assert.equal(s.metrics['eval/loss'].run, 'lr=0.1,batch=32/eval');
  assert.equal(s.metrics['eval/loss'].count, 21);
  assert.equal(s.metrics['eval/loss'].step, 1000);
  assert.deepEqual(hp.errors, []);
});

test('custom scalars: the logged layout', () => {
  const cs = engine.customScalars();
  assert.equal(cs.length, 1);
  assert.equal(cs[0].title, 'Training');
  // A chart has both keys; the kind it is not is null.
  assert.deepEqual(cs[0].charts[0], {
    title: 'losses',
    multiline: { tags: ['loss.*'] },
    margin: null,
  });
  assert.deepEqual(cs[0].charts[1].margin.series[0], {
    value: 'accuracy',
    lower: 'accuracy/lower',
    upper: 'accuracy/upper',
  });
});

test('the restart rule applies to the preempted demo run', () => {
  // lr=0.01,batch=32 restarted from step 600 after reaching 699: 1000 points, not 1100.
  const full = engine.scalarsFull('lr=0.01,batch=32/train', 'loss');
  assert.equal(full.step.length, 1000);
  for (let i = 1; i < full.step.length; i++) assert.ok(full.step[i] > full.step[i - 1]);
});

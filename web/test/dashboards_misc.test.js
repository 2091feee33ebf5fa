// node --test: small pure pieces of the dashboards: sanitizer policy, text tables,
// audio clip layout, PR curve rows, custom scalar regexes, runs table sorting, ticks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isSafeImageSrc,
  isSafeHref,
  PURIFY_CONFIG,
  FORBID_TAGS,
  ALLOWED_TAGS,
  ALLOWED_ATTR,
} from '../src/ui/markdown.js';
import { audioClips } from '../src/dashboards/audio/audio.js';
import { bandsOf } from '../src/dashboards/distributions/distributions.js';
import { layoutRegex, matchTags } from '../src/dashboards/custom_scalars/custom_scalars.js';
import { sortRows, defaultTag } from '../src/dashboards/runs_table/runs_table.js';
import { niceTicks, padDomain } from '../src/ui/plot.js';
import { byTag, pluginEntries, regexOf } from '../src/ui/base.js';
import { groupName } from '../src/ui/tag_groups.js';

const enc = (s) => new TextEncoder().encode(s);

test('sanitizer policy: only data:image (not SVG) and blob: image sources', () => {
  assert.ok(isSafeImageSrc('data:image/png;base64,AAAA'));
  assert.ok(isSafeImageSrc('blob:http://localhost/1234'));
  assert.ok(isSafeImageSrc(' DATA:image/jpeg;base64,AA'));
  for (const bad of [
    'http://evil.example/x.png',
    '//evil.example/x.png',
    'x',
    '',
    'data:image/svg+xml;base64,PHN2Zz4=',
    'data:text/html,<script>',
    'javascript:alert(1)',
    'https://a/b.png',
  ])
    assert.ok(!isSafeImageSrc(bad), bad);
});

test('sanitizer policy: links only http(s), mailto and fragments', () => {
  for (const ok of ['https://example.com', 'http://x', 'mailto:a@b', '#sec'])
    assert.ok(isSafeHref(ok), ok);
  for (const bad of [
    'javascript:alert(1)',
    ' javascript:x',
    'data:text/html,x',
    'vbscript:x',
    'file:///etc/passwd',
  ])
    assert.ok(!isSafeHref(bad), bad);
});

test('sanitizer config forbids active and loading elements and attributes', () => {
  for (const t of [
    'script',
    'style',
    'iframe',
    'form',
    'object',
    'embed',
    'link',
    'meta',
    'base',
    'svg',
    'math',
    'video',
    'audio',
    'template',
  ]) {
    assert.ok(FORBID_TAGS.includes(t), t);
    assert.ok(!ALLOWED_TAGS.includes(t), t);
  }
  for (const a of ['style', 'srcset', 'id', 'name', 'action', 'formaction', 'poster', 'background'])
    assert.ok(!ALLOWED_ATTR.includes(a), a);
  assert.ok(!ALLOWED_ATTR.some((a) => a.startsWith('on')));
  assert.equal(PURIFY_CONFIG.ALLOW_DATA_ATTR, false);
  assert.equal(PURIFY_CONFIG.ALLOW_UNKNOWN_PROTOCOLS, false);
});

test('audioClips: [k, 2] pairs and legacy single strings', () => {
  const w = enc('RIFF');
  const l = enc('a label');
  const two = audioClips({ shape: [2, 2], strings: [w, l, w, enc('')] });
  assert.equal(two.length, 2);
  assert.equal(two[0].label, 'a label');
  assert.equal(two[1].label, '');
  assert.equal(two[1].bytes, w);
  assert.equal(audioClips({ shape: [], strings: [w] }).length, 1);
  assert.equal(audioClips({ shape: [1], strings: [w] })[0].label, '');
});

// The engine computes the nine values (tests/wasm/plugin_views.test.cjs); the
// page only reshapes them into bands for drawing.
test("bandsOf reshapes the engine's basis points into nine bands over steps", () => {
  const d = bandsOf({
    step: Float64Array.of(0, 10),
    wallTime: Float64Array.of(1, 2),
    basisPoints: Float64Array.from({ length: 18 }, (_, i) => i),
  });
  assert.deepEqual(d.step, [0, 10]);
  assert.equal(d.bands.length, 9);
  assert.deepEqual(d.bands[0], [0, 9]);
  assert.deepEqual(d.bands[8], [8, 17]);
  assert.deepEqual(bandsOf({ step: [], wallTime: [], basisPoints: [] }).bands.length, 9);
});

test('custom scalar regexes match from the start, as Python re.match', () => {
  assert.deepEqual(matchTags(['loss/.*'], ['loss/train', 'val/loss/x', 'loss']), ['loss/train']);
  assert.deepEqual(matchTags(['acc', 'f1$'], ['accuracy', 'val_acc', 'f1', 'f1x']), [
    'accuracy',
    'f1',
  ]);
  assert.equal(layoutRegex('('), null);
  assert.deepEqual(matchTags(['(', 'a'], ['a']), ['a'], 'a bad regex is ignored');
});

test('runs table: sortRows keeps missing values last; defaultTag prefers a loss', () => {
  const rows = [
    { run: 'b', last: 2 },
    { run: 'a', last: null },
    { run: 'c', last: 1 },
    { run: 'run10', last: NaN },
    { run: 'run9', last: 3 },
  ];
  assert.deepEqual(
    sortRows(rows, 'last', 'asc').map((r) => r.run),
    ['c', 'b', 'run9', 'a', 'run10'],
  );
  assert.deepEqual(
    sortRows(rows, 'last', 'desc').map((r) => r.run),
    ['run9', 'b', 'c', 'a', 'run10'],
  );
  assert.deepEqual(
    sortRows(rows, 'run', 'asc').map((r) => r.run),
    ['a', 'b', 'c', 'run9', 'run10'],
  );
  assert.equal(
    defaultTag([{ tag: 'acc' }, { tag: 'train/loss' }, { tag: 'zloss_aux' }]),
    'train/loss',
  );
  assert.equal(defaultTag([{ tag: 'b' }, { tag: 'a' }, { tag: 'b' }]), 'b');
  assert.equal(defaultTag([]), null);
});

test('niceTicks and padDomain', () => {
  assert.deepEqual(niceTicks(0, 10, 5), [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1]);
  assert.deepEqual(niceTicks(3, 3), [3]);
  assert.deepEqual(padDomain(1, 1), [0.9, 1.1]);
  assert.deepEqual(padDomain(0, 0), [-1, 1]);
});

test('grouping helpers', () => {
  // One grouping for every dashboard (ui/tag_groups.js); the card grids' own
  // twin put "/x" in a group "/x", TensorBoard's categorizeByPrefix says "".
  assert.equal(groupName('loss/train'), 'loss');
  assert.equal(groupName('loss'), 'loss');
  assert.equal(groupName('/x'), '');
  const g = byTag([
    { tag: 'a', run: 'r1', points: 1, lastStep: 1 },
    { tag: 'a', run: 'r2', points: 2, lastStep: 2 },
    { tag: 'b', run: 'r1', points: 1, lastStep: 1 },
  ]);
  assert.deepEqual(
    g.map((t) => [t.tag, t.runs]),
    [
      ['a', ['r1', 'r2']],
      ['b', ['r1']],
    ],
  );
  assert.notEqual(g[0].sig, byTag([{ tag: 'a', run: 'r1', points: 2, lastStep: 1 }])[0].sig);
  assert.ok(regexOf('LOSS').test('loss'));
  assert.ok(regexOf('(').test('anything'), 'an invalid filter matches all');
});

test('card-grid entries sort tags and runs in natural order, as Scalars does', () => {
  // The card grids sorted by code units (layer10 before layer2) where Scalars
  // and TensorBoard sort naturally; now one order.
  const tags = [
    { run: 'run10', tag: 'layer10/w', plugin: 'histograms' },
    { run: 'run2', tag: 'layer10/w', plugin: 'histograms' },
    { run: 'run1', tag: 'layer2/w', plugin: 'histograms' },
    { run: 'run1', tag: 'other', plugin: 'images' },
  ];
  const ctx = { state: { hiddenRuns: [], runFilter: '', tagFilter: '' } };
  assert.deepEqual(
    pluginEntries(tags, 'histograms', ctx).map((e) => `${e.tag} ${e.run}`),
    ['layer2/w run1', 'layer10/w run2', 'layer10/w run10'],
  );
});

test('one number formatter for every dashboard: numbers, and hparam booleans and strings as themselves', async () => {
  const { formatValue, formatStep, formatDuration } = await import('../src/ui/format.js');
  assert.equal(formatValue(0.123456), '0.1235');
  assert.equal(formatValue(1234567), '1.235e+6');
  assert.equal(formatValue(NaN), 'NaN');
  assert.equal(formatValue(-Infinity), '-∞');
  assert.equal(formatValue(true), 'true');
  assert.equal(formatValue('adam'), 'adam');
  assert.equal(formatValue(null), '');
  assert.equal(formatStep(12345.4), '12,345');
  assert.equal(formatDuration(-75), '-1 min 15 s');
});

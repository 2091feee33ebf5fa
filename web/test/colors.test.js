// Run colours: stable across loads, distinct among the runs on screen.
import test from 'node:test';
import assert from 'node:assert/strict';
import { PALETTE, assignColors, colorForRun, hashString, ColorAssigner } from '../src/ui/colors.js';

test('palette entries are distinct hex colours', () => {
  assert.equal(new Set(PALETTE).size, PALETTE.length);
  for (const c of PALETTE) assert.match(c, /^#[0-9a-f]{6}$/);
});

test('hash is a fixed function (same value on every load)', () => {
  assert.equal(hashString(''), 0x811c9dc5);
  assert.equal(hashString('a'), 0xe40c292c); // FNV-1a test vector
  assert.equal(hashString('foobar'), 0xbf9cf968);
  assert.equal(colorForRun('train'), colorForRun('train'));
});

test('assignment is deterministic and independent of input order', () => {
  const runs = Array.from({ length: 15 }, (_, i) => `run_${i}/seed_${i * 7}`);
  const a = assignColors(runs);
  const b = assignColors([...runs].reverse());
  for (const r of runs) assert.equal(a.get(r), b.get(r));
});

test('distinct colours while the palette has room', () => {
  for (const n of [2, 5, 10, PALETTE.length]) {
    const runs = Array.from({ length: n }, (_, i) => `exp${i}`);
    const m = assignColors(runs);
    assert.equal(new Set(m.values()).size, n, `n=${n}`);
  }
});

test('beyond the palette, colours are reused evenly', () => {
  const runs = Array.from({ length: PALETTE.length * 2 }, (_, i) => `r${i}`);
  const counts = new Map();
  for (const c of assignColors(runs).values()) counts.set(c, (counts.get(c) || 0) + 1);
  for (const v of counts.values()) assert.equal(v, 2);
});

test('a run without a clash gets its preferred colour', () => {
  assert.equal(assignColors(['only']).get('only'), colorForRun('only'));
});

test('ColorAssigner keeps colours of known runs when new runs arrive', () => {
  const ca = new ColorAssigner();
  ca.update(['b', 'c']);
  const before = [ca.get('b'), ca.get('c')];
  ca.update(['a', 'b', 'c', 'd', 'e']);
  assert.deepEqual([ca.get('b'), ca.get('c')], before);
  assert.equal(new Set(['a', 'b', 'c', 'd', 'e'].map((r) => ca.get(r))).size, 5);
});

test('up to ten runs never share a hue family', async () => {
  const { FAMILIES } = await import('../src/ui/colors.js');
  for (let seed = 0; seed < 50; seed++) {
    const runs = Array.from({ length: FAMILIES }, (_, i) => `s${seed}_run${i}`);
    const fams = new Set(
      [...assignColors(runs).values()].map((c) => PALETTE.indexOf(c) % FAMILIES),
    );
    assert.equal(fams.size, FAMILIES);
  }
});

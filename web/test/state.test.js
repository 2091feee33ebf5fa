// View state <-> URL: round trips, defaults omitted, foreign params kept.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  ViewStateStore,
  compileFilter,
  decodeState,
  defaultState,
  encodeState,
} from '../src/shell/state.js';

test('defaults encode to an empty query', () => {
  assert.equal(encodeState(defaultState()).toString(), '');
  assert.deepEqual(decodeState(''), defaultState());
});

test('round trip of a full state, awkward names included', () => {
  const s = {
    smoothing: 0.95,
    xAxis: 'relative',
    yScale: 'log',
    ignoreOutliers: false,
    runFilter: 'seed_[12]|^base$',
    tagFilter: 'loss/.*(eval|train)',
    hiddenRuns: ['run,with,commas', 'a b/c&d=e', 'ünïcødé'],
    pinned: ['metrics/f1', 'loss/train'],
    expanded: ['lr'],
    collapsed: ['grad_norm', 'x?y#z'],
  };
  const q = encodeState(s).toString();
  assert.deepEqual(decodeState(q), s);
  assert.deepEqual(decodeState(`?${q}`), s);
});

test('pin order is preserved', () => {
  const s = { ...defaultState(), pinned: ['z', 'a', 'm'] };
  assert.deepEqual(decodeState(encodeState(s).toString()).pinned, ['z', 'a', 'm']);
});

test('other parameters survive encoding', () => {
  const q = encodeState(
    { ...defaultState(), smoothing: 0.9 },
    '?logdir=https%3A%2F%2Fx%2Flogs&tab=scalars&smoothing=0.1',
  );
  assert.equal(q.get('logdir'), 'https://x/logs');
  assert.equal(q.get('tab'), 'scalars');
  assert.deepEqual(q.getAll('smoothing'), ['0.9']);
});

test('malformed values fall back to defaults', () => {
  const s = decodeState('smoothing=banana&x=sideways&y=cubic&outliers=maybe');
  assert.equal(s.smoothing, 0.6);
  assert.equal(s.xAxis, 'step');
  assert.equal(s.yScale, 'linear');
  assert.equal(s.ignoreOutliers, true);
  assert.equal(decodeState('smoothing=5').smoothing, 0.999);
  assert.equal(decodeState('smoothing=-1').smoothing, 0);
  assert.equal(decodeState('smoothing=0.12345').smoothing, 0.123);
  assert.equal(decodeState('outliers=0').ignoreOutliers, false);
});

test('compileFilter: case-insensitive, invalid gives null', () => {
  assert.ok(compileFilter('LOSS').test('train/loss'));
  assert.equal(compileFilter('('), null);
  assert.ok(compileFilter('').test('anything'));
});

function fakeEnv(search) {
  const env = {
    location: { pathname: '/app/', search, hash: '#scalars' },
    history: {
      state: null,
      calls: 0,
      replaceState(_s, _t, url) {
        this.calls++;
        const u = new URL(url, 'http://h');
        env.location.search = u.search;
        env.location.hash = u.hash;
        env.location.pathname = u.pathname;
      },
    },
  };
  return env;
}

test('store: update writes the URL with replaceState and fires change', () => {
  const env = fakeEnv('?logdir=demo');
  const store = new ViewStateStore(env);
  const seen = [];
  store.addEventListener('change', (e) => seen.push(e.detail));
  store.update({ smoothing: 0.8, xAxis: 'wall' });
  assert.deepEqual(seen, [['smoothing', 'xAxis']]);
  assert.equal(env.location.search, '?logdir=demo&smoothing=0.8&x=wall');
  assert.equal(env.location.hash, '#scalars');
  store.update({ smoothing: 0.8 }); // no-op
  assert.equal(env.history.calls, 1);
  store.toggle('pinned', 'loss');
  store.toggle('pinned', 'acc');
  store.toggle('pinned', 'loss');
  assert.deepEqual(store.get().pinned, ['acc']);
  // A reload reads the same state back.
  const again = new ViewStateStore(env);
  assert.deepEqual(again.get(), store.get());
});

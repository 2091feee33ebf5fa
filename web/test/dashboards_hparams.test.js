// node --test: the HParams table model (src/dashboards/hparams/hparams_model.js): columns,
// cell values, sorting and filtering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  hparamsColumns,
  cellValue,
  sortSessions,
  filterSessions,
  compareValues,
  metricGoal,
  metricKey,
  distinctValues,
  numericExtent,
} from '../src/dashboards/hparams/hparams_model.js';
import { columnScale } from '../src/dashboards/hparams/hparams_plots.js';

const m = (last, min, max) => ({ last, min, max, step: 9, count: 10 });
const S = [
  {
    run: 'a',
    status: 'success',
    hparams: { lr: 0.01, opt: 'adam', bn: true },
    metrics: { 'val/acc': m(0.9, 0.5, 0.92), loss: m(0.3, 0.25, 2) },
  },
  {
    run: 'b',
    status: 'failure',
    hparams: { lr: 0.1, opt: 'sgd', bn: false },
    metrics: { 'val/acc': m(0.7, 0.4, 0.75) },
  },
  {
    run: 'c',
    status: 'success',
    hparams: { lr: 0.001, opt: 'adam' },
    metrics: { 'val/acc': m(0.8, 0.3, 0.85), loss: m(0.5, 0.4, 2.2) },
  },
  {
    run: 'd10',
    status: 'running',
    hparams: { lr: 0.01, opt: 'rmsprop', bn: true, extra: 'x' },
    metrics: {},
  },
  {
    run: 'd9',
    status: 'unknown',
    hparams: { lr: NaN, opt: 'Adam', bn: false },
    metrics: { loss: m(0.2, 0.1, 1) },
  },
];
const EXP = {
  hparamInfos: [
    {
      name: 'lr',
      displayName: 'Learning rate',
      description: '',
      type: 'float64',
      domain: { min: 0.001, max: 0.1 },
    },
    {
      name: 'opt',
      displayName: '',
      description: '',
      type: 'string',
      domain: { values: ['sgd', 'adam', 'rmsprop'] },
    },
  ],
  metricInfos: [{ group: 'val', tag: 'acc', displayName: 'Val acc', description: '' }],
};

test('columns come from the experiment first, then from what sessions carry', () => {
  const c = hparamsColumns({ experiment: EXP, sessions: S });
  assert.deepEqual(
    c.hparams.map((x) => x.id),
    ['h:lr', 'h:opt', 'h:bn', 'h:extra'],
  );
  assert.equal(c.hparams[0].label, 'Learning rate');
  assert.equal(c.hparams[0].kind, 'number');
  assert.equal(c.hparams[2].kind, 'bool');
  assert.equal(c.hparams[3].kind, 'string');
  assert.deepEqual(
    c.metrics.map((x) => x.key),
    ['val/acc', 'loss'],
  );
  assert.equal(c.metrics[0].label, 'Val acc');
  assert.equal(c.metrics[0].goal, 'max');
  assert.equal(c.metrics[1].goal, 'min');
  const noExp = hparamsColumns({ experiment: null, sessions: S });
  assert.deepEqual(
    noExp.hparams.map((x) => x.name),
    ['bn', 'extra', 'lr', 'opt'],
  );
});

test('metric keys and goals', () => {
  assert.equal(metricKey({ group: 'validation', tag: 'epoch_loss' }), 'validation/epoch_loss');
  assert.equal(metricKey({ group: '', tag: 'loss' }), 'loss');
  assert.equal(metricGoal('validation/epoch_loss'), 'min');
  assert.equal(metricGoal('accuracy'), 'max');
  assert.equal(metricGoal('test/error_rate'), 'min');
});

test('cellValue reads hparams, status and metric aggregates', () => {
  assert.equal(cellValue(S[0], 'h:opt'), 'adam');
  assert.equal(cellValue(S[2], 'h:bn'), null);
  assert.equal(cellValue(S[1], 'status'), 'failure');
  assert.equal(cellValue(S[0], 'm:val/acc'), 0.9);
  assert.equal(cellValue(S[0], 'm:val/acc', 'max'), 0.92);
  assert.equal(cellValue(S[0], 'm:loss', 'best', 'min'), 0.25);
  assert.equal(cellValue(S[0], 'm:val/acc', 'best', 'max'), 0.92);
  assert.equal(cellValue(S[3], 'm:loss'), null);
});

test('compareValues: numbers, NaN last, booleans, natural strings, mixed types', () => {
  assert.ok(compareValues(2, 10) < 0);
  assert.ok(compareValues(NaN, 1) > 0);
  assert.ok(compareValues(false, true) < 0);
  assert.ok(compareValues('run9', 'run10') < 0);
  assert.equal(compareValues('adam', 'Adam'), 0);
  assert.ok(
    compareValues(1, 'a') < 0 && compareValues(true, 'a') < 0 && compareValues(1, true) < 0,
  );
});

test('sortSessions: asc/desc, missing values last in both directions, stable', () => {
  const ids = (a) => a.map((s) => s.run);
  assert.deepEqual(ids(sortSessions(S, { col: 'm:loss', dir: 'asc' })), [
    'd9',
    'a',
    'c',
    'b',
    'd10',
  ]);
  assert.deepEqual(ids(sortSessions(S, { col: 'm:loss', dir: 'desc' })), [
    'c',
    'a',
    'd9',
    'b',
    'd10',
  ]);
  assert.deepEqual(ids(sortSessions(S, { col: 'h:lr', dir: 'asc' })), ['c', 'a', 'd10', 'b', 'd9']);
  assert.deepEqual(ids(sortSessions(S, { col: 'run', dir: 'asc' })), ['a', 'b', 'c', 'd9', 'd10']);
  assert.deepEqual(ids(sortSessions(S, { col: 'm:val/acc', dir: 'desc', agg: 'min' })), [
    'a',
    'b',
    'c',
    'd10',
    'd9',
  ]);
  assert.deepEqual(ids(sortSessions(S, null)), ids(S));
  assert.notEqual(sortSessions(S, null), S, 'a copy');
});

test('filterSessions: discrete values, numeric ranges, text, status; filters combine', () => {
  const ids = (a) => a.map((s) => s.run);
  assert.deepEqual(ids(filterSessions(S, { 'h:opt': { values: ['adam'] } })), ['a', 'c']);
  assert.deepEqual(ids(filterSessions(S, { 'h:bn': { values: [true] } })), ['a', 'd10']);
  assert.deepEqual(ids(filterSessions(S, { 'h:bn': { values: [false, null] } })), ['b', 'c', 'd9']);
  assert.deepEqual(ids(filterSessions(S, { 'h:lr': { min: 0.005, max: 0.05 } })), ['a', 'd10']);
  assert.deepEqual(ids(filterSessions(S, { 'h:lr': { min: 0.005 } })), ['a', 'b', 'd10']);
  assert.deepEqual(ids(filterSessions(S, { 'm:val/acc': { min: 0.75 } })), ['a', 'c']);
  assert.deepEqual(ids(filterSessions(S, { 'm:val/acc': { min: 0.75, keepMissing: true } })), [
    'a',
    'c',
    'd10',
    'd9',
  ]);
  assert.deepEqual(ids(filterSessions(S, { 'm:val/acc': { min: 0.8 } }, { agg: 'max' })), [
    'a',
    'c',
  ]);
  assert.deepEqual(
    ids(
      filterSessions(S, {
        status: { values: ['success', 'running'] },
        'h:opt': { values: ['adam', 'rmsprop'] },
      }),
    ),
    ['a', 'c', 'd10'],
  );
  assert.deepEqual(ids(filterSessions(S, { 'h:opt': { text: 'AD' } })), ['a', 'c', 'd9']);
  assert.deepEqual(
    ids(filterSessions(S, { 'h:opt': undefined, 'h:lr': {} })),
    ids(S),
    'inactive filters pass everything',
  );
});

test('distinctValues lists the domain first, then the rest sorted; numericExtent', () => {
  assert.deepEqual(distinctValues(S, 'h:opt', EXP.hparamInfos[1].domain), [
    'sgd',
    'adam',
    'rmsprop',
    'Adam',
  ]);
  assert.deepEqual(distinctValues(S, 'h:bn'), [false, true]);
  assert.deepEqual(numericExtent(S, 'h:lr'), [0.001, 0.1]);
  assert.deepEqual(numericExtent(S, 'm:loss', 'max'), [1, 2.2]);
  assert.equal(numericExtent(S, 'h:opt'), null);
});

test('columnScale: log for positive numbers spanning decades, points for categories', () => {
  const lr = columnScale(S, { id: 'h:lr' }, 'last');
  assert.equal(lr.kind, 'log');
  assert.equal(lr.map(0.001), 0);
  assert.equal(lr.map(0.1), 1);
  assert.ok(Math.abs(lr.map(0.01) - 0.5) < 1e-12);
  const opt = columnScale(S, { id: 'h:opt' }, 'last');
  assert.equal(opt.kind, 'point');
  assert.equal(opt.ticks.length, 4);
  assert.equal(opt.map('missing'), null);
  const acc = columnScale(S, { id: 'm:val/acc' }, 'last');
  assert.equal(acc.kind, 'linear');
  assert.equal(acc.map(0.7), 0);
  assert.equal(acc.map(0.9), 1);
});

// The JavaScript log writer (tests/support/tfrecord.mjs) against known CRC32C
// vectors, the format reference's first record, and the C++ side: the records
// the C++ writer makes (`tbview demo`) verify with our masked CRC, and a log
// written here reads back through `tbview dump --reference` with every field as
// written. The C++ checks need the CLI (scripts/build.sh, or TBVIEW_CLI=PATH).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import {
  DT_FLOAT,
  DT_STRING,
  concat,
  crc32c,
  eventFile,
  frameRecord,
  logFile,
  maskedCrc,
  scalarLog,
  scalarRecords,
  syntheticScalarLog,
  syntheticValue,
} from './tfrecord.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = process.env.TBVIEW_CLI || path.join(ROOT, 'build/native/tbview');
const needCli = existsSync(CLI) ? false : `needs ${CLI} (scripts/build.sh)`;
let tmp;

before(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'tbview-tfrecord-'));
});
after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const hex = (bytes) => Buffer.from(bytes).toString('hex');

test('CRC32C check values (RFC 3720 B.4) and the mask', () => {
  const inc = Uint8Array.from({ length: 32 }, (_, i) => i);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
  assert.equal(crc32c(inc), 0x46dd794e);
  assert.equal(crc32c(new TextEncoder().encode('123456789')), 0xe3069283);
  assert.equal(crc32c(inc, 4, 4), 0);
  assert.equal(maskedCrc(new Uint8Array(0)), 0xa282ead8); // the mask of CRC 0
  assert.equal(crc32c(inc, 8, 24), crc32c(inc.subarray(8, 24)));
});

test('the first record of the format reference, byte for byte', () => {
  // file_version "brain.Event:2" at wall time 1599759586.0.
  const rec = eventFile([{ wallTime: 1599759586.0, fileVersion: 'brain.Event:2' }]);
  assert.equal(
    hex(rec),
    '1800000000000000a37f4b22' +
      '09000080389' +
      '9d6d7411a0d' +
      Buffer.from('brain.Event:2').toString('hex') +
      '124b36ab',
  );
  assert.equal(frameRecord(new Uint8Array(0)).length, 16);
});

test('the fast scalar writer writes what the encoder writes', () => {
  const n = 300;
  const events = [];
  for (let i = 0; i < n; i++) {
    events.push({
      wallTime: 1.7e9 + i * 0.01,
      step: i,
      values: [{ tag: 'loss', simpleValue: syntheticValue(i) }],
    });
  }
  assert.equal(hex(syntheticScalarLog(n, 'loss')), hex(logFile(events)));
});

test('appending scalarRecords to a scalarLog gives the longer scalarLog', () => {
  const tags = ['loss', 'acc'];
  assert.equal(
    hex(concat([scalarLog({ tags, steps: 3 }), scalarRecords(3, 7, { tags })])),
    hex(scalarLog({ tags, steps: 7 })),
  );
});

test('every record the C++ writer makes verifies with these CRCs', { skip: needCli }, () => {
  const dir = path.join(tmp, 'demo');
  const r = spawnSync(CLI, ['demo', dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  let files = 0,
    records = 0;
  for (const rel of readdirSync(dir, { recursive: true })) {
    if (!path.basename(rel).includes('tfevents')) continue;
    const b = new Uint8Array(readFileSync(path.join(dir, rel)));
    const dv = new DataView(b.buffer, b.byteOffset, b.length);
    for (let o = 0; o < b.length;) {
      const len = dv.getUint32(o, true) + dv.getUint32(o + 4, true) * 2 ** 32;
      assert.equal(dv.getUint32(o + 8, true), maskedCrc(b, o, o + 8), `${rel}: length CRC at ${o}`);
      assert.equal(
        dv.getUint32(o + 12 + len, true),
        maskedCrc(b, o + 12, o + 12 + len),
        `${rel}: payload CRC at ${o}`,
      );
      o += 16 + len;
      records++;
    }
    files++;
  }
  assert.ok(files >= 10 && records > 1000, `${files} files, ${records} records`);
});

test('a log written here reads back through the C++ reader as written', { skip: needCli }, () => {
  const file = path.join(tmp, 'events.out.tfevents.1.js');
  writeFileSync(
    file,
    logFile([
      {
        wallTime: 1.7e9 + 1,
        step: 3,
        values: [
          { tag: 'loss', simpleValue: 0.25 },
          {
            tag: 'lr',
            simpleValue: 0.5,
            metadata: {
              plugin: 'scalars',
              displayName: 'learning rate',
              description: 'the lr',
              dataClass: 1,
            },
          },
        ],
      },
      {
        wallTime: 1.7e9 + 2,
        step: 300,
        values: [
          {
            tag: 'notes',
            metadata: { plugin: 'text', dataClass: 2 },
            tensor: { dtype: DT_STRING, shape: [2], strings: ['a', 'é'] },
          },
          { tag: 'h', histo: { limits: [0, 1, 2], counts: [1, 2, 3] } },
          { tag: 'f', tensor: { dtype: DT_FLOAT, shape: [2], floats: [1.5, -2] } },
        ],
      },
    ]),
  );
  const r = spawnSync(CLI, ['dump', '--reference', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.status, 'ok');
  assert.equal(doc.records, 3);
  assert.equal(doc.file_version, 'brain.Event:2');
  assert.equal(doc.first_wall_time, 1.7e9);
  const t = doc.tags;
  assert.deepEqual(Object.keys(t).sort(), ['f', 'h', 'loss', 'lr', 'notes']);
  assert.deepEqual([t.loss.steps, t.loss.wall_times, t.loss.values], [[3], [1.7e9 + 1], [0.25]]);
  assert.deepEqual(
    [t.lr.plugin, t.lr.data_class, t.lr.display_name, t.lr.description, t.lr.values],
    ['scalars', 1, 'learning rate', 'the lr', [0.5]],
  );
  assert.deepEqual(
    [t.notes.plugin, t.notes.steps, t.notes.shapes, t.notes.text],
    ['text', [300], [[2]], [['a', 'é']]],
  );
  assert.deepEqual(
    [t.h.plugin, t.h.values],
    [
      'histograms',
      [
        [
          [-1, 0, 1],
          [0, 1, 2],
          [1, 2, 3],
        ],
      ],
    ],
  );
  assert.deepEqual([t.f.shapes, t.f.values], [[[2]], [[1.5, -2]]]);
  // The scalar log the browser tests use: one file_version record, then a record per step.
  const log = path.join(tmp, 'events.out.tfevents.2.js');
  writeFileSync(log, scalarLog({ tags: ['a', 'b'], steps: 4, startStep: 2 }));
  const s = JSON.parse(spawnSync(CLI, ['dump', '--reference', log], { encoding: 'utf8' }).stdout);
  assert.equal(s.records, 5);
  assert.deepEqual(s.tags.b.steps, [2, 3, 4, 5]);
  assert.deepEqual(
    s.tags.b.values,
    [2, 3, 4, 5].map((st) => Math.fround(1 / (st + 1) + 1)),
  );
});

// `tbview manifest DIR` (wasm/cli/cmd_manifest.cc), run on temporary folders:
// every regular file listed (event files or not) with size and mtime, paths
// relative, '/'-separated and sorted, the manifest itself left out (also when
// written again), runs = folders directly holding an event file; exit 2 on
// usage errors. `tbview detect FILE...` (cmd_detect.cc) and scripts/export.mjs
// choosing the files to publish with it. No browser: it runs the native tool.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import zlib from 'node:zlib';

import { scalarLog } from '../support/tfrecord.mjs';
import { ROOT } from './helpers.mjs';

const CLI = process.env.TBVIEW_CLI || path.join(ROOT, 'build/native/tbview');
const skip = existsSync(CLI) ? false : `needs ${CLI} (scripts/build.sh)`;
let tmp;

const run = (...args) => spawnSync(CLI, args, { encoding: 'utf8' });

before(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'tbview-manifest-'));
});
after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function write(rel, bytes) {
  const p = path.join(tmp, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, bytes);
  return p;
}

test(
  'manifest lists every file, sorted, with size and mtime; runs by content; not itself',
  { skip },
  async () => {
    const dir = path.join(tmp, 'logs');
    write('logs/run b/events.out.tfevents.2.h', scalarLog({ steps: 3 }));
    write('logs/run a/sub/tfevents.pb', scalarLog({ steps: 2 })); // an event file by content, whatever its name
    write('logs/run a/checkpoint', 'model_checkpoint_path: "x"\n');
    write('logs/events.out.tfevents.0.lfs', 'version https://git-lfs.github.com/spec/v1\n');
    write('logs/empty', '');
    const r = run('manifest', dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /wrote .*tbview-manifest\.json: 5 files, 2 runs/);
    const m = JSON.parse(readFileSync(path.join(dir, 'tbview-manifest.json'), 'utf8'));
    assert.equal(m.schema, 'tbview-manifest-1');
    assert.deepEqual(
      m.files.map((f) => f.path),
      [
        'empty',
        'events.out.tfevents.0.lfs',
        'run a/checkpoint',
        'run a/sub/tfevents.pb',
        'run b/events.out.tfevents.2.h',
      ],
    );
    for (const f of m.files) {
      const st = statSync(path.join(dir, ...f.path.split('/')));
      assert.equal(f.size, st.size, f.path);
      assert.equal(f.mtime, Math.floor(st.mtimeMs), f.path);
    }
    assert.deepEqual(m.runs, ['run a/sub', 'run b']);
    // Written again: the manifest does not list itself, and sees new files.
    write('logs/run c/events.out.tfevents.3.h', scalarLog({ steps: 1 }));
    assert.equal(run('manifest', dir).status, 0);
    const again = JSON.parse(readFileSync(path.join(dir, 'tbview-manifest.json'), 'utf8'));
    assert.equal(again.files.length, 6);
    assert.ok(!again.files.some((f) => f.path.includes('tbview-manifest')));
    assert.ok(!existsSync(path.join(dir, '.tbview-manifest.json.tmp')));
  },
);

test('manifest: usage errors exit 2', { skip }, () => {
  assert.equal(run('manifest').status, 2);
  assert.equal(run('manifest', tmp, 'extra').status, 2);
  const notDir = write('afile', 'x');
  const r = run('manifest', notDir);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /not a directory/);
  assert.equal(run('manifest', path.join(tmp, 'missing')).status, 2);
});

test(
  'detect: each file by content (the core rule), whatever its name; unreadable files exit 1',
  { skip },
  () => {
    const gz = zlib.gzipSync(Buffer.from('x'));
    const files = [
      write('detect/tfevents.pb', scalarLog({ steps: 1 })),
      write('detect/logs.tgz', gz),
      write('detect/logs.zip', Buffer.from('PK\x05\x06' + '\0'.repeat(18), 'latin1')),
      write('detect/events.out.tfevents.1.lfs', 'version https://git-lfs.github.com/spec/v1\n'),
      write('detect/empty', ''),
    ];
    const r = run('detect', ...files);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(
      JSON.parse(r.stdout).files.map((f) => [path.basename(f.path), f.kind, f.what]),
      [
        ['tfevents.pb', 'event', undefined],
        ['logs.tgz', 'gzip', undefined],
        ['logs.zip', 'zip', undefined],
        [
          'events.out.tfevents.1.lfs',
          'other',
          'Git LFS pointer file (the real file was never downloaded: run git lfs pull)',
        ],
        ['empty', 'other', 'empty file (0 bytes)'],
      ],
    );
    const missing = run('detect', files[0], path.join(tmp, 'detect/missing'));
    assert.equal(missing.status, 1);
    assert.deepEqual(
      JSON.parse(missing.stdout).files.map((f) => f.kind),
      ['event', 'unreadable'],
    );
    assert.equal(run('detect').status, 2);
  },
);

test(
  'export selects log files with `tbview detect`: event files and archives by content, files named like event files',
  { skip },
  async () => {
    const { selectLogFiles } = await import(path.join(ROOT, 'scripts/export.mjs'));
    write('sel/run/renamed.bin', scalarLog({ steps: 2 }));
    write('sel/run/events.out.tfevents.9.h', ''); // still empty: kept by its name
    write('sel/run/checkpoint', 'model_checkpoint_path: "x"\n');
    write('sel/other/logs.tar.gz', zlib.gzipSync(Buffer.from('x')));
    const { files, skipped } = await selectLogFiles(path.join(tmp, 'sel'));
    assert.deepEqual(
      files.map((f) => [f.path, f.kind]),
      [
        ['other/logs.tar.gz', 'archive'],
        ['run/events.out.tfevents.9.h', 'event'],
        ['run/renamed.bin', 'event'],
      ],
    );
    assert.equal(skipped, 1);
    const all = await selectLogFiles(path.join(tmp, 'sel'), { allFiles: true, runs: /^run$/ });
    assert.deepEqual(
      all.files.map((f) => [f.path, f.kind]),
      [
        ['run/checkpoint', 'other'],
        ['run/events.out.tfevents.9.h', 'event'],
        ['run/renamed.bin', 'event'],
      ],
    );
  },
);

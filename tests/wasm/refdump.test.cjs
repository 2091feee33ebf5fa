'use strict';
// The wasm RefDump against the native CLI, file by file over the corpus of real
// logs: for every corpus event file that has an expected/<path>.json, the JSON
// text the wasm module produces from the file pushed in random chunk sizes must be
// exactly `tbview dump --reference <path>` (run in corpus/files, so the "file"
// label is the path below files/, as in expected/). Without the native CLI the
// test falls back to comparing with TensorBoard's expected JSON semantically.
//   TBVIEW_CORPUS  corpus folder (tests/support/corpus.cjs; default ../shared/corpus beside the checkout)
//   TBVIEW_NATIVE  the native tbview (default build/native/tbview)
//   TBVIEW_SEED    seed of the chunk sizes (printed on failure)

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { CORPUS, HAVE_CORPUS } = require('../support/corpus.cjs');
const { ROOT, loadModule, rng, pushInChunks } = require('./helpers.cjs');

const NATIVE = process.env.TBVIEW_NATIVE || path.join(ROOT, 'build', 'native', 'tbview');
const SEED = Number(process.env.TBVIEW_SEED || Date.now() % 1e9);

// Corpus files (relative to files/) that have an expected JSON of their own
// (archives have expected/<archive>/<member>.json instead and are not listed).
function corpusEventFiles() {
  const filesDir = path.join(CORPUS, 'files');
  const out = [];
  const walk = (rel) => {
    for (const e of fs.readdirSync(path.join(filesDir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile() && fs.existsSync(path.join(CORPUS, 'expected', `${r}.json`))) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

// Random chunk sizes over a wide range: single bytes, record-sized, and large.
function chunkSizer(random) {
  return () => {
    const r = random();
    if (r < 0.2) return 1 + Math.floor(random() * 16);
    if (r < 0.7) return 1 + Math.floor(random() * 4096);
    return 1 + Math.floor(random() * (1 << 20));
  };
}

function wasmDump(mod, rel, random) {
  const bytes = new Uint8Array(fs.readFileSync(path.join(CORPUS, 'files', rel)));
  const dump = new mod.RefDump(rel);
  try {
    pushInChunks(bytes, (c) => dump.push(c), chunkSizer(random));
    return dump.finish();
  } finally {
    dump.delete();
  }
}

// --- semantic comparison with TensorBoard's expected JSON (fallback only) ---
function normalise(doc) {
  const d = { ...doc };
  delete d.error_detail;
  delete d.reader;
  if (Array.isArray(d.tags)) {
    d.tags = [...d.tags].sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  }
  return d;
}

const haveNative = fs.existsSync(NATIVE);

test(
  'wasm RefDump equals the native reference dump on every corpus file',
  {
    skip: HAVE_CORPUS ? false : `corpus not found at ${CORPUS} (set TBVIEW_CORPUS)`,
  },
  async (t) => {
    const mod = await loadModule();
    const files = corpusEventFiles();
    assert.ok(files.length > 0, 'no corpus file with an expected JSON');
    const random = rng(SEED);
    if (!haveNative) {
      t.diagnostic(
        `native CLI not found at ${NATIVE}: comparing with expected/ semantically instead`,
      );
    }
    const failures = [];
    for (const rel of files) {
      const got = wasmDump(mod, rel, random);
      if (haveNative) {
        const r = spawnSync(NATIVE, ['dump', '--reference', rel], {
          cwd: path.join(CORPUS, 'files'),
          maxBuffer: 1 << 30,
        });
        assert.ok(
          r.status === 0 || r.status === 1,
          `native dump of ${rel} exited ${r.status}: ${r.stderr}`,
        );
        // The CLI ends its output with one newline; finish() returns the document.
        const want = r.stdout.toString('utf8').replace(/\n$/, '');
        if (got !== want) {
          let i = 0;
          while (i < got.length && got[i] === want[i]) i++;
          failures.push(
            `${rel}: differs at char ${i}: wasm ...${JSON.stringify(got.slice(Math.max(0, i - 40), i + 40))} ` +
              `native ...${JSON.stringify(want.slice(Math.max(0, i - 40), i + 40))}`,
          );
        }
      } else {
        const want = JSON.parse(
          fs.readFileSync(path.join(CORPUS, 'expected', `${rel}.json`), 'utf8'),
        );
        try {
          assert.deepStrictEqual(normalise(JSON.parse(got)), normalise(want));
        } catch (e) {
          failures.push(`${rel}: ${e.message.split('\n').slice(0, 12).join('\n')}`);
        }
      }
    }
    t.diagnostic(
      `${files.length} files, seed ${SEED}, compared with ${haveNative ? 'native CLI' : 'expected/'}`,
    );
    assert.deepEqual(failures, [], `seed ${SEED}:\n${failures.join('\n')}`);
  },
);

'use strict';
// Throughput of the wasm module in Node (not a test): synthetic logs go through
// Engine in 4 MiB chunks, as the worker feeds them; prints events/s and MB/s,
// beside the native figure for the same bytes.
//   node tests/bench/wasm_bench.cjs [N=1000000] [--tags=100] [--only=legacy,tensor,mixed] [--js] [--repeat=3]
//        [--bench=PATH_TO_tbview_bench]
// The logs come from the native tbview_bench (--bench=, $TBVIEW_BENCH, else
// build/native/tbview_bench) run with `--dir D --keep` when it exists (so both
// read the very same bytes, and its "Logdir load" line is the native figure; the
// ratio wasm / native is printed, both in CPU time); otherwise (or with --js) a
// legacy-scalar log from the JS writer of tests/support/tfrecord.mjs.
// Times: wall clock, and this process's CPU time (steadier on a busy machine;
// the native bench reports thread CPU time).

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ROOT, loadModule, wasmPath } = require('../wasm/helpers.cjs');

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : dflt;
};
const N = Number(args.find((a) => /^\d+$/.test(a)) || 1000000);
const forceJs = args.includes('--js');
const repeat = Number(opt('repeat', 3));
const kinds = opt('only', 'legacy,tensor,mixed').split(',');
const CHUNK = 4 << 20;
const TAGS = Number(opt('tags', 100));
const NATIVE = opt(
  'bench',
  process.env.TBVIEW_BENCH || path.join(ROOT, 'build', 'native', 'tbview_bench'),
);

// [{name, bytes, native: 'line from tbview_bench' | null}]
async function makeLogs() {
  if (!forceJs && fs.existsSync(NATIVE)) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tbview_wasm_bench_'));
    try {
      const logs = [];
      for (const kind of kinds) {
        const r = spawnSync(
          NATIVE,
          [
            '--events',
            String(N),
            '--tags',
            String(TAGS),
            '--only',
            kind,
            '--dir',
            dir,
            '--keep',
            '--no-breakdown',
          ],
          { encoding: 'utf8', maxBuffer: 1 << 24 },
        );
        const file = path.join(dir, `${kind}.tfevents`);
        if (r.status !== 0 || !fs.existsSync(file)) {
          console.error(`tbview_bench --only ${kind} failed (${r.status}): ${r.stderr}`);
          continue;
        }
        const line = r.stdout.split('\n').find((l) => l.includes('Logdir load'));
        logs.push({
          name: `${kind} (tbview_bench)`,
          bytes: new Uint8Array(fs.readFileSync(file)),
          native: line ? line.trim() : null,
        });
        fs.unlinkSync(file);
      }
      if (logs.length) return logs;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const { syntheticScalarLog } = await import('../support/tfrecord.mjs');
  return [{ name: `legacy (JS writer)`, bytes: syntheticScalarLog(N, 'loss'), native: null }];
}

function loadOnce(mod, bytes) {
  const engine = new mod.Engine();
  try {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const id = engine.openFile('bench/run/events.out.tfevents.1600000000.host.1.0');
    for (let o = 0; o < bytes.length; o += CHUNK) engine.push(id, bytes.subarray(o, o + CHUNK));
    engine.endOfData(id);
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    const f = engine.files()[id];
    if (f.status !== 'ok') throw new Error(`status ${f.status}: ${f.message}`);
    // One query over the whole of the first scalar tag, as the first chart draw does.
    const tag = engine.tags().find((t) => t.isScalar);
    const q0 = process.hrtime.bigint();
    if (tag) engine.scalars(tag.run, tag.tag, { xAxis: 'step', width: 1000, smoothing: 0.6 });
    const query = Number(process.hrtime.bigint() - q0) / 1e9;
    return {
      wall,
      cpu: (c.user + c.system) / 1e6,
      records: f.records,
      points: engine.stats().points,
      query,
    };
  } finally {
    engine.delete();
  }
}

async function main() {
  const mod = await loadModule();
  console.log(
    `module: ${path.relative(ROOT, wasmPath())}, node ${process.version}, ${CHUNK >> 20} MiB pushes`,
  );
  for (const log of await makeLogs()) {
    const mb = log.bytes.length / 1e6;
    console.log(`\n== ${log.name}: ${mb.toFixed(1)} MB`);
    let best = null;
    for (let r = 0; r < repeat; r++) {
      const x = loadOnce(mod, log.bytes);
      console.log(
        `  run ${r + 1}: cpu ${x.cpu.toFixed(3)} s (${(x.records / x.cpu / 1e6).toFixed(2)} M events/s, ` +
          `${(mb / x.cpu).toFixed(0)} MB/s); wall ${x.wall.toFixed(3)} s (${(x.records / x.wall / 1e6).toFixed(2)} M events/s)  ` +
          `[${x.points} points; scalars() over all: ${(x.query * 1e3).toFixed(1)} ms]`,
      );
      if (!best || x.cpu < best.cpu) best = x;
    }
    console.log(
      `  wasm best:   ${(best.records / best.cpu / 1e6).toFixed(2)} M events/s, ${(mb / best.cpu).toFixed(0)} MB/s ` +
        `(process CPU time; wall ${(best.records / best.wall / 1e6).toFixed(2)} M events/s; ${best.records} records)`,
    );
    if (log.native) {
      console.log(`  native:      ${log.native}  (thread CPU time)`);
      const m = /([\d.]+) M events\/s/.exec(log.native);
      if (m)
        console.log(
          `  ratio wasm / native: ${(best.records / best.cpu / 1e6 / Number(m[1])).toFixed(2)} (CPU time both)`,
        );
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

// The browser flavour (tbview_web.js, -sENVIRONMENT=web,worker) evaluated in a
// context that looks like a Web Worker (self, importScripts, location; no
// require, no process): it must instantiate from its embedded wasm without any
// network fetch (its loader fetches only the embedded data: URI and falls back to
// decoding it itself when that fetch is refused, as under a strict CSP), and
// give the same results as the Node flavour.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import vm from 'node:vm';

import { logFile, scalarEvents } from '../support/tfrecord.mjs';
import { ROOT, instantiate, loadModule } from './helpers.cjs';

function webScript() {
  for (const p of [
    path.join(ROOT, 'build', 'wasm', 'tbview_web.js'),
    path.join(ROOT, 'web', 'public', 'wasm', 'tbview_web.js'),
  ]) {
    if (fs.existsSync(p)) return p;
  }
  return null;
}

test(
  'the web flavour runs in a worker-like context',
  { skip: webScript() ? false : 'tbview_web.js not built' },
  async () => {
    const fetchCalls = [];
    const ctx = {
      console,
      WebAssembly,
      TextDecoder,
      TextEncoder,
      atob,
      performance,
      setTimeout,
      clearTimeout,
      location: { href: 'http://localhost/assets/worker.js' },
      importScripts: () => {},
      // Refuses every fetch, as a CSP without data: in connect-src would.
      fetch: (url) => {
        fetchCalls.push(String(url));
        return Promise.reject(new TypeError('refused'));
      },
    };
    ctx.self = ctx;
    vm.createContext(ctx);
    vm.runInContext(
      `${fs.readFileSync(webScript(), 'utf8')}\n;self.createTbviewModule = createTbviewModule;`,
      ctx,
    );
    const web = await instantiate(ctx.createTbviewModule);
    const node = await loadModule();
    assert.deepEqual(
      fetchCalls.filter((u) => !u.startsWith('data:')),
      [],
      'no network fetch',
    );

    const bytes = logFile(scalarEvents('loss', 500));
    const results = [web, node].map((mod) => {
      const e = new mod.Engine();
      const id = e.openFile('train/events.out.tfevents.1.h');
      e.push(id, bytes);
      e.endOfData(id);
      const out = {
        files: e.files(),
        tags: e.tags(),
        // Typed arrays from another realm: compare their contents.
        scalars: Object.fromEntries(
          Object.entries(
            e.scalars('train', 'loss', { xAxis: 'step', width: 20, smoothing: 0.6 }),
          ).map(([k, v]) => [k, ArrayBuffer.isView(v) ? Array.from(v) : v]),
        ),
      };
      e.delete();
      const d = new mod.RefDump('x/events.out.tfevents.1.h');
      d.push(bytes);
      out.dump = d.finish();
      d.delete();
      return JSON.parse(JSON.stringify(out));
    });
    assert.deepEqual(results[0], results[1]);
    assert.equal(results[0].files[0].status, 'ok');
    assert.ok(results[0].scalars.x.length <= 42);
  },
);

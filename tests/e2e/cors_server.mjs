// scripts/serve.mjs started with extra arguments (such as --cors, which
// helpers.mjs's startServer does not pass), on a free loopback port.
import { spawn } from 'node:child_process';
import path from 'node:path';

import { DIST, ROOT, freePort } from './helpers.mjs';

/** Spawns serve.mjs with `args` on 127.0.0.1; resolves {port, url, stop()} once it listens. */
export async function serveWith(args) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'scripts/serve.mjs'), '--port', String(port), '--root', DIST, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('http://')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`serve.mjs exited ${code}`)));
  });
  return {
    port,
    url: `http://127.0.0.1:${port}/`,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

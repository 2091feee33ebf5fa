/**
 * Vite plugin (build only): describes the built app to the parts that need to
 * find its files without a bundler — the report exporter (scripts/export.mjs,
 * and the in-app "Export report" button, web/src/report/export.js) and the
 * service worker — and writes that service worker.
 *
 * Emits, next to index.html:
 *
 *   tbview-assets.json  {schema: 'tbview-assets-1', version, html: 'index.html',
 *                        js: 'assets/index-X.js', css: ['assets/index-X.css'],
 *                        worker: 'assets/worker-X.js', engine: 'wasm/tbview_web.js',
 *                        shell: [every file the app needs to start, relative]}
 *   sw.js               web/src/offline/service_worker.js with its two placeholders
 *                        filled: the version and the shell list.
 *
 * Invariants:
 * - `version` is a hash of the names and bytes of every shell file (public files
 *   included), so it changes exactly when something the page loads changes; the
 *   service worker's bytes change with it, which is what makes a browser install
 *   the new worker (and its new cache) after a new build.
 * - The app is one JS file: the build sets codeSplitting off (vite.config.js),
 *   so the report can inline it as one <script type="module">; this plugin fails
 *   the build if there is more than one JS chunk, rather than emit a list the
 *   exporter would silently get wrong.
 * - The worker is found as the emitted asset whose original name is worker.js.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Public files the page loads (others in public/, such as Node flavours, are not shell). */
const PUBLIC_SHELL = ['wasm/tbview_web.js'];

function originalNames(item) {
  return [
    ...(item.names || []),
    ...(item.originalFileNames || []),
    item.name,
    item.originalFileName,
  ]
    .filter(Boolean)
    .map((n) => path.basename(n));
}

export function appAssetsPlugin({ swTemplate }) {
  let publicDir = '';
  return {
    name: 'tbview-app-assets',
    apply: 'build',
    enforce: 'post', // after Vite's own HTML plugin has put index.html in the bundle
    configResolved(config) {
      publicDir = config.publicDir;
    },
    generateBundle(_opts, bundle) {
      const items = Object.values(bundle);
      const chunks = items.filter((i) => i.type === 'chunk');
      if (chunks.length !== 1) {
        this.error(
          `tbview-app-assets: expected one JS chunk (codeSplitting off), got ${chunks.map((c) => c.fileName).join(', ')}`,
        );
      }
      const css = items
        .filter((i) => i.type === 'asset' && i.fileName.endsWith('.css'))
        .map((i) => i.fileName)
        .sort();
      const workers = items.filter(
        (i) =>
          i.type === 'asset' &&
          i.fileName.endsWith('.js') &&
          originalNames(i).some((n) => /^worker\.[jt]s$/.test(n)),
      );
      const workerAsset =
        workers.length === 1
          ? workers[0]
          : items.find((i) => i.type === 'asset' && /(^|\/)worker-[\w-]+\.js$/.test(i.fileName));
      if (!workerAsset)
        this.error('tbview-app-assets: the worker asset was not found in the bundle');

      const hash = createHash('sha256');
      const shell = ['index.html'];
      for (const i of items.sort((a, b) => (a.fileName < b.fileName ? -1 : 1))) {
        if (i.fileName.endsWith('.map') || i.fileName === 'index.html') continue;
        hash
          .update(i.fileName)
          .update('\0')
          .update(i.type === 'chunk' ? i.code : i.source)
          .update('\0');
        shell.push(i.fileName);
      }
      const html = bundle['index.html'];
      if (html) hash.update(html.source);
      for (const f of PUBLIC_SHELL) {
        const abs = path.join(publicDir, f);
        if (!existsSync(abs)) continue; // no wasm built yet: the app still builds
        hash.update(f).update('\0').update(readFileSync(abs)).update('\0');
        shell.push(f);
      }
      const version = hash.digest('hex').slice(0, 16);
      const manifest = {
        schema: 'tbview-assets-1',
        version,
        html: 'index.html',
        js: chunks[0].fileName,
        css,
        worker: workerAsset.fileName,
        engine: PUBLIC_SHELL[0],
        shell: shell.sort(),
      };
      this.emitFile({
        type: 'asset',
        fileName: 'tbview-assets.json',
        source: `${JSON.stringify(manifest, null, 1)}\n`,
      });
      const sw = readFileSync(swTemplate, 'utf8')
        .replace("'__TBVIEW_VERSION__'", JSON.stringify(version))
        .replace(
          "'__TBVIEW_SHELL__'",
          JSON.stringify(['./', ...manifest.shell, 'tbview-assets.json']),
        );
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: sw });
    },
  };
}

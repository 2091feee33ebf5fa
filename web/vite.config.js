// Vite build of the static app.
// - base './': every URL in the output is relative, so dist/ works from any path
//   of any static host (and scripts/serve.mjs).
// - public/ is copied as is: public/wasm/tbview_web.js (built by
//   scripts/build_wasm.sh) lands at dist/wasm/tbview_web.js, where the page
//   resolves it against document.baseURI and hands the URL to the worker.
// - The worker is built as a classic IIFE script so it can importScripts the
//   single-file Emscripten engine.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { appAssetsPlugin } from './tools/app_assets_plugin.js';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * index.html carries the app's Content-Security-Policy <meta> (style-src 'self',
 * no eval). Vite's dev server injects CSS as inline <style> and runs the worker
 * as a module, so under `vite` (dev only) the meta is removed; `vite build`
 * keeps it, and dist/index.html ships with it.
 */
const devWithoutCsp = {
  name: 'tbview-dev-without-csp',
  apply: 'serve',
  transformIndexHtml: (html) =>
    html.replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/, ''),
};

export default defineConfig({
  root: here,
  // tbview-assets.json and sw.js (the offline service worker): see tools/app_assets_plugin.js.
  plugins: [devWithoutCsp, appAssetsPlugin({ swTemplate: `${here}src/offline/service_worker.js` })],
  base: './',
  publicDir: 'public',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // vega + vega-lite + vega-embed are about 900 KB minified by themselves.
    chunkSizeWarningLimit: 1500,
    // One JS file for the whole app (no lazy chunks): the single-file report
    // (scripts/export.mjs, src/report/export.js) inlines it as one module script,
    // which a file:// page can run (it could not import a chunk file).
    rolldownOptions: { output: { codeSplitting: false } },
  },
  worker: {
    format: 'iife',
  },
  server: { port: 5173 },
});

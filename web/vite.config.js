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

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  publicDir: 'public',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // vega + vega-lite + vega-embed are about 900 KB minified by themselves.
    chunkSizeWarningLimit: 1500,
  },
  worker: {
    format: 'iife',
  },
  server: { port: 5173 },
});

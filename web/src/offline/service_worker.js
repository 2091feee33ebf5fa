/**
 * The service worker that keeps the hosted app working offline after the first
 * visit. This file is a template: the build (web/tools/app_assets_plugin.js)
 * writes it to dist/sw.js with VERSION and SHELL filled in; it is never bundled
 * into the page. Registered by web/src/offline/register.js, over http(s) only.
 *
 * What it caches, and what it never does:
 * - The app shell only: SHELL, the files the page needs to start (index.html,
 *   the one JS bundle, CSS, the parser worker, the wasm engine script,
 *   tbview-assets.json), fetched on install into the cache `tbview-shell-VERSION`.
 * - Never a log file: a request that is not for a shell file (a served logdir,
 *   a ?url= fetch, a manifest, anything cross-origin, any non-GET) is not
 *   answered by this worker at all, so it goes to the network exactly as if there
 *   were no service worker, and nothing is stored. There is no "keep offline"
 *   option for logs.
 *
 * Strategies:
 * - Navigations to the app's page ('./' or index.html, any query): network first
 *   (a new build's page, or serve.mjs's page with its logdir meta, wins when the
 *   server answers), else the cached page.
 * - Other shell files: cache first (their names carry content hashes, except the
 *   engine and tbview-assets.json, which are versioned by the cache name).
 *
 * Updates: a new build changes VERSION and so this file's bytes; the browser
 * installs the new worker on the next visit, which caches the new shell, takes
 * over at once (skipWaiting + clients.claim) and deletes every older
 * `tbview-shell-*` cache. A page already open keeps the files it has loaded.
 */
const VERSION = '__TBVIEW_VERSION__';
const SHELL = '__TBVIEW_SHELL__';
const CACHE = `tbview-shell-${VERSION}`;
const PREFIX = 'tbview-shell-';

const scopeUrl = new URL(self.registration.scope);
/** pathname -> the cache key (absolute URL) of a shell file. */
const shellPaths = new Map();
for (const rel of Array.isArray(SHELL) ? SHELL : []) {
  const u = new URL(rel, scopeUrl);
  shellPaths.set(u.pathname, u.href);
}
const pagePaths = new Set([scopeUrl.pathname, new URL('index.html', scopeUrl).pathname]);
const pageKey = new URL('./', scopeUrl).href;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // cache: 'reload' bypasses the HTTP cache, so the shell is the server's current one.
      await cache.addAll(
        [...shellPaths.values()].map((href) => new Request(href, { cache: 'reload' })),
      );
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== scopeUrl.origin) return;
  if (req.mode === 'navigate' && pagePaths.has(url.pathname)) {
    event.respondWith(networkFirstPage(req));
    return;
  }
  const key = url.search ? null : shellPaths.get(url.pathname);
  if (!key) return; // not the app shell (e.g. a log file): untouched, uncached
  event.respondWith(cacheFirst(req, key));
});

async function networkFirstPage(req) {
  try {
    const res = await fetch(req);
    if (res.ok) return res;
    const cached = await caches.match(pageKey, { cacheName: CACHE });
    return cached || res;
  } catch (e) {
    const cached = await caches.match(pageKey, { cacheName: CACHE });
    if (cached) return cached;
    throw e;
  }
}

async function cacheFirst(req, key) {
  const cached = await caches.match(key, { cacheName: CACHE });
  return cached || fetch(req);
}

/**
 * Registers the offline service worker (dist/sw.js, written by the build from
 * web/src/offline/service_worker.js) when that makes sense:
 * - only in a built app (not under Vite's dev server, which has no sw.js),
 * - only over http(s): file:// pages cannot have service workers, and a
 *   single-file report (meta tbview-report) carries everything already,
 * - after the page's load event, so the shell download never competes with
 *   opening logs.
 * Failures (no sw.js on some host, private mode, ...) only log a warning: the
 * app works the same without it, just not offline.
 *
 * @returns {Promise<ServiceWorkerRegistration|null>}
 */
export function registerServiceWorker({ win = globalThis, prod = import.meta.env.PROD } = {}) {
  const nav = win.navigator;
  if (!prod || !nav || !('serviceWorker' in nav)) return Promise.resolve(null);
  if (!/^https?:$/.test(win.location.protocol)) return Promise.resolve(null);
  if (win.document.querySelector('meta[name="tbview-report"]')) return Promise.resolve(null);
  const register = () =>
    nav.serviceWorker.register(new URL('sw.js', win.document.baseURI).href).catch((e) => {
      console.warn(`tbview: offline mode unavailable: ${e.message}`);
      return null;
    });
  if (win.document.readyState === 'complete') return register();
  return new Promise((resolve) =>
    win.addEventListener('load', () => resolve(register()), { once: true }),
  );
}

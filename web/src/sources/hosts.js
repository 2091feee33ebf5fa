/**
 * The base URLs of the hosted providers (Hugging Face, GitHub, Google Cloud
 * Storage, Amazon S3) that links are turned into API and file URLs against.
 *
 * Test-only override: the e2e tests cannot reach the real hosts, so before the
 * page's scripts run they set `window.__tbviewTestHosts` (Playwright's
 * addInitScript) to {hf, githubApi, githubRaw, gcs, s3}: base URLs of a local
 * test server. Only loopback http(s) URLs (127.0.0.1, localhost, [::1]) are
 * honoured; anything else is ignored, so the override cannot send a request
 * anywhere but this machine. A link cannot set it (the page runs no inline
 * script: CSP script-src 'self'), and nothing in the app writes it.
 *
 * With the override, S3 buckets are addressed path-style (`${s3}/BUCKET/`).
 */

/** The real hosts. `s3: null`: virtual-hosted style, https://BUCKET.s3.amazonaws.com/. */
export const REAL_HOSTS = Object.freeze({
  hf: 'https://huggingface.co',
  githubApi: 'https://api.github.com',
  githubRaw: 'https://raw.githubusercontent.com',
  gcs: 'https://storage.googleapis.com',
  s3: null,
});

/** True for an http(s) URL on a loopback host. */
export function isLoopbackUrl(text) {
  let u;
  try {
    u = new URL(String(text));
  } catch {
    return false;
  }
  const loop = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  return loop && (u.protocol === 'http:' || u.protocol === 'https:');
}

/**
 * The hosts to use: REAL_HOSTS, with each loopback value of `override`
 * (default: globalThis.__tbviewTestHosts) in its place; trailing '/' removed.
 * @param {Record<string, unknown>} [override]
 * @returns {{hf: string, githubApi: string, githubRaw: string, gcs: string, s3: string|null}}
 */
export function providerHosts(override = /** @type {any} */ (globalThis).__tbviewTestHosts) {
  const out = { ...REAL_HOSTS };
  if (!override || typeof override !== 'object') return out;
  for (const key of Object.keys(REAL_HOSTS)) {
    const v = override[key];
    if (typeof v === 'string' && isLoopbackUrl(v)) out[key] = v.replace(/\/+$/, '');
  }
  return out;
}

// A local stand-in for the hosted log providers, for the e2e tests: one Node
// HTTP server on 127.0.0.1 that answers each provider's listing format as the
// provider documents it, over one in-memory tree of files per store, with
// CORS (any origin, preflight, the headers the page reads exposed) and HTTP
// Range on every file. Mounts (the page is pointed at them through the
// test-only window.__tbviewTestHosts, web/src/sources/hosts.js):
//
//   /hf       Hugging Face: GET /api/{models|datasets|spaces}/{repo}/tree/{rev}[/{path}]?recursive=true
//             -> JSON [{type, path, size, oid}], HF_PAGE entries a page, the
//             next page in `Link: <...&cursor=N>; rel="next"`; an unknown repo
//             401 {error: "Repository not found"}; an unknown revision 404.
//             GET /{[datasets/|spaces/]repo}/resolve/{rev}/{path} -> 302 to
//             /hf-cdn/... (as the Hub redirects LFS files to its CDN), which
//             serves the bytes.
//   /gh-api   GitHub: GET /repos/{o}/{r}/git/trees/{ref}?recursive=1 -> JSON
//             {sha, tree: [{path, type: blob|tree, size}], truncated: false};
//             repo "limited" -> 403 with x-ratelimit-remaining: 0 and
//             x-ratelimit-reset, as GitHub's primary rate limit answers.
//   /gh-raw   GitHub raw: GET /{o}/{r}/{ref}/{path} -> the bytes; a path in
//             `lfs` -> a Git LFS pointer text.
//   /gcs      GCS JSON API: GET /storage/v1/b/{bucket}/o?prefix=&pageToken=
//             -> {kind, items: [{name, size: "N"}], nextPageToken}, GCS_PAGE
//             items a page; GET /{bucket}/{object} -> the bytes; unknown
//             bucket 404 {error: {code, message}}.
//   /s3       S3 path style: GET /{bucket}/?list-type=2&prefix=&continuation-token=
//             -> ListBucketResult XML, S3_PAGE keys a page (IsTruncated,
//             NextContinuationToken); GET /{bucket}/{key} -> the bytes;
//             unknown bucket 404 <Error><Code>NoSuchBucket</Code>...
//   /web/{nginx|apache|python}/...  a plain web folder: HTML index pages in
//             each server's format (folders end in '/'), files with Range.
// Stores: `stores` maps a store name (hf:org/repo, gh:o/r, gcs:bucket,
// s3:bucket, web) to a Map path -> Buffer; tests append to a Buffer (replace
// it) to test reloads. `requests` records [method, url, range] of each request.
import http from 'node:http';

export const HF_PAGE = 2;
export const GCS_PAGE = 1;
export const S3_PAGE = 1;

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers':
    'Content-Range, Content-Length, Accept-Ranges, Link, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After',
};

const xml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const enc = (p) => p.split('/').map(encodeURIComponent).join('/');
const sorted = (m) => [...m.keys()].sort();

/** Starts the server on 127.0.0.1:0; resolves {url, stores, requests, close()}. */
export async function startProviderServer(stores) {
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push([req.method, req.url, req.headers.range || null]);
    try {
      handle(req, res);
    } catch (e) {
      send(res, 500, `test server error: ${e.message}`);
    }
  });

  function send(res, status, body, headers = {}) {
    const buf = Buffer.from(body);
    res.writeHead(status, {
      'Content-Type': 'text/plain',
      ...CORS,
      'Content-Length': buf.length,
      ...headers,
    });
    res.end(buf);
  }
  const sendJson = (res, status, doc, headers = {}) =>
    send(res, status, JSON.stringify(doc), { 'Content-Type': 'application/json', ...headers });

  /** The bytes of a file with Range (206 / 416 / 200). */
  function sendBytes(req, res, buf) {
    const m = /^bytes=(\d+)-$/.exec(req.headers.range || '');
    const base = {
      ...CORS,
      'Accept-Ranges': 'bytes',
      'Content-Type': 'application/octet-stream',
      'Cache-Control': 'no-store',
    };
    if (!m) {
      res.writeHead(200, { ...base, 'Content-Length': buf.length });
      return res.end(buf);
    }
    const start = Number(m[1]);
    if (start >= buf.length) {
      res.writeHead(416, {
        ...base,
        'Content-Range': `bytes */${buf.length}`,
        'Content-Length': 0,
      });
      return res.end();
    }
    res.writeHead(206, {
      ...base,
      'Content-Range': `bytes ${start}-${buf.length - 1}/${buf.length}`,
      'Content-Length': buf.length - start,
    });
    res.end(buf.subarray(start));
  }

  function handle(req, res) {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...CORS,
        'Access-Control-Allow-Methods': 'GET, HEAD',
        'Access-Control-Allow-Headers': 'Range, Accept',
        'Content-Length': 0,
      });
      return res.end();
    }
    const u = new URL(req.url, 'http://x');
    const segs = u.pathname.split('/').slice(1).map(decodeURIComponent);
    const q = u.searchParams;
    const [mount, ...rest] = segs;
    if (mount === 'hf') return hf(req, res, rest, q);
    if (mount === 'hf-cdn') {
      const store = stores.get(`hf:${rest[0]}/${rest[1]}`);
      const buf = store && store.get(rest.slice(2).join('/'));
      return buf ? sendBytes(req, res, buf) : send(res, 404, 'Entry not found');
    }
    if (mount === 'gh-api') return ghApi(req, res, rest);
    if (mount === 'gh-raw') {
      const [o, r, , ...p] = rest;
      const store = stores.get(`gh:${o}/${r}`);
      const path = p.join('/');
      if (store && path.split('/')[0] === 'lfs' && store.has(path)) {
        return send(
          res,
          200,
          `version https://git-lfs.github.com/spec/v1\noid sha256:${'0'.repeat(64)}\nsize 999999\n`,
        );
      }
      const buf = store && store.get(path);
      return buf ? sendBytes(req, res, buf) : send(res, 404, '404: Not Found');
    }
    if (mount === 'gcs') return gcs(req, res, rest, q);
    if (mount === 's3') return s3(req, res, rest, q);
    if (mount === 'web') return web(req, res, rest, u.pathname);
    return send(res, 404, 'no such mount');
  }

  function hf(req, res, rest, q) {
    if (rest[0] === 'api') {
      // api/{type}s/{owner}/{name}/tree/{rev}/{path...}
      const [, , owner, name, tree, rev, ...p] = rest;
      const store = stores.get(`hf:${owner}/${name}`);
      if (!store || tree !== 'tree')
        return sendJson(
          res,
          401,
          { error: 'Repository not found' },
          { 'X-Error-Code': 'RepoNotFound' },
        );
      if (rev !== 'main') return sendJson(res, 404, { error: `Invalid rev id: ${rev}` });
      const prefix = p.join('/');
      const all = [];
      const dirs = new Set();
      for (const path of sorted(store)) {
        if (prefix && !path.startsWith(`${prefix}/`)) continue;
        const parts = path.split('/');
        for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
        all.push({ type: 'file', oid: 'x', size: store.get(path).length, path });
      }
      for (const d of dirs)
        if (!prefix || d.startsWith(`${prefix}/`))
          all.push({ type: 'directory', oid: 'y', size: 0, path: d });
      if (prefix && !all.length) return sendJson(res, 404, { error: `Entry not found: ${prefix}` });
      const from = Number(q.get('cursor') || 0);
      const page = all.slice(from, from + HF_PAGE);
      const headers = {};
      if (from + HF_PAGE < all.length) {
        const next = new URL(req.url, `http://${req.headers.host}`);
        next.searchParams.set('cursor', String(from + HF_PAGE));
        headers.Link = `<${next.href}>; rel="next"`;
      }
      return sendJson(res, 200, page, headers);
    }
    // [datasets|spaces/]{owner}/{name}/resolve/{rev}/{path}
    const r = rest[0] === 'datasets' || rest[0] === 'spaces' ? rest.slice(1) : rest;
    const [owner, name, resolve, , ...p] = r;
    if (resolve !== 'resolve') return send(res, 404, 'not found');
    res.writeHead(302, {
      ...CORS,
      Location: `/hf-cdn/${enc(`${owner}/${name}/${p.join('/')}`)}`,
      'Content-Length': 0,
    });
    return res.end();
  }

  function ghApi(req, res, rest) {
    const [repos, o, r, git, trees] = rest;
    if (repos !== 'repos' || git !== 'git' || trees !== 'trees')
      return sendJson(res, 404, { message: 'Not Found' });
    if (r === 'limited') {
      return sendJson(
        res,
        403,
        { message: 'API rate limit exceeded for 127.0.0.1.' },
        {
          'X-RateLimit-Limit': '60',
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset': String(Math.floor(Date.now() / 1000) + 1800),
        },
      );
    }
    const store = stores.get(`gh:${o}/${r}`);
    if (!store) return sendJson(res, 404, { message: 'Not Found' });
    const tree = [];
    const dirs = new Set();
    for (const path of sorted(store)) {
      const parts = path.split('/');
      for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
      tree.push({ path, mode: '100644', type: 'blob', sha: 'x', size: store.get(path).length });
    }
    for (const d of dirs) tree.push({ path: d, mode: '040000', type: 'tree', sha: 'y' });
    tree.sort((a, b) => (a.path < b.path ? -1 : 1));
    return sendJson(
      res,
      200,
      { sha: 'z', tree, truncated: false },
      { 'X-RateLimit-Remaining': '59' },
    );
  }

  function gcs(req, res, rest, q) {
    if (rest[0] === 'storage') {
      const bucket = rest[3];
      const store = stores.get(`gcs:${bucket}`);
      if (!store)
        return sendJson(res, 404, {
          error: { code: 404, message: 'The specified bucket does not exist.' },
        });
      const prefix = q.get('prefix') || '';
      const names = sorted(store).filter((n) => n.startsWith(prefix));
      const from = Number(q.get('pageToken') || 0);
      const doc = {
        kind: 'storage#objects',
        items: names.slice(from, from + GCS_PAGE).map((n) => ({
          kind: 'storage#object',
          name: n,
          bucket,
          size: String(store.get(n).length),
        })),
      };
      if (from + GCS_PAGE < names.length) doc.nextPageToken = String(from + GCS_PAGE);
      return sendJson(res, 200, doc);
    }
    const buf = stores.get(`gcs:${rest[0]}`)?.get(rest.slice(1).join('/'));
    return buf
      ? sendBytes(req, res, buf)
      : sendJson(res, 404, { error: { code: 404, message: 'No such object' } });
  }

  function s3(req, res, rest, q) {
    const [bucket, ...p] = rest;
    const store = stores.get(`s3:${bucket}`);
    const errXml = (code, msg) =>
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${msg}</Message></Error>`;
    if (!store)
      return send(res, 404, errXml('NoSuchBucket', 'The specified bucket does not exist'), {
        'Content-Type': 'application/xml',
      });
    const key = p.join('/');
    if (key === '' && q.get('list-type') === '2') {
      const prefix = q.get('prefix') || '';
      const keys = sorted(store).filter((k) => k.startsWith(prefix));
      const from = Number(q.get('continuation-token') || 0);
      const page = keys.slice(from, from + S3_PAGE);
      const more = from + S3_PAGE < keys.length;
      const body =
        `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
        `<Name>${bucket}</Name><Prefix>${xml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${S3_PAGE}</MaxKeys>` +
        `<IsTruncated>${more}</IsTruncated>` +
        page
          .map(
            (k) =>
              `<Contents><Key>${xml(k)}</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified><Size>${store.get(k).length}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
          )
          .join('') +
        (more ? `<NextContinuationToken>${from + S3_PAGE}</NextContinuationToken>` : '') +
        '</ListBucketResult>';
      return send(res, 200, body, { 'Content-Type': 'application/xml' });
    }
    const buf = store.get(key);
    return buf
      ? sendBytes(req, res, buf)
      : send(res, 404, errXml('NoSuchKey', 'The specified key does not exist.'), {
          'Content-Type': 'application/xml',
        });
  }

  /** /web/{style}/{path}: an index page for a folder (ending '/'), else the file. */
  function web(req, res, rest, pathname) {
    const [style, ...p] = rest;
    const store = stores.get('web');
    const rel = p.join('/');
    if (!pathname.endsWith('/')) {
      const buf = store.get(rel);
      return buf ? sendBytes(req, res, buf) : send(res, 404, 'File not found');
    }
    const dir = rel ? `${rel.replace(/\/$/, '')}/` : '';
    const children = new Map();
    for (const path of sorted(store)) {
      if (!path.startsWith(dir)) continue;
      const head = path.slice(dir.length).split('/');
      children.set(head.length > 1 ? `${head[0]}/` : head[0], true);
    }
    if (!children.size) return send(res, 404, 'Not Found');
    const names = [...children.keys()];
    const a = (n) =>
      `<a href="${enc(n.replace(/\/$/, '')) + (n.endsWith('/') ? '/' : '')}">${xml(n)}</a>`;
    let html;
    if (style === 'nginx') {
      html =
        `<html>\r\n<head><title>Index of ${pathname}</title></head>\r\n<body>\r\n<h1>Index of ${pathname}</h1><hr><pre><a href="../">../</a>\r\n` +
        names.map((n) => `${a(n)}${' '.repeat(20)}06-Dec-2026 01:00       -\r\n`).join('') +
        '</pre><hr></body>\r\n</html>\r\n';
    } else if (style === 'apache') {
      html =
        `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<html>\n <head>\n  <title>Index of ${pathname}</title>\n </head>\n <body>\n<h1>Index of ${pathname}</h1>\n` +
        '  <table>\n   <tr><th valign="top"><img src="/icons/blank.gif" alt="[ICO]"></th><th><a href="?C=N;O=D">Name</a></th><th><a href="?C=M;O=A">Last modified</a></th><th><a href="?C=S;O=A">Size</a></th></tr>\n' +
        `<tr><td valign="top"><img src="/icons/back.gif" alt="[PARENTDIR]"></td><td><a href="${pathname.replace(/[^/]+\/$/, '')}">Parent Directory</a></td></tr>\n` +
        names
          .map(
            (n) =>
              `<tr><td valign="top"><img src="/icons/unknown.gif" alt="[   ]"></td><td>${a(n)}</td><td align="right">2026-12-06 01:00  </td><td align="right">1.0K</td></tr>\n`,
          )
          .join('') +
        '</table>\n</body></html>\n';
    } else {
      html =
        `<!DOCTYPE HTML>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Directory listing for ${pathname}</title>\n</head>\n<body>\n<h1>Directory listing for ${pathname}</h1>\n<hr>\n<ul>\n` +
        names.map((n) => `<li>${a(n)}</li>\n`).join('') +
        '</ul>\n<hr>\n</body>\n</html>\n';
    }
    return send(res, 200, html, { 'Content-Type': 'text/html; charset=utf-8' });
  }

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    stores,
    requests,
    /** The value for window.__tbviewTestHosts. */
    hosts: {
      hf: `${url}/hf`,
      githubApi: `${url}/gh-api`,
      githubRaw: `${url}/gh-raw`,
      gcs: `${url}/gcs`,
      s3: `${url}/s3`,
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

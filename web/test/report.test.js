// The single-file report's pure parts (src/report/html.js) and the Export
// button's selection rules (src/report/export.js), in Node.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';

import {
  REPORT_IDS,
  base64ToBytes,
  buildReportHtml,
  bytesToBase64,
  entersDoubleEscape,
  escapeScriptText,
  jsonForScript,
  sha256,
  sha256Base64,
  stripShell,
} from '../src/report/html.js';
import { reportState, selectFiles } from '../src/report/export.js';

const LT = '<';

test('sha256: the plain-JS digest equals node:crypto on edge lengths', () => {
  for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000]) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 255);
    assert.equal(
      Buffer.from(sha256(bytes)).toString('hex'),
      createHash('sha256').update(bytes).digest('hex'),
      `n=${n}`,
    );
  }
});

test('sha256Base64 is the CSP hash form', async () => {
  assert.equal(await sha256Base64('abc'), createHash('sha256').update('abc').digest('base64'));
});

test('base64 round trip', () => {
  const bytes = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 7919) & 255);
  const b64 = bytesToBase64(bytes);
  assert.equal(b64, Buffer.from(bytes).toString('base64'));
  assert.deepEqual(base64ToBytes(b64), bytes);
  assert.deepEqual(base64ToBytes(`${b64.slice(0, 10)}\n${b64.slice(10)}`), bytes);
  assert.deepEqual(base64ToBytes(''), new Uint8Array(0));
});

test('escapeScriptText: no "</script" survives; idempotent; double-escape refused', () => {
  const js = `const a = "${LT}/script>"; const r = /${LT}\\/SCRIPT/i;`;
  const out = escapeScriptText(js);
  assert.doesNotMatch(out, new RegExp(`${LT}/script`, 'i'));
  assert.equal(escapeScriptText(out), out);
  assert.equal(entersDoubleEscape(`x = "${LT}!--"; y = "-->"; z = "${LT}script>";`), false);
  assert.equal(entersDoubleEscape(`x = "${LT}!-- ${LT}script>";`), true);
  assert.throws(() => escapeScriptText(`"${LT}!--${LT}script "`), /script tag/);
});

test('jsonForScript: no "<" at all, parses back', () => {
  const v = { s: `${LT}/script>${LT}!--` };
  const j = jsonForScript(v);
  assert.ok(!j.includes(LT));
  assert.deepEqual(JSON.parse(j), v);
});

test('stripShell drops the CSP, external scripts, stylesheets and logdir metas', () => {
  const shell = `<html><head><meta charset="utf-8">
  <!-- Content-Security-Policy: why -->
  <meta http-equiv="Content-Security-Policy" content="script-src 'self'">
  <title>t</title>
  ${LT}script type="module" crossorigin src="./assets/index-X.js"></script>
  <link rel="stylesheet" crossorigin href="./assets/index-X.css">
  <meta name="tbview-logdir" content="logdir/">
</head><body><p>hi</p></body></html>`;
  const out = stripShell(shell);
  for (const gone of ['Content-Security-Policy', 'index-X.js', 'index-X.css', 'tbview-logdir'])
    assert.ok(!out.includes(gone), gone);
  assert.match(out, /<title>t<\/title>/);
  assert.match(out, /<p>hi<\/p>/);
});

test('buildReportHtml: blocks in order, CSP hashes the inline script and style', async () => {
  const appJs = `console.log("${LT}/script>")`;
  const { html, csp } = await buildReportHtml({
    shell: '<html><head><meta charset="utf-8"><title>x</title></head><body></body></html>',
    css: 'body{color:red}',
    appJs,
    workerJs: 'w()',
    engineJs: 'var createTbviewModule=1',
    logsBase64: 'AAAA',
    files: [{ path: 'a/b', size: 3 }],
    title: 'my <logs>',
    state: 'smoothing=0.7',
  });
  const escaped = escapeScriptText(appJs);
  assert.ok(csp.includes(`'sha256-${createHash('sha256').update(escaped).digest('base64')}'`));
  assert.ok(
    csp.includes(`'sha256-${createHash('sha256').update('body{color:red}').digest('base64')}'`),
  );
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'/);
  const order = [
    REPORT_IDS.css,
    REPORT_IDS.data,
    REPORT_IDS.engine,
    REPORT_IDS.worker,
    REPORT_IDS.logs,
    REPORT_IDS.app,
  ].map((id) => html.indexOf(`id="${id}"`));
  assert.ok(
    order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1])),
    String(order),
  );
  assert.match(html, /<title>my &lt;logs&gt; · tbview report<\/title>/);
  const data = JSON.parse(/id="tbview-report-data">([^<]*)</.exec(html)[1]);
  assert.equal(data.state, 'smoothing=0.7');
  assert.deepEqual(data.files, [{ path: 'a/b', size: 3 }]);
  assert.equal(data.logs.bytes, 3);
});

test('selectFiles / reportState: deselected runs are left out, opening params dropped', () => {
  const files = [
    { id: 0, path: 'a/e1', run: 'a', status: 'ok' },
    { id: 1, path: 'b/e1', run: 'b', status: 'ok' },
    { id: 2, path: 'x.zip', run: '.', status: 'ok' },
    { id: -1, path: 'c/e1', run: 'c', status: 'queued' },
  ];
  const { files: chosen, hidden } = selectFiles(files, ['b', 'x.zip/r1', 'gone']);
  assert.deepEqual(
    chosen.map((f) => f.path),
    ['a/e1', 'x.zip'],
  );
  assert.deepEqual(hidden, ['x.zip/r1']);
  const q = new URLSearchParams(
    reportState('?url=http://h/logs/&logdir=l&smoothing=0.5&hide=b', hidden),
  );
  assert.equal(q.get('url'), null);
  assert.equal(q.get('logdir'), null);
  assert.equal(q.get('smoothing'), '0.5');
  assert.deepEqual(q.getAll('hide'), ['x.zip/r1']);
});

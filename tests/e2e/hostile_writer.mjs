// A hostile log set for tests/e2e/hostile.test.mjs: event files whose every
// string a viewer shows is an HTML/script payload. Run directory names, file
// names, tag names, display names, descriptions, text summaries (Markdown),
// audio labels, hparams names/values/descriptions and custom-scalars titles.
//
// Every payload that could run script sets window.__pwned (or calls alert) with
// an id naming it, and every payload that could load something points at
// `beacon` (an http://127.0.0.1:<port> origin that is not the app's), so a test
// can tell that nothing ran and nothing was requested, and which payload did if
// one did. Protobuf encoding is written here (field numbers from proto/*.proto);
// framing comes from helpers.mjs.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { frameRecord } from './helpers.mjs';

// ---------------------------------------------------------------- protobuf

const enc = new TextEncoder();

/** Minimal protobuf writer: fields appended in call order. */
class Pb {
  constructor() { this.parts = []; this.n = 0; }
  raw(b) { this.parts.push(b); this.n += b.length; return this; }
  varint(v) {
    let x = BigInt.asUintN(64, BigInt(v));
    const b = [];
    do { let byte = Number(x & 0x7fn); x >>= 7n; if (x) byte |= 0x80; b.push(byte); } while (x);
    return this.raw(Uint8Array.from(b));
  }
  key(f, wire) { return this.varint((f << 3) | wire); }
  int(f, v) { return this.key(f, 0).varint(v); }
  double(f, v) { const a = new Uint8Array(8); new DataView(a.buffer).setFloat64(0, v, true); return this.key(f, 1).raw(a); }
  float(f, v) { const a = new Uint8Array(4); new DataView(a.buffer).setFloat32(0, v, true); return this.key(f, 5).raw(a); }
  bytes(f, d) {
    const b = d instanceof Pb ? d.finish() : typeof d === 'string' ? enc.encode(d) : d;
    return this.key(f, 2).varint(b.length).raw(b);
  }
  packedFloats(f, xs) {
    const a = new Uint8Array(4 * xs.length);
    const dv = new DataView(a.buffer);
    xs.forEach((x, i) => dv.setFloat32(4 * i, x, true));
    return this.bytes(f, a);
  }
  packedDoubles(f, xs) {
    const a = new Uint8Array(8 * xs.length);
    const dv = new DataView(a.buffer);
    xs.forEach((x, i) => dv.setFloat64(8 * i, x, true));
    return this.bytes(f, a);
  }
  finish() {
    const out = new Uint8Array(this.n);
    let o = 0;
    for (const p of this.parts) { out.set(p, o); o += p.length; }
    return out;
  }
}

const DT_FLOAT = 1;
const DT_STRING = 7;

/** SummaryMetadata {plugin_data {plugin_name, content}, display_name, summary_description, data_class}. */
function metadata({ plugin, content, displayName, description, dataClass }) {
  const m = new Pb();
  if (plugin !== undefined) {
    const pd = new Pb().bytes(1, plugin);
    if (content !== undefined) pd.bytes(2, content);
    m.bytes(1, pd);
  }
  if (displayName !== undefined) m.bytes(2, displayName);
  if (description !== undefined) m.bytes(3, description);
  if (dataClass !== undefined) m.int(4, dataClass);
  return m;
}

/** TensorProto: {dtype, shape: number[], strings?: (string|Uint8Array)[], floats?: number[]}. */
function tensor({ dtype, shape = [], strings, floats }) {
  const shp = new Pb();
  for (const d of shape) shp.bytes(2, new Pb().int(1, d));
  const t = new Pb().int(1, dtype).bytes(2, shp);
  if (floats) t.packedFloats(5, floats);
  if (strings) for (const s of strings) t.bytes(8, s);
  return t;
}

/**
 * Summary.Value: {tag, meta?, simpleValue?, tensor?, image?: {w, h, png}, histo?: {limits, counts}}.
 */
function value(v) {
  const p = new Pb().bytes(1, v.tag);
  if (v.meta) p.bytes(9, metadata(v.meta));
  if (v.simpleValue !== undefined) p.float(2, v.simpleValue);
  if (v.image) p.bytes(4, new Pb().int(1, v.image.h).int(2, v.image.w).int(3, 3).bytes(4, v.image.png));
  if (v.histo) {
    const { limits, counts } = v.histo;
    const n = counts.reduce((s, c) => s + c, 0);
    p.bytes(5, new Pb().double(1, limits[0] - 1).double(2, limits[limits.length - 1]).double(3, n)
      .double(4, n).double(5, n).packedDoubles(6, limits).packedDoubles(7, counts));
  }
  if (v.tensor) p.bytes(8, tensor(v.tensor));
  return p;
}

/** Event {wall_time, step, file_version | summary {value...}}. */
function event({ wallTime, step = 0, fileVersion, values }) {
  const e = new Pb().double(1, wallTime);
  if (step) e.int(2, step);
  if (fileVersion) e.bytes(3, fileVersion);
  if (values) {
    const s = new Pb();
    for (const v of values) s.bytes(1, value(v));
    e.bytes(5, s);
  }
  return e.finish();
}

function eventFile(events) {
  const recs = [event({ wallTime: 1_600_000_000, fileVersion: 'brain.Event:2' }), ...events.map(event)].map(frameRecord);
  const out = new Uint8Array(recs.reduce((s, r) => s + r.length, 0));
  let o = 0;
  for (const r of recs) { out.set(r, o); o += r.length; }
  return out;
}

// ---------------------------------------------------------------- payloads

/**
 * HTML/Markdown payloads. `id` is the value a payload would write to
 * window.__pwned; `beacon` the foreign origin a loading payload would hit.
 */
export function markdownPayloads(beacon) {
  const b = (what) => `${beacon}/beacon/${what}`;
  const pw = (id) => `window.__pwned='${id}'`;
  return [
    `<script>${pw('md-script')}</script>`,
    `<img src=x onerror="${pw('md-img-onerror')}">`,
    `<img src="${b('md-img')}" alt="remote">`,
    `![remote image](${b('md-markdown-img')})`,
    `<img srcset="${b('md-srcset')} 1x" src="data:image/png;base64,iVBORw0KGgo=">`,
    `<iframe src="javascript:parent.__pwned='md-iframe'"></iframe>`,
    `<iframe srcdoc="<script>parent.__pwned='md-srcdoc'</script>"></iframe>`,
    `<a href="javascript:${pw('md-js-link')}">javascript link</a>`,
    `[markdown js link](javascript:${pw('md-js-mdlink')})`,
    `<a href="data:text/html,<script>alert('md-data-link')</script>">data link</a>`,
    `<style>@import url(${b('md-style-import')}); body { background: url(${b('md-style-bg')}) }</style>`,
    `<link rel="stylesheet" href="${b('md-link-css')}">`,
    `<div style="background-image: url(${b('md-inline-style')})">styled div</div>`,
    `<svg onload="${pw('md-svg-onload')}"><circle r="5"/></svg>`,
    `<svg><image href="${b('md-svg-image')}"/><script>${pw('md-svg-script')}</script></svg>`,
    `<meta http-equiv="refresh" content="0;url=${b('md-meta-refresh')}">`,
    `<form action="${b('md-form')}" method="post"><input name="q" value="x"><button>submit</button></form>`,
    `<button formaction="${b('md-formaction')}">formaction</button>`,
    `<object data="${b('md-object')}"></object><embed src="${b('md-embed')}">`,
    `<video poster="${b('md-video-poster')}" src="${b('md-video')}"></video><audio src="${b('md-audio')}" autoplay></audio>`,
    `<base href="${b('md-base')}/">`,
    `<input autofocus onfocus="${pw('md-autofocus')}">`,
    `<details open ontoggle="${pw('md-ontoggle')}"><summary>details</summary>body</details>`,
    `<math><mtext><table><mglyph><style><img src=x onerror="${pw('md-mxss-math')}">`,
    `<noscript><p title="</noscript><img src=x onerror=${pw('md-mxss-noscript')}>"></noscript>`,
    `<img src=x onerror=alert('md-alert')>`,
    `<body onload="${pw('md-body-onload')}">body</body>`,
    `<div id="__tbview" name="__tbview">clobber</div><form id="x"><input id="attributes"></form>`,
    `{{constructor.constructor('${pw('md-template')}')()}}`,
    `<a href="${b('md-plain-link')}">a plain link (only a click may follow it)</a>`,
  ];
}

/** Payloads usable as file and directory names (no '/', no NUL, <= 255 bytes). */
export const NAME_PAYLOADS = Object.freeze([
  `<img src=x onerror=window.__pwned='name-img'>`,
  `"><svg onload=alert('name-svg')>`,
  `{{constructor.constructor('alert(1)')()}}`,
]);

/** A 1x1 PNG. */
const PNG = Uint8Array.from(Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'));

/** A short mono 16-bit PCM WAV. */
function wav(frames = 800, rate = 8000) {
  const b = Buffer.alloc(44 + 2 * frames);
  b.write('RIFF', 0); b.writeUInt32LE(36 + 2 * frames, 4); b.write('WAVE', 8);
  b.write('fmt ', 12); b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20); b.writeUInt16LE(1, 22);
  b.writeUInt32LE(rate, 24); b.writeUInt32LE(rate * 2, 28); b.writeUInt16LE(2, 32); b.writeUInt16LE(16, 34);
  b.write('data', 36); b.writeUInt32LE(2 * frames, 40);
  for (let i = 0; i < frames; i++) b.writeInt16LE(Math.round(8000 * Math.sin(i / 5)), 44 + 2 * i);
  return Uint8Array.from(b);
}

// ---------------------------------------------------------------- the log set

/**
 * Writes the hostile log set below `root` and says what it holds.
 * @param {string} root an empty directory
 * @param {string} beacon e.g. 'http://127.0.0.1:9' (a foreign origin)
 * @returns {{scalarTags: string[], textTags: string[], md: string[], runs: string[], fileNames: string[],
 *            describedTag: string, displayName: string, description: string, hparamValue: string,
 *            tableCells: string[]}}
 */
export function writeHostileLogs(root, beacon) {
  const md = markdownPayloads(beacon);
  const pw = (id) => `window.__pwned='${id}'`;
  const scalarTags = [
    `<script>${pw('tag-script')}</script>`,
    `<img src=x onerror="${pw('tag-img')}">`,
    `loss/<b onmouseover="${pw('tag-hover')}">bold</b>`,
    `<a href="javascript:${pw('tag-link')}">t</a>`,
    `${beacon}/beacon/tag-url`,
  ];
  const displayName = `<img src=x onerror="${pw('display-name')}"> display`;
  const description = `<script>${pw('description')}</script>**desc** <img src="${beacon}/beacon/description">`;
  const hparamValue = `<img src=x onerror="${pw('hparam-value')}">adam`;
  const tableCells = [`<script>${pw('cell-0')}</script>`, `<img src=x onerror="${pw('cell-1')}">`, `<b>cell</b>`];
  const [runA, runB, fileName] = NAME_PAYLOADS;
  const runs = [runA, runB, `session ${NAME_PAYLOADS[2]}`];

  const events = [];
  for (let step = 0; step < 20; step++) {
    const values = scalarTags.map((tag, i) => ({ tag, simpleValue: Math.fround(Math.sin(step / 3 + i)) }));
    // Display name and description on a tag only this run has (the first run
    // that has a tag decides its card's display name).
    if (step === 0) values[2].meta = { plugin: 'scalars', displayName, description, dataClass: 1 };
    if (step % 5 === 0) {
      values.push({ tag: `images/<img src=x onerror="${pw('image-tag')}">`, image: { w: 1, h: 1, png: PNG } });
      values.push({ tag: `hist/<svg onload="${pw('hist-tag')}">`, histo: { limits: [0, 1, 2, 3], counts: [1, 4 + step, 2, 1] } });
      values.push({
        tag: `pr/<img src=x onerror="${pw('pr-tag')}">`,
        meta: { plugin: 'pr_curves', content: new Pb().int(1, 0).int(2, 3).finish(), dataClass: 2 },
        tensor: { dtype: DT_FLOAT, shape: [6, 3], floats: [10, 6, 0, 5, 9, 10, 0, 1, 4, 0, 0, 0, 1, 0.6, 1, 0.5, 0.9, 0] },
      });
      values.push({
        tag: `audio/<img src=x onerror="${pw('audio-tag')}">`,
        meta: { plugin: 'audio', content: new Pb().int(1, 0).int(2, 11).finish(), dataClass: 2 },
        tensor: { dtype: DT_STRING, shape: [1, 2], strings: [wav(), md[1] + '\n\n' + md[2] + '\n\n' + md[7]] },
      });
    }
    events.push({ wallTime: 1_600_000_001 + step, step, values });
  }
  // Text: one tag per Markdown payload (so none can swallow another), a rank-1
  // and a rank-2 table.
  const textTags = md.map((_, i) => `md/${String(i).padStart(2, '0')}`);
  events.push({
    wallTime: 1_600_000_100, step: 1,
    values: [
      ...md.map((text, i) => ({ tag: textTags[i], meta: { plugin: 'text', dataClass: 2 },
        tensor: { dtype: DT_STRING, shape: [], strings: [`**payload ${i}**\n\n${text}\n\nend ${i}`] } })),
      { tag: 'table/rank1', meta: { plugin: 'text', dataClass: 2 }, tensor: { dtype: DT_STRING, shape: [3], strings: tableCells } },
      { tag: 'table/rank2', meta: { plugin: 'text', dataClass: 2 },
        tensor: { dtype: DT_STRING, shape: [2, 2], strings: [md[0], md[1], md[10], md[16]] } },
    ],
  });
  write(root, runA, `events.out.tfevents.1600000000.${fileName}`, eventFile(events));

  // A second run, named by a payload, whose file name is a payload too.
  write(root, runB, `events.out.tfevents.1600000001.host`, eventFile([
    { wallTime: 1_600_000_001, step: 1, values: [{ tag: scalarTags[0], simpleValue: 1 }, { tag: scalarTags[1], simpleValue: 2 }] },
    { wallTime: 1_600_000_002, step: 2, values: [{ tag: scalarTags[0], simpleValue: 3 }, { tag: scalarTags[1], simpleValue: 1 }] },
  ]));
  write(root, runB, `${NAME_PAYLOADS[0]}.txt`, enc.encode(`<script>${pw('not-event-file')}</script>\n`));

  // HParams: an experiment (root run ".") and one session whose hparams are payloads;
  // custom scalars layout with payload titles.
  const str = (s) => new Pb().bytes(3, s);
  const hpInfo = new Pb().bytes(1, 'optimizer').bytes(2, `<b>Optimizer</b><img src=x onerror="${pw('hp-display')}">`)
    .bytes(3, `<script>${pw('hp-desc')}</script>`).int(4, 1)
    .bytes(5, new Pb().bytes(1, str(hparamValue)).bytes(1, str('sgd')));
  const hpInfo2 = new Pb().bytes(1, `<svg onload="${pw('hp-name')}">`).int(4, 1);
  const metric = new Pb().bytes(1, new Pb().bytes(2, scalarTags[1])).bytes(3, `<img src=x onerror="${pw('metric-display')}">`)
    .bytes(4, `<script>${pw('metric-desc')}</script>`);
  const experiment = new Pb().bytes(1, `<script>${pw('exp-desc')}</script>`).bytes(6, `<img src=x onerror="${pw('exp-name')}">`)
    .double(3, 1_600_000_000).bytes(4, hpInfo).bytes(4, hpInfo2).bytes(5, metric);
  const hparamsMeta = (data) => ({ plugin: 'hparams', content: data.finish(), dataClass: 0 });
  const catTitle = `<img src=x onerror="${pw('cs-category')}">`;
  const chart = (title, body) => new Pb().bytes(1, title).bytes(2, body);
  const layout = new Pb().int(1, 0).bytes(2, new Pb().bytes(1, catTitle)
    .bytes(2, chart(`<script>${pw('cs-chart')}</script>`, new Pb().bytes(1, '.*script.*').bytes(1, '<img')))
    .bytes(2, new Pb().bytes(1, `<svg onload="${pw('cs-margin')}">`).bytes(3, new Pb().bytes(1, new Pb()
      .bytes(1, scalarTags[1]).bytes(2, scalarTags[0]).bytes(3, scalarTags[2])))));
  write(root, '', 'events.out.tfevents.1600000000.root', eventFile([
    { wallTime: 1_600_000_000, values: [{ tag: '_hparams_/experiment', meta: hparamsMeta(new Pb().int(1, 0).bytes(2, experiment)) }] },
    { wallTime: 1_600_000_000, values: [{ tag: 'custom_scalars__config__', meta: { plugin: 'custom_scalars', dataClass: 0 },
      tensor: { dtype: DT_STRING, shape: [], strings: [layout.finish()] } }] },
  ]));
  const hpEntry = (k, v) => new Pb().bytes(1, k).bytes(2, v);
  const start = new Pb()
    .bytes(1, hpEntry('optimizer', str(hparamValue)))
    .bytes(1, hpEntry(`<svg onload="${pw('hp-name')}">`, str(`<script>${pw('hp-value-2')}</script>`)))
    .bytes(4, `<img src=x onerror="${pw('group-name')}">`).double(5, 1_600_000_000);
  write(root, runs[2], 'events.out.tfevents.1600000002.host', eventFile([
    { wallTime: 1_600_000_000, values: [{ tag: '_hparams_/session_start_info', meta: hparamsMeta(new Pb().int(1, 0).bytes(3, start)) }] },
    { wallTime: 1_600_000_001, step: 1, values: [{ tag: scalarTags[1], simpleValue: 0.5 }] },
    { wallTime: 1_600_000_002, values: [{ tag: '_hparams_/session_end_info',
      meta: hparamsMeta(new Pb().int(1, 0).bytes(4, new Pb().int(1, 1).double(2, 1_600_000_002))) }] },
  ]));

  return {
    scalarTags, textTags, md, runs, fileNames: [`events.out.tfevents.1600000000.${fileName}`, `${NAME_PAYLOADS[0]}.txt`],
    describedTag: scalarTags[2], displayName, description, hparamValue, tableCells,
  };
}

function write(root, dir, name, bytes) {
  const d = path.join(root, dir);
  mkdirSync(d, { recursive: true });
  writeFileSync(path.join(d, name), bytes);
}

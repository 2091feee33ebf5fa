// A hostile log set for tests/e2e/hostile.test.mjs: event files whose every
// string a viewer shows is an HTML/script payload. Run directory names, file
// names, tag names, display names, descriptions, text summaries (Markdown),
// audio labels, hparams names/values/descriptions and custom-scalars titles.
//
// Every payload that could run script sets window.__pwned (or calls alert) with
// an id naming it, and every payload that could load something points at
// `beacon` (an http://127.0.0.1:<port> origin that is not the app's), so a test
// can tell that nothing ran and nothing was requested, and which payload did if
// one did. Events are encoded and framed by tests/support/tfrecord.mjs; plugin
// contents (hparams, custom scalars, PR curves, audio) are encoded here with its
// ProtoWriter (field numbers from proto/*.proto).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { DT_FLOAT, DT_STRING, ProtoWriter, logFile } from '../support/tfrecord.mjs';

const enc = new TextEncoder();

/** An event file of the hostile set: a file_version record at 1_600_000_000, then `events`. */
const eventFile = (events) => logFile(events, { wallTime: 1_600_000_000 });

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
const PNG = Uint8Array.from(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  ),
);

/** A short mono 16-bit PCM WAV. */
function wav(frames = 800, rate = 8000) {
  const b = Buffer.alloc(44 + 2 * frames);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + 2 * frames, 4);
  b.write('WAVE', 8);
  b.write('fmt ', 12);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(2 * frames, 40);
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
  const tableCells = [
    `<script>${pw('cell-0')}</script>`,
    `<img src=x onerror="${pw('cell-1')}">`,
    `<b>cell</b>`,
  ];
  const [runA, runB, fileName] = NAME_PAYLOADS;
  const runs = [runA, runB, `session ${NAME_PAYLOADS[2]}`];

  const events = [];
  for (let step = 0; step < 20; step++) {
    const values = scalarTags.map((tag, i) => ({
      tag,
      simpleValue: Math.fround(Math.sin(step / 3 + i)),
    }));
    // Display name and description on a tag only this run has (the first run
    // that has a tag decides its card's display name).
    if (step === 0)
      values[2].metadata = { plugin: 'scalars', displayName, description, dataClass: 1 };
    if (step % 5 === 0) {
      values.push({
        tag: `images/<img src=x onerror="${pw('image-tag')}">`,
        image: { w: 1, h: 1, png: PNG },
      });
      values.push({
        tag: `hist/<svg onload="${pw('hist-tag')}">`,
        histo: { limits: [0, 1, 2, 3], counts: [1, 4 + step, 2, 1] },
      });
      values.push({
        tag: `pr/<img src=x onerror="${pw('pr-tag')}">`,
        metadata: {
          plugin: 'pr_curves',
          content: new ProtoWriter().int(1, 0).int(2, 3).finish(),
          dataClass: 2,
        },
        tensor: {
          dtype: DT_FLOAT,
          shape: [6, 3],
          floats: [10, 6, 0, 5, 9, 10, 0, 1, 4, 0, 0, 0, 1, 0.6, 1, 0.5, 0.9, 0],
        },
      });
      values.push({
        tag: `audio/<img src=x onerror="${pw('audio-tag')}">`,
        metadata: {
          plugin: 'audio',
          content: new ProtoWriter().int(1, 0).int(2, 11).finish(),
          dataClass: 2,
        },
        tensor: {
          dtype: DT_STRING,
          shape: [1, 2],
          strings: [wav(), md[1] + '\n\n' + md[2] + '\n\n' + md[7]],
        },
      });
    }
    events.push({ wallTime: 1_600_000_001 + step, step, values });
  }
  // Text: one tag per Markdown payload (so none can swallow another), a rank-1
  // and a rank-2 table.
  const textTags = md.map((_, i) => `md/${String(i).padStart(2, '0')}`);
  events.push({
    wallTime: 1_600_000_100,
    step: 1,
    values: [
      ...md.map((text, i) => ({
        tag: textTags[i],
        metadata: { plugin: 'text', dataClass: 2 },
        tensor: {
          dtype: DT_STRING,
          shape: [],
          strings: [`**payload ${i}**\n\n${text}\n\nend ${i}`],
        },
      })),
      {
        tag: 'table/rank1',
        metadata: { plugin: 'text', dataClass: 2 },
        tensor: { dtype: DT_STRING, shape: [3], strings: tableCells },
      },
      {
        tag: 'table/rank2',
        metadata: { plugin: 'text', dataClass: 2 },
        tensor: { dtype: DT_STRING, shape: [2, 2], strings: [md[0], md[1], md[10], md[16]] },
      },
    ],
  });
  write(root, runA, `events.out.tfevents.1600000000.${fileName}`, eventFile(events));

  // A second run, named by a payload, whose file name is a payload too.
  write(
    root,
    runB,
    `events.out.tfevents.1600000001.host`,
    eventFile([
      {
        wallTime: 1_600_000_001,
        step: 1,
        values: [
          { tag: scalarTags[0], simpleValue: 1 },
          { tag: scalarTags[1], simpleValue: 2 },
        ],
      },
      {
        wallTime: 1_600_000_002,
        step: 2,
        values: [
          { tag: scalarTags[0], simpleValue: 3 },
          { tag: scalarTags[1], simpleValue: 1 },
        ],
      },
    ]),
  );
  write(
    root,
    runB,
    `${NAME_PAYLOADS[0]}.txt`,
    enc.encode(`<script>${pw('not-event-file')}</script>\n`),
  );

  // HParams: an experiment (root run ".") and one session whose hparams are payloads;
  // custom scalars layout with payload titles.
  const str = (s) => new ProtoWriter().lenDelim(3, s);
  const hpInfo = new ProtoWriter()
    .lenDelim(1, 'optimizer')
    .lenDelim(2, `<b>Optimizer</b><img src=x onerror="${pw('hp-display')}">`)
    .lenDelim(3, `<script>${pw('hp-desc')}</script>`)
    .int(4, 1)
    .lenDelim(5, new ProtoWriter().lenDelim(1, str(hparamValue)).lenDelim(1, str('sgd')));
  const hpInfo2 = new ProtoWriter().lenDelim(1, `<svg onload="${pw('hp-name')}">`).int(4, 1);
  const metric = new ProtoWriter()
    .lenDelim(1, new ProtoWriter().lenDelim(2, scalarTags[1]))
    .lenDelim(3, `<img src=x onerror="${pw('metric-display')}">`)
    .lenDelim(4, `<script>${pw('metric-desc')}</script>`);
  const experiment = new ProtoWriter()
    .lenDelim(1, `<script>${pw('exp-desc')}</script>`)
    .lenDelim(6, `<img src=x onerror="${pw('exp-name')}">`)
    .double(3, 1_600_000_000)
    .lenDelim(4, hpInfo)
    .lenDelim(4, hpInfo2)
    .lenDelim(5, metric);
  const hparamsMeta = (data) => ({ plugin: 'hparams', content: data.finish(), dataClass: 0 });
  const catTitle = `<img src=x onerror="${pw('cs-category')}">`;
  const chart = (title, body) => new ProtoWriter().lenDelim(1, title).lenDelim(2, body);
  const layout = new ProtoWriter().int(1, 0).lenDelim(
    2,
    new ProtoWriter()
      .lenDelim(1, catTitle)
      .lenDelim(
        2,
        chart(
          `<script>${pw('cs-chart')}</script>`,
          new ProtoWriter().lenDelim(1, '.*script.*').lenDelim(1, '<img'),
        ),
      )
      .lenDelim(
        2,
        new ProtoWriter()
          .lenDelim(1, `<svg onload="${pw('cs-margin')}">`)
          .lenDelim(
            3,
            new ProtoWriter().lenDelim(
              1,
              new ProtoWriter()
                .lenDelim(1, scalarTags[1])
                .lenDelim(2, scalarTags[0])
                .lenDelim(3, scalarTags[2]),
            ),
          ),
      ),
  );
  write(
    root,
    '',
    'events.out.tfevents.1600000000.root',
    eventFile([
      {
        wallTime: 1_600_000_000,
        values: [
          {
            tag: '_hparams_/experiment',
            metadata: hparamsMeta(new ProtoWriter().int(1, 0).lenDelim(2, experiment)),
          },
        ],
      },
      {
        wallTime: 1_600_000_000,
        values: [
          {
            tag: 'custom_scalars__config__',
            metadata: { plugin: 'custom_scalars', dataClass: 0 },
            tensor: { dtype: DT_STRING, shape: [], strings: [layout.finish()] },
          },
        ],
      },
    ]),
  );
  const hpEntry = (k, v) => new ProtoWriter().lenDelim(1, k).lenDelim(2, v);
  const start = new ProtoWriter()
    .lenDelim(1, hpEntry('optimizer', str(hparamValue)))
    .lenDelim(
      1,
      hpEntry(`<svg onload="${pw('hp-name')}">`, str(`<script>${pw('hp-value-2')}</script>`)),
    )
    .lenDelim(4, `<img src=x onerror="${pw('group-name')}">`)
    .double(5, 1_600_000_000);
  write(
    root,
    runs[2],
    'events.out.tfevents.1600000002.host',
    eventFile([
      {
        wallTime: 1_600_000_000,
        values: [
          {
            tag: '_hparams_/session_start_info',
            metadata: hparamsMeta(new ProtoWriter().int(1, 0).lenDelim(3, start)),
          },
        ],
      },
      { wallTime: 1_600_000_001, step: 1, values: [{ tag: scalarTags[1], simpleValue: 0.5 }] },
      {
        wallTime: 1_600_000_002,
        values: [
          {
            tag: '_hparams_/session_end_info',
            metadata: hparamsMeta(
              new ProtoWriter()
                .int(1, 0)
                .lenDelim(4, new ProtoWriter().int(1, 1).double(2, 1_600_000_002)),
            ),
          },
        ],
      },
    ]),
  );

  return {
    scalarTags,
    textTags,
    md,
    runs,
    fileNames: [`events.out.tfevents.1600000000.${fileName}`, `${NAME_PAYLOADS[0]}.txt`],
    describedTag: scalarTags[2],
    displayName,
    description,
    hparamValue,
    tableCells,
  };
}

function write(root, dir, name, bytes) {
  const d = path.join(root, dir);
  mkdirSync(d, { recursive: true });
  writeFileSync(path.join(d, name), bytes);
}

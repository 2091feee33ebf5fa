/**
 * Audio: one player per (tag, run) with a step slider, the clip's sample
 * rate, channels and length (from the WAV header, read here), and its label
 * (Markdown, sanitized) where one exists.
 *
 * Audio tensors are [k, 2] of [encoded, label] (clip i is string 2i, its
 * label 2i + 1); legacy audio converted by data compat may be a single string.
 * client.tensor() gives the shape, so both forms read the same way.
 */
import { h } from '../../ui/dom.js';
import {
  StepSlider,
  cardFrame,
  dashboardRoot,
  Serial,
  errorText,
  mountCardGrid,
} from '../../ui/base.js';
import {
  sniffAudioType,
  parseWavHeader,
  formatSampleRate,
  formatClipLength,
  decodeText,
} from '../../ui/media.js';
import { setMarkdown } from '../../ui/markdown.js';

/** The clips of an audio tensor: [{bytes, label}] from its shape and strings. */
export function audioClips(t) {
  const s = t.strings || [];
  const shape = t.shape || [];
  if (shape.length === 2 && shape[1] === 2) {
    const out = [];
    for (let i = 0; i < shape[0]; i++)
      out.push({ bytes: s[2 * i], label: s[2 * i + 1] ? decodeText(s[2 * i + 1]) : '' });
    return out;
  }
  return s.map((b) => ({ bytes: b, label: '' }));
}

class AudioCard {
  constructor(entry, client, ctx) {
    this.entry = entry;
    this.client = client;
    this.frame = cardFrame(entry, ctx, 'db-audio-card');
    this.el = this.frame.el;
    this.gen = 0;
    this.urls = [];
    this.list = h('div.db-audio-list');
    this.frame.body.append(this.list);
    this.slider = new StepSlider((i) => this.show(i));
    this.frame.meta.append(this.slider.el);
    this.loader = new Serial(() => this._load());
  }

  update(entry) {
    this.entry = entry;
  }
  load() {
    return this.loader.run();
  }

  async _load() {
    try {
      const s = await this.client.tensorSteps(this.entry.run, this.entry.tag);
      this.steps = s;
      this.slider.setSteps(s.step, s.wallTime);
    } catch (err) {
      this.frame.setMessage(`Could not read steps: ${errorText(err)}`, 'error');
    }
  }

  async show(i) {
    if (i < 0) return;
    const gen = ++this.gen;
    let t;
    try {
      t = await this.client.tensor(this.entry.run, this.entry.tag, i);
    } catch (err) {
      if (gen === this.gen)
        this.frame.setMessage(`Could not read clip: ${errorText(err)}`, 'error');
      return;
    }
    if (gen !== this.gen) return;
    for (const u of this.urls) URL.revokeObjectURL(u);
    this.urls = [];
    this.list.replaceChildren();
    const clips = audioClips(t);
    if (!clips.length) {
      this.frame.setMessage('No clip at this step');
      return;
    }
    this.frame.setMessage('');
    clips.forEach((c, k) => {
      const type = sniffAudioType(c.bytes);
      const wav = parseWavHeader(c.bytes);
      const info = [];
      if (wav) {
        info.push(
          formatSampleRate(wav.sampleRate),
          wav.channels === 1 ? 'mono' : wav.channels === 2 ? 'stereo' : `${wav.channels} ch`,
          `${wav.bitsPerSample}-bit ${wav.format}`,
          formatClipLength(wav.duration),
        );
      } else if (type) info.push(type.slice(6).toUpperCase());
      const row = h('div.db-audio-clip', { dataset: { clip: String(k), step: String(t.step) } });
      if (clips.length > 1) row.append(h('div.db-audio-idx', { text: `Clip ${k + 1}` }));
      if (type) {
        const url = URL.createObjectURL(new Blob([c.bytes], { type }));
        this.urls.push(url);
        const audio = h('audio.db-audio', { controls: true, preload: 'metadata', src: url });
        if (wav) {
          audio.dataset.sampleRate = String(wav.sampleRate);
          audio.dataset.duration = String(wav.duration);
        }
        row.append(audio);
      } else {
        row.append(
          h('div.db-card-msg.db-card-msg-error', {
            text: 'Not an audio format this viewer knows (WAV, OGG, FLAC, MP3)',
          }),
        );
      }
      row.append(h('div.db-audio-info', { text: info.filter(Boolean).join(' · ') }));
      if (c.label) {
        const label = h('div.db-audio-label.db-markdown');
        setMarkdown(label, c.label); // sanitized (markdown.js)
        row.append(label);
      }
      this.list.append(row);
    });
  }

  destroy() {
    this.gen++;
    for (const u of this.urls) URL.revokeObjectURL(u);
    this.urls = [];
  }
}

export const audioDashboard = {
  id: 'audio',
  title: 'Audio',
  hasData: (tags) => tags.some((t) => t.plugin === 'audio'),
  mount(container, client, ctx) {
    const ui = dashboardRoot(container, 'audio', 'Audio');
    ui.toolbar.hidden = true;
    return mountCardGrid(ui, client, ctx, {
      plugin: 'audio',
      noun: 'audio',
      makeCard: (e) => new AudioCard(e, client, ctx),
    });
  },
};

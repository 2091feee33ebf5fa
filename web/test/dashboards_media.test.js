// node --test: image type sniffing and WAV header parsing (src/ui/media.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  sniffImageType,
  sniffAudioType,
  parseWavHeader,
  formatSampleRate,
  formatClipLength,
  decodeText,
} from '../src/ui/media.js';
import { encodePng, encodeBmp, encodeWav } from './fake_logs.js';

const bytes = (...a) => Uint8Array.from(a);
const ascii = (s) => new TextEncoder().encode(s);

test('sniffImageType recognises PNG, JPEG, GIF, BMP and WebP by content', () => {
  assert.equal(sniffImageType(encodePng(2, 2, new Uint8Array(12))), 'image/png');
  assert.equal(sniffImageType(encodeBmp(2, 2, new Uint8Array(12))), 'image/bmp');
  assert.equal(sniffImageType(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10)), 'image/jpeg');
  assert.equal(sniffImageType(ascii('GIF89a\x01\x00')), 'image/gif');
  assert.equal(sniffImageType(ascii('GIF87a\x01\x00')), 'image/gif');
  assert.equal(sniffImageType(ascii('RIFF\x10\x00\x00\x00WEBPVP8 ')), 'image/webp');
});

test('sniffImageType rejects look-alikes, WAV, text and short input', () => {
  assert.equal(sniffImageType(bytes(0x89, 0x50, 0x4e, 0x47)), null); // PNG signature cut
  assert.equal(sniffImageType(ascii('GIF90a')), null);
  assert.equal(sniffImageType(ascii('BM')), null); // too short for a BMP header
  assert.equal(sniffImageType(encodeWav(new Float32Array(4), 8000)), null);
  assert.equal(sniffImageType(ascii('<svg xmlns="http://www.w3.org/2000/svg"/>')), null);
  assert.equal(sniffImageType(new Uint8Array(0)), null);
  assert.equal(sniffImageType(null), null);
});

test('sniffAudioType', () => {
  assert.equal(sniffAudioType(encodeWav(new Float32Array(4), 8000)), 'audio/wav');
  assert.equal(sniffAudioType(ascii('OggS\0\x02')), 'audio/ogg');
  assert.equal(sniffAudioType(ascii('fLaC\0\0')), 'audio/flac');
  assert.equal(sniffAudioType(ascii('ID3\x03\0')), 'audio/mpeg');
  assert.equal(sniffAudioType(encodePng(1, 1, new Uint8Array(3))), null);
});

test('parseWavHeader reads a PCM header and computes the length', () => {
  const wav = encodeWav(new Float32Array(16000), 16000);
  const h = parseWavHeader(wav);
  assert.equal(h.format, 'PCM');
  assert.equal(h.channels, 1);
  assert.equal(h.sampleRate, 16000);
  assert.equal(h.bitsPerSample, 16);
  assert.equal(h.dataBytes, 32000);
  assert.equal(h.frames, 16000);
  assert.equal(h.duration, 1);
});

function wavWith(chunks) {
  const parts = [ascii('RIFF'), bytes(0, 0, 0, 0), ascii('WAVE')];
  for (const [id, body] of chunks) {
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, body.length, true);
    parts.push(ascii(id), len, body);
    if (body.length & 1) parts.push(bytes(0));
  }
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function fmtChunk({ code = 1, ch = 2, rate = 44100, bits = 16 } = {}) {
  const b = new Uint8Array(16);
  const dv = new DataView(b.buffer);
  dv.setUint16(0, code, true);
  dv.setUint16(2, ch, true);
  dv.setUint32(4, rate, true);
  dv.setUint32(8, (rate * ch * bits) / 8, true);
  dv.setUint16(12, (ch * bits) / 8, true);
  dv.setUint16(14, bits, true);
  return b;
}

test('parseWavHeader skips other chunks (odd sizes padded) before data', () => {
  const wav = wavWith([
    ['fmt ', fmtChunk()],
    ['LIST', ascii('INFOabc')],
    ['data', new Uint8Array((44100 * 4) / 2)],
  ]);
  const h = parseWavHeader(wav);
  assert.equal(h.channels, 2);
  assert.equal(h.sampleRate, 44100);
  assert.equal(h.frames, 22050);
  assert.equal(h.duration, 0.5);
});

test('parseWavHeader clamps a data size beyond the bytes present (streamed WAV)', () => {
  const wav = wavWith([
    ['fmt ', fmtChunk({ ch: 1, rate: 8000, bits: 8 })],
    ['data', new Uint8Array(800)],
  ]);
  new DataView(wav.buffer).setUint32(40, 0xffffffff, true); // data size placeholder
  const h = parseWavHeader(wav);
  assert.equal(h.dataBytes, 800);
  assert.equal(h.duration, 0.1);
});

test('parseWavHeader: float format, and null for non-WAV or data before fmt', () => {
  assert.equal(
    parseWavHeader(
      wavWith([
        ['fmt ', fmtChunk({ code: 3, ch: 1, bits: 32 })],
        ['data', new Uint8Array(8)],
      ]),
    ).format,
    'IEEE float',
  );
  assert.equal(parseWavHeader(ascii('RIFF\0\0\0\0AVI LIST')), null);
  assert.equal(parseWavHeader(wavWith([['data', new Uint8Array(8)]])), null);
  assert.equal(parseWavHeader(new Uint8Array(3)), null);
  assert.equal(parseWavHeader(wavWith([['fmt ', fmtChunk()]])), null); // no data chunk
});

test('formatting helpers', () => {
  assert.equal(formatSampleRate(16000), '16 kHz');
  assert.equal(formatSampleRate(44100), '44.1 kHz');
  assert.equal(formatSampleRate(800), '800 Hz');
  assert.equal(formatClipLength(0.5), '0.5 s');
  assert.equal(formatClipLength(65.25), '1:05.3');
  assert.equal(decodeText(bytes(0x68, 0xc3, 0xa9, 0xff)), 'hé\ufffd');
});

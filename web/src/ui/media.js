/**
 * Pure helpers for the bytes of images and audio clips: type sniffing by
 * content (never by a claimed MIME type or a file name) and a WAV header
 * reader. No DOM here, so all of it is tested in Node.
 */

/**
 * The MIME type of an encoded image, from its leading bytes.
 * @param {Uint8Array} b
 * @returns {string|null} 'image/png' | 'image/jpeg' | 'image/gif' | 'image/bmp' | 'image/webp', or null
 */
export function sniffImageType(b) {
  if (!b || b.length < 4) return null;
  if (
    b.length >= 8 &&
    b[0] === 0x89 &&
    b[1] === 0x50 &&
    b[2] === 0x4e &&
    b[3] === 0x47 &&
    b[4] === 0x0d &&
    b[5] === 0x0a &&
    b[6] === 0x1a &&
    b[7] === 0x0a
  )
    return 'image/png';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (
    b.length >= 6 &&
    b[0] === 0x47 &&
    b[1] === 0x49 &&
    b[2] === 0x46 &&
    b[3] === 0x38 &&
    (b[4] === 0x37 || b[4] === 0x39) &&
    b[5] === 0x61
  )
    return 'image/gif';
  if (b.length >= 14 && b[0] === 0x42 && b[1] === 0x4d) return 'image/bmp';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return 'image/webp';
  return null;
}

/**
 * The MIME type of an encoded audio clip, from its leading bytes.
 * @param {Uint8Array} b
 * @returns {string|null}
 */
export function sniffAudioType(b) {
  if (!b || b.length < 4) return null;
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WAVE') return 'audio/wav';
  if (ascii(b, 0, 4) === 'OggS') return 'audio/ogg';
  if (ascii(b, 0, 4) === 'fLaC') return 'audio/flac';
  if (ascii(b, 0, 3) === 'ID3' || (b[0] === 0xff && (b[1] & 0xe0) === 0xe0)) return 'audio/mpeg';
  return null;
}

function ascii(b, off, n) {
  let s = '';
  for (let i = off; i < off + n && i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}

const WAV_FORMATS = { 1: 'PCM', 3: 'IEEE float', 6: 'A-law', 7: 'μ-law', 0xfffe: 'extensible' };

/**
 * Reads a RIFF/WAVE header: walks the chunks up to `data`, reading `fmt `.
 * A data size larger than the bytes present (a streamed or cut file, or the
 * 0xFFFFFFFF placeholder) is clamped to what is there.
 * @param {Uint8Array} b
 * @returns {{format: string, formatCode: number, channels: number, sampleRate: number,
 *            bitsPerSample: number, byteRate: number, blockAlign: number,
 *            dataBytes: number, frames: number, duration: number}|null} null when not a WAV
 */
export function parseWavHeader(b) {
  if (!b || b.length < 12 || ascii(b, 0, 4) !== 'RIFF' || ascii(b, 8, 4) !== 'WAVE') return null;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let off = 12;
  let fmt = null;
  while (off + 8 <= b.length) {
    const id = ascii(b, off, 4);
    const size = dv.getUint32(off + 4, true);
    const body = off + 8;
    if (id === 'fmt ' && body + 16 <= b.length) {
      const formatCode = dv.getUint16(body, true);
      fmt = {
        formatCode,
        format: WAV_FORMATS[formatCode] || `format ${formatCode}`,
        channels: dv.getUint16(body + 2, true),
        sampleRate: dv.getUint32(body + 4, true),
        byteRate: dv.getUint32(body + 8, true),
        blockAlign: dv.getUint16(body + 12, true),
        bitsPerSample: dv.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (!fmt) return null;
      const dataBytes = Math.min(size, b.length - body);
      const align = fmt.blockAlign || Math.max(1, (fmt.channels * fmt.bitsPerSample) >> 3);
      const frames = Math.floor(dataBytes / align);
      const duration = fmt.sampleRate > 0 ? frames / fmt.sampleRate : NaN;
      return { ...fmt, dataBytes, frames, duration };
    }
    off = body + size + (size & 1); // chunks are padded to even sizes
  }
  return null;
}

/** "16 kHz", "44.1 kHz", "800 Hz". */
export function formatSampleRate(hz) {
  if (!Number.isFinite(hz)) return '';
  return hz >= 1000 ? `${Number((hz / 1000).toPrecision(3))} kHz` : `${hz} Hz`;
}

/** "0.52 s", "1:05.3". */
export function formatClipLength(sec) {
  if (!Number.isFinite(sec)) return '';
  if (sec < 60) return `${Number(sec.toPrecision(3))} s`;
  const m = Math.floor(sec / 60);
  return `${m}:${(sec - m * 60).toFixed(1).padStart(4, '0')}`;
}

/** Bytes as text, replacing invalid UTF-8 (log strings are arbitrary bytes). */
const DECODER = new TextDecoder('utf-8', { fatal: false });
export function decodeText(bytes) {
  return bytes ? DECODER.decode(bytes) : '';
}

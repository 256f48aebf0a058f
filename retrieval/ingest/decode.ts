/** Turns the bytes of a corpus file into text, or says why it cannot. */

export type DecodeResult =
  | { ok: true; text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' }
  | { ok: false; reason: string };

const decoders = {
  'utf-8': new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }),
  'utf-16le': new TextDecoder('utf-16le', { fatal: true, ignoreBOM: false }),
  'utf-16be': new TextDecoder('utf-16be', { fatal: true, ignoreBOM: false }),
  // GB18030 is a superset of GBK and GB2312, the usual encodings of Chinese text files.
  gb18030: new TextDecoder('gb18030', { fatal: true }),
} as const;

function tryDecode(encoding: keyof typeof decoders, bytes: Uint8Array): string | null {
  try {
    return decoders[encoding].decode(bytes);
  } catch {
    return null;
  }
}

/** Share of characters that are control characters other than tab and line breaks. */
function controlShare(text: string): number {
  let control = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0xfffd) control++;
  }
  return text.length === 0 ? 0 : control / text.length;
}

export function decodeCorpusFile(bytes: Uint8Array): DecodeResult {
  if (bytes.length === 0) return { ok: false, reason: 'the file is empty' };
  const utf16 =
    bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : null;
  if (!utf16 && bytes.includes(0)) return { ok: false, reason: 'the file is binary (it contains NUL bytes)' };

  const order = utf16 ? ([utf16] as const) : (['utf-8', 'gb18030'] as const);
  for (const encoding of order) {
    const text = tryDecode(encoding, bytes);
    if (text === null) continue;
    // A wrong guess that still decodes shows up as control characters.
    if (controlShare(text) > 0.01) continue;
    if (text.trim() === '') return { ok: false, reason: 'the file holds only white space' };
    return { ok: true, text, encoding };
  }
  return { ok: false, reason: 'the file is neither UTF-8 nor GB18030/GBK text' };
}

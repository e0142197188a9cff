/** Audio formats chat channels send voice messages in, recognised by their first bytes. */
export interface AudioKind {
  mime: string;
  ext: string;
}

/** Sniffs the container from the bytes (never the sender's claim); null when it is not audio we keep. */
export function sniffAudio(bytes: Buffer): AudioKind | null {
  const head = bytes.subarray(0, 16);
  const ascii = head.toString('latin1');
  if (ascii.startsWith('OggS')) return { mime: 'audio/ogg', ext: 'ogg' }; // Telegram voice (Opus)
  if (ascii.startsWith('#!AMR')) return { mime: 'audio/amr', ext: 'amr' };
  // WeChat voice: SILK v3, sometimes behind one 0x02 byte.
  if (ascii.startsWith('#!SILK') || ascii.slice(1).startsWith('#!SILK')) return { mime: 'audio/silk', ext: 'silk' };
  if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WAVE') return { mime: 'audio/wav', ext: 'wav' };
  if (ascii.slice(4, 8) === 'ftyp') return { mime: 'audio/mp4', ext: 'm4a' };
  if (ascii.startsWith('ID3') || (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0))
    return { mime: 'audio/mpeg', ext: 'mp3' };
  return null;
}

/**
 * GBK encoding without a dependency: Node decodes GBK (full ICU) but cannot encode it, so the
 * table is built once by decoding every two-byte code. Used for test fixtures that must look
 * like what Windows hotline systems export.
 */
let table: Map<string, Buffer> | null = null;

function build(): Map<string, Buffer> {
  const map = new Map<string, Buffer>();
  const dec = new TextDecoder('gbk');
  for (let hi = 0x81; hi <= 0xfe; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue;
      const bytes = Buffer.from([hi, lo]);
      const ch = dec.decode(bytes);
      if (ch.length === 1 && ch !== '\uFFFD' && !map.has(ch)) map.set(ch, bytes);
    }
  }
  return map;
}

export function gbkEncode(text: string): Buffer {
  table ??= build();
  const parts: Buffer[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) parts.push(Buffer.from([code]));
    else {
      const b = table.get(ch);
      if (!b) throw new Error(`not encodable in GBK: ${ch}`);
      parts.push(b);
    }
  }
  return Buffer.concat(parts);
}

/**
 * Splits a long message into parts no longer than `limit`, at line breaks where one falls in
 * the second half of a part, so each channel's own message size limit is never exceeded.
 * Empty parts are dropped: an empty text gives no parts.
 */
export function splitText(text: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const cut = rest.lastIndexOf('\n', limit);
    const at = cut > limit / 2 ? cut : limit;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^\n/, '');
  }
  if (rest) parts.push(rest);
  return parts;
}

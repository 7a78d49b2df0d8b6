/** Writing XML as text: escaping and the characters XML 1.0 allows. */

// XML 1.0 Char production, minus the discouraged-but-legal range we never need to refuse
const INVALID_XML_CHAR = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u

export function isValidXmlText(s: string): boolean {
  return !INVALID_XML_CHAR.test(s)
}

/** Escape for element content. Throws on characters XML cannot carry. */
export function escapeXmlText(s: string): string {
  if (!isValidXmlText(s)) throw new RangeError('the text contains characters that XML cannot carry')
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;')
}

/** Escape for a double-quoted attribute value. Throws on characters XML cannot carry. */
export function escapeXmlAttr(s: string): string {
  if (!isValidXmlText(s)) throw new RangeError('the text contains characters that XML cannot carry')
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
}

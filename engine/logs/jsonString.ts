// Bytes as a JSON string the way dockerd's json-file driver writes a log line (moby
// daemon/logger/jsonfilelog/jsonlog/jsonlogbytes.go ffjsonWriteJSONBytesAsString): `"` and `\`
// escaped, \n and \r as such, every other control byte and < > & as \u00XX, U+2028/U+2029
// escaped, each byte of invalid UTF-8 (a line cut at 16 KiB can split a character) as \ufffd;
// everything else copied as it is. JSON.stringify differs (it keeps < > &, writes \t, and cannot
// see bytes), so the bytes are looked at here; runs of plain bytes are copied in one piece.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const HEX = '0123456789abcdef';
const REPLACEMENT = Buffer.from('\\ufffd');

function escapeAscii(b: number): string {
  if (b === BACKSLASH || b === QUOTE) return `\\${String.fromCharCode(b)}`;
  if (b === 0x0a) return '\\n';
  if (b === 0x0d) return '\\r';
  return `\\u00${HEX[b >> 4] ?? '0'}${HEX[b & 0xf] ?? '0'}`;
}

/** The length of the valid UTF-8 sequence at `i` (Go's utf8.DecodeRune rules: no overlong forms,
 * no surrogates, nothing above U+10FFFF), or 0 when the byte there starts none. */
function sequenceLength(s: Buffer, i: number): number {
  const b0 = s[i] ?? 0;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    const b = s[i + k];
    return b !== undefined && b >= lo && b <= hi;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/** Bytes that need a look: all but the printable ASCII ones Go copies (space to `~` less `"`,
 * `<`, `>`, `&`, `\`), so ASCII controls, DEL (copied after all) and every non-ASCII byte.
 * Searched in the bytes read as latin1 (one character per byte), so the plain runs between them
 * are found and copied natively. */
const SPECIAL = /[^ !#-%'-;=?-[\]-~]/g;
const QUOTE_BYTES = Buffer.from('"');

/** The pieces of `s` escaped as dockerd writes it, without the quotes around. */
export function escapedParts(s: Buffer): Buffer[] {
  const text = s.toString('latin1');
  SPECIAL.lastIndex = 0;
  let m = SPECIAL.exec(text);
  if (m === null) return [s];
  const out: Buffer[] = [];
  let start = 0;
  while (m !== null) {
    const i = m.index;
    const b = s[i] ?? 0;
    const n = b === 0x7f ? 1 : b < 0x80 ? 0 : sequenceLength(s, i);
    // U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
    const separator = n === 3 && b === 0xe2 && s[i + 1] === 0x80 && (s[i + 2] === 0xa8 || s[i + 2] === 0xa9);
    if (n > 0 && !separator) {
      // DEL or a valid character: it stays in the plain run.
      SPECIAL.lastIndex = i + n;
    } else {
      if (start < i) out.push(s.subarray(start, i));
      if (b < 0x80) out.push(Buffer.from(escapeAscii(b)));
      else out.push(n === 0 ? REPLACEMENT : Buffer.from(`\\u202${s[i + 2] === 0xa8 ? '8' : '9'}`));
      start = i + (n === 0 ? 1 : n);
      SPECIAL.lastIndex = start;
    }
    m = SPECIAL.exec(text);
  }
  if (start < s.length) out.push(s.subarray(start));
  return out;
}

/** `s` as a quoted JSON string, byte for byte as dockerd writes it. */
export function jsonStringOfBytes(s: Buffer): Buffer {
  return Buffer.concat([QUOTE_BYTES, ...escapedParts(s), QUOTE_BYTES]);
}

/**
 * Display widths and the truncation helpers docker/cli's formatters share.
 * https://github.com/docker/cli/blob/v28.2.2/cli/command/formatter/displayutils.go
 */

/**
 * East Asian Wide and Fullwidth ranges (Unicode EastAsianWidth.txt, W and F), the main blocks.
 * Both golang.org/x/text/width (Ellipsis) and go-runewidth (tabwriter) count these as 2.
 */
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x23e9, 0x23ec],
  [0x23f0, 0x23f0],
  [0x23f3, 0x23f3],
  [0x25fd, 0x25fe],
  [0x2614, 0x2615],
  [0x2648, 0x2653],
  [0x267f, 0x267f],
  [0x2693, 0x2693],
  [0x26a1, 0x26a1],
  [0x26aa, 0x26ab],
  [0x26bd, 0x26be],
  [0x26c4, 0x26c5],
  [0x26ce, 0x26ce],
  [0x26d4, 0x26d4],
  [0x26ea, 0x26ea],
  [0x26f2, 0x26f3],
  [0x26f5, 0x26f5],
  [0x26fa, 0x26fa],
  [0x26fd, 0x26fd],
  [0x2705, 0x2705],
  [0x270a, 0x270b],
  [0x2728, 0x2728],
  [0x274c, 0x274c],
  [0x274e, 0x274e],
  [0x2753, 0x2755],
  [0x2757, 0x2757],
  [0x2795, 0x2797],
  [0x27b0, 0x27b0],
  [0x27bf, 0x27bf],
  [0x2b1b, 0x2b1c],
  [0x2b50, 0x2b50],
  [0x2b55, 0x2b55],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4],
  [0x17000, 0x18cff],
  [0x1b000, 0x1b2ff],
  [0x1f004, 0x1f004],
  [0x1f0cf, 0x1f0cf],
  [0x1f18e, 0x1f18e],
  [0x1f191, 0x1f19a],
  [0x1f200, 0x1f202],
  [0x1f210, 0x1f23b],
  [0x1f240, 0x1f248],
  [0x1f250, 0x1f251],
  [0x1f260, 0x1f265],
  [0x1f300, 0x1f320],
  [0x1f32d, 0x1f335],
  [0x1f337, 0x1f37c],
  [0x1f37e, 0x1f393],
  [0x1f3a0, 0x1f3ca],
  [0x1f3cf, 0x1f3d3],
  [0x1f3e0, 0x1f3f0],
  [0x1f3f4, 0x1f3f4],
  [0x1f3f8, 0x1f43e],
  [0x1f440, 0x1f440],
  [0x1f442, 0x1f4fc],
  [0x1f4ff, 0x1f53d],
  [0x1f54b, 0x1f54e],
  [0x1f550, 0x1f567],
  [0x1f57a, 0x1f57a],
  [0x1f595, 0x1f596],
  [0x1f5a4, 0x1f5a4],
  [0x1f5fb, 0x1f64f],
  [0x1f680, 0x1f6c5],
  [0x1f6cc, 0x1f6cc],
  [0x1f6d0, 0x1f6d2],
  [0x1f6d5, 0x1f6d7],
  [0x1f6eb, 0x1f6ec],
  [0x1f6f4, 0x1f6fc],
  [0x1f7e0, 0x1f7eb],
  [0x1f90c, 0x1f93a],
  [0x1f93c, 0x1f945],
  [0x1f947, 0x1f9ff],
  [0x1fa70, 0x1faff],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];

/** Combining marks and format characters go-runewidth counts as zero columns. */
const ZERO: readonly (readonly [number, number])[] = [
  [0x0300, 0x036f],
  [0x0483, 0x0489],
  [0x0591, 0x05bd],
  [0x0610, 0x061a],
  [0x064b, 0x065f],
  [0x1ab0, 0x1aff],
  [0x1dc0, 0x1dff],
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x2064],
  [0x20d0, 0x20ff],
  [0xfe00, 0xfe0f],
  [0xfe20, 0xfe2f],
  [0xe0100, 0xe01ef],
];

function inRanges(cp: number, ranges: readonly (readonly [number, number])[]): boolean {
  for (const [lo, hi] of ranges) {
    if (cp < lo) return false;
    if (cp <= hi) return true;
  }
  return false;
}

/** Width of one code point as x/text/width sees it (docker/cli `charWidth`): 2 or 1. */
export function ellipsisCharWidth(cp: number): number {
  return inRanges(cp, WIDE) ? 2 : 1;
}

/** Width of a string as go-runewidth's StringWidth counts it (non-East-Asian locale). */
export function stringWidth(s: string): number {
  let width = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || inRanges(cp, ZERO)) continue;
    width += inRanges(cp, WIDE) ? 2 : 1;
  }
  return width;
}

/**
 * docker/cli `formatter.Ellipsis`: fit `s` into `maxWidth` columns, ending in "…" when cut.
 * Pure ASCII is cut by characters (`rs[:max-1] + "…"`); anything else by display width, so a
 * 20-column command keeps 19 columns of text plus the ellipsis either way.
 */
export function ellipsis(s: string, maxWidth: number): string {
  if (maxWidth <= 0) return '';
  const runes = Array.from(s);
  if (maxWidth === 1) return runes[0] ?? '';
  if (runes.every((r) => (r.codePointAt(0) ?? 0) < 0x80)) {
    return runes.length <= maxWidth ? s : runes.slice(0, maxWidth - 1).join('') + '…';
  }
  const ends: number[] = [];
  let total = 0;
  for (const r of runes) {
    total += ellipsisCharWidth(r.codePointAt(0) ?? 0);
    ends.push(total);
  }
  if (total <= maxWidth) return s;
  for (let i = 0; i + 1 < ends.length; i++) {
    if ((ends[i] ?? 0) <= maxWidth - 1 && (ends[i + 1] ?? 0) > maxWidth - 1) {
      return runes.slice(0, i + 1).join('') + '…';
    }
  }
  // Go panics here (index out of range) when the first rune alone is too wide; we keep the text.
  return s;
}

/**
 * `stringid.TruncateID` / `formatter.TruncateID`: drop an algorithm prefix ("sha256:"), keep 12
 * characters. "<missing>" passes through unchanged.
 * https://github.com/moby/moby/blob/v28.2.2/pkg/stringid/stringid.go
 */
export function truncateId(id: string): string {
  const colon = id.indexOf(':');
  const bare = colon >= 0 ? id.slice(colon + 1) : id;
  return bare.length > 12 ? bare.slice(0, 12) : bare;
}

/** Go's `sort.Strings`: byte order of UTF-8, which is code point order. */
export function compareGoStrings(a: string, b: string): number {
  const ra = Array.from(a);
  const rb = Array.from(b);
  const n = Math.min(ra.length, rb.length);
  for (let i = 0; i < n; i++) {
    const d = (ra[i]?.codePointAt(0) ?? 0) - (rb[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return ra.length - rb.length;
}

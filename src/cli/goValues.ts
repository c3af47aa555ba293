/**
 * The Go value parsers behind pflag flag types, with Go's own error texts, because docker prints
 * them verbatim: `invalid argument "x" for "-t, --timeout" flag: strconv.ParseInt: parsing "x":
 * invalid syntax` (https://pkg.go.dev/strconv, https://github.com/docker/go-units).
 */

/** Go's `%q` for a string (strconv.Quote), enough for what a console can type. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Go's `%q` for a byte, as pflag prints a shorthand: `'x'`. */
export function goQuoteChar(c: string): string {
  if (c === "'" || c === '\\') return `'\\${c}'`;
  return `'${c}'`;
}

/** strconv.ParseBool. */
export function parseGoBool(s: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  throw new Error(`strconv.ParseBool: parsing ${goQuote(s)}: invalid syntax`);
}

// Base 0 as pflag's int flags use it: 0x…, 0o…, 0b…, and a leading 0 for octal. Go's digit
// separators (1_000) are left out.
const GO_INT = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;

function bigFromGo(digits: string): bigint {
  return /^0[0-7]+$/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
}

/** strconv.ParseInt(s, 0, bits). */
export function parseGoInt(s: string, bits = 64): number {
  const match = GO_INT.exec(s);
  if (!match) throw new Error(`strconv.ParseInt: parsing ${goQuote(s)}: invalid syntax`);
  const magnitude = bigFromGo(match[2] ?? '');
  const value = match[1] === '-' ? -magnitude : magnitude;
  const limit = 1n << BigInt(bits - 1);
  if (value < -limit || value >= limit) {
    throw new Error(`strconv.ParseInt: parsing ${goQuote(s)}: value out of range`);
  }
  return Number(value);
}

/** strconv.ParseUint(s, base, bits), base 0 (pflag's uint flags) or 10 (go-connections ports). */
export function parseGoUint(s: string, bits: number, base: 0 | 10 = 0): number {
  const match = GO_INT.exec(s);
  if (!match || match[1] !== '' || (base === 10 && !/^[0-9]+$/.test(s))) {
    throw new Error(`strconv.ParseUint: parsing ${goQuote(s)}: invalid syntax`);
  }
  const value = base === 10 ? BigInt(s) : bigFromGo(match[2] ?? '');
  if (value >= 1n << BigInt(bits)) {
    throw new Error(`strconv.ParseUint: parsing ${goQuote(s)}: value out of range`);
  }
  return Number(value);
}

const GO_FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** strconv.ParseFloat(s, 64) for decimal notation. */
export function parseGoFloat(s: string): number {
  if (!GO_FLOAT.test(s)) throw new Error(`strconv.ParseFloat: parsing ${goQuote(s)}: invalid syntax`);
  return Number(s);
}

const BINARY_UNITS: Record<string, number> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50 };

/**
 * go-units `RAMInBytes` (size.go `parseSize` with the binary map): `512m`, `1g`, `1.5GiB`,
 * `100` bytes; units are case-insensitive and the `b`/`ib` tail optional. Errors are go-units'
 * own: `invalid size: 'foo'`, `invalid suffix: 'x'`.
 */
export function ramInBytes(size: string): number {
  const sep = Math.max(...[...'0123456789. '].map((c) => size.lastIndexOf(c)));
  if (sep === -1) throw new Error(`invalid size: '${size}'`);
  const num = size.charAt(sep) === ' ' ? size.slice(0, sep) : size.slice(0, sep + 1);
  let sfx = size.slice(sep + 1);
  let value = parseGoFloat(num);
  // Backward compatibility in go-units: negative sizes are refused.
  if (value < 0) throw new Error(`invalid size: '${size}'`);
  if (sfx === '') return Math.trunc(value);
  const badSuffix = (): Error => new Error(`invalid suffix: '${sfx}'`);
  if (sfx.length > 3) throw badSuffix();
  sfx = sfx.toLowerCase();
  if (sfx.startsWith('b')) {
    if (sfx.length > 1) throw badSuffix();
    return Math.trunc(value);
  }
  const multiplier = BINARY_UNITS[sfx.charAt(0)];
  if (multiplier === undefined) throw badSuffix();
  value *= multiplier;
  if ((sfx.length === 2 && sfx.charAt(1) !== 'b') || (sfx.length === 3 && sfx.slice(1) !== 'ib')) {
    throw badSuffix();
  }
  return Math.trunc(value);
}

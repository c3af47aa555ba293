/**
 * JSON text as Go's encoding/json writes it, which differs from JSON.stringify in its escapes:
 * U+2028/U+2029 always become \u2028/\u2029, other control characters \u00XX (lower-case hex)
 * except \b \f \n \r \t, invalid UTF-16 (lone surrogates) becomes \ufffd, and — only when HTML
 * escaping is on (json.Marshal; off in dockerd's WriteJSON and the CLI's `json` template
 * function) — <, >, & become \u003c, \u003e, \u0026.
 * https://github.com/golang/go/blob/go1.24.0/src/encoding/json/encode.go (appendString, floatEncoder)
 * https://github.com/golang/go/blob/go1.24.0/src/encoding/json/indent.go
 */
import type { JsonValue } from '../../model/json.ts';
import { compareGoStrings } from './text.ts';

export interface GoJsonOptions {
  /** Go's default (json.Marshal) is true; encoders with SetEscapeHTML(false) say false. */
  escapeHTML: boolean;
}

const HEX = '0123456789abcdef';
const SHORT: Record<number, string> = { 0x08: '\\b', 0x0c: '\\f', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t' };

function u4(cp: number): string {
  return `\\u${HEX[(cp >> 12) & 15]}${HEX[(cp >> 8) & 15]}${HEX[(cp >> 4) & 15]}${HEX[cp & 15]}`;
}

function escapeUnit(cp: number, escapeHTML: boolean): string | undefined {
  if (cp === 0x22) return '\\"';
  if (cp === 0x5c) return '\\\\';
  if (cp < 0x20) return SHORT[cp] ?? u4(cp);
  if (escapeHTML && (cp === 0x3c || cp === 0x3e || cp === 0x26)) return u4(cp);
  if (cp === 0x2028 || cp === 0x2029) return u4(cp);
  if (cp >= 0xd800 && cp <= 0xdfff) return '\\ufffd';
  return undefined;
}

/** A Go JSON string literal. */
export function goJsonString(s: string, opts: GoJsonOptions): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    out += escapeUnit(cp, opts.escapeHTML) ?? ch;
  }
  return out + '"';
}

/**
 * A Go JSON number. Go switches float64 to exponent form below 1e-6 and from 1e21, trimming
 * "e-07" to "e-7": the same thresholds and shape as JavaScript's Number#toString.
 */
export function goJsonNumber(n: number): string {
  if (!Number.isFinite(n)) return 'null'; // Go refuses NaN/Inf (UnsupportedValueError)
  if (Object.is(n, -0)) return '-0';
  return String(n);
}

/** Compact encoding (json.Marshal / Encoder.Encode without the newline), keys in given order. */
export function goJson(value: JsonValue, opts: GoJsonOptions): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return goJsonString(value, opts);
  if (typeof value === 'number') return goJsonNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map((v) => goJson(v, opts)).join(',')}]`;
  const members = Object.entries(value).map(([k, v]) => `${goJsonString(k, opts)}:${goJson(v, opts)}`);
  return `{${members.join(',')}}`;
}

/** `json.Indent(dst, compact, prefix "", indent)`: empty [] and {} stay on one line. */
export function goJsonIndent(value: JsonValue, indent: string, opts: GoJsonOptions, depth = 0): string {
  if (value === null || typeof value !== 'object') return goJson(value, opts);
  const inner = indent.repeat(depth + 1);
  const outer = indent.repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v) => inner + goJsonIndent(v, indent, opts, depth + 1));
    return `[\n${items.join(',\n')}\n${outer}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  const members = entries.map(
    ([k, v]) => `${inner}${goJsonString(k, opts)}: ${goJsonIndent(v, indent, opts, depth + 1)}`,
  );
  return `{\n${members.join(',\n')}\n${outer}}`;
}

/** Go marshals map[string]T with keys sorted by bytes; JS objects would put "1" before "a". */
export function goJsonStringMap(map: Record<string, string>, opts: GoJsonOptions): string {
  const keys = Object.keys(map).sort(compareGoStrings);
  return `{${keys.map((k) => `${goJsonString(k, opts)}:${goJsonString(map[k] ?? '', opts)}`).join(',')}}`;
}

import { type Word, Unsupported } from './shParse.ts';
import { unescape } from './applets.ts';

/**
 * Shell values and word expansion (POSIX XCU 2.6): parameters, arithmetic, field splitting on
 * the default IFS (space, tab, newline). Values that grow past MATERIALISE_LIMIT by repeated
 * concatenation (`x=$x$x`) are kept as a unit and a count, so the simulation can follow a
 * string to gigabytes without allocating it; their length is what the memory model charges.
 */

export interface Big {
  unit: string;
  count: number;
}
export type Value = string | Big;

const MATERIALISE_LIMIT = 64 * 1024;

export function valueLength(v: Value): number {
  return typeof v === 'string' ? v.length : v.unit.length * v.count;
}

/** The text of a value; a value too large to print is beyond what we model. */
export function text(v: Value): string {
  if (typeof v === 'string') return v;
  if (valueLength(v) > 1024 * 1024) throw new Unsupported('printing a value over 1 MiB');
  return v.unit.repeat(v.count);
}

function repeatsOf(v: Value, unit: string): number | undefined {
  if (typeof v !== 'string') return v.unit === unit ? v.count : undefined;
  if (v.length % unit.length !== 0) return undefined;
  const n = v.length / unit.length;
  return v === unit.repeat(n) ? n : undefined;
}

export function concat(values: readonly Value[]): Value {
  const total = values.reduce((n, v) => n + valueLength(v), 0);
  if (total <= MATERIALISE_LIMIT) return values.map(text).join('');
  const first = values.find((v) => valueLength(v) > 0) ?? '';
  const unit = typeof first === 'string' ? first : first.unit;
  let count = 0;
  for (const v of values) {
    const n = repeatsOf(v, unit);
    if (n === undefined) throw new Unsupported('a large value that is not a repetition');
    count += n;
  }
  return { unit, count };
}

export interface Scope {
  get(name: string): Value | undefined;
  positional(): string[];
}

const IFS = /[ \t\n]+/;

/** Expand a word into fields (XCU 2.6): parameters, arithmetic, then field splitting. */
export function expandFields(word: Word, scope: Scope): Value[] {
  const fields: Value[][] = [];
  let cur: Value[] = [];
  let started = false;
  const endField = () => {
    if (started) fields.push(cur);
    cur = [];
    started = false;
  };
  for (const p of word) {
    if (p.k === 'lit') {
      cur.push(p.s);
      started ||= p.q || p.s !== '';
    } else if (p.k === 'arith') {
      cur.push(String(arith(p.expr, scope)));
      started = true;
    } else if (p.name === '@' || p.name === '*') {
      const params = scope.positional();
      if (p.q && p.name === '@') {
        params.forEach((param, i) => {
          if (i > 0) endField();
          cur.push(param);
          started = true;
        });
      } else splitInto(p.q ? params.join(' ') : params.join(' '), !p.q);
    } else {
      const v = scope.get(p.name) ?? '';
      if (p.q) {
        cur.push(v);
        started = true;
      } else splitInto(v, true);
    }
  }
  endField();
  return fields.map(concat);

  function splitInto(v: Value, split: boolean): void {
    if (!split || typeof v !== 'string') {
      if (typeof v !== 'string' && /[ \t\n]/.test(v.unit)) throw new Unsupported('splitting a large value');
      cur.push(v);
      started ||= valueLength(v) > 0;
      return;
    }
    const pieces = v.split(IFS);
    pieces.forEach((piece, i) => {
      if (i > 0) endField();
      if (piece !== '') {
        cur.push(piece);
        started = true;
      }
    });
  }
}

/** An assignment's value: expansions without field splitting (XCU 2.9.1). */
export function expandValue(word: Word, scope: Scope): Value {
  const parts: Value[] = [];
  for (const p of word) {
    if (p.k === 'lit') parts.push(p.s);
    else if (p.k === 'arith') parts.push(String(arith(p.expr, scope)));
    else if (p.name === '@' || p.name === '*') parts.push(scope.positional().join(' '));
    else parts.push(scope.get(p.name) ?? '');
  }
  return concat(parts);
}

/** $((…)) with integers, + - * / % ( ), comparisons and unary - ! (XCU 2.6.4). */
export function arith(expr: string, scope: Scope): number {
  const toks =
    expr.match(/\d+|[A-Za-z_][A-Za-z0-9_]*|\$[A-Za-z_][A-Za-z0-9_]*|<=|>=|==|!=|&&|\|\||\S/g) ?? [];
  let i = 0;
  const peek = () => toks[i];
  const num = (s: string): number => {
    const n = Number(s.trim() || '0');
    if (!Number.isInteger(n)) throw new Unsupported('arithmetic on a non-number');
    return n;
  };
  const primary = (): number => {
    const t = toks[i++];
    if (t === undefined) throw new Unsupported('arithmetic syntax');
    if (t === '(') {
      const v = level(0);
      if (toks[i++] !== ')') throw new Unsupported('arithmetic syntax');
      return v;
    }
    if (t === '-') return -primary();
    if (t === '+') return primary();
    if (t === '!') return primary() === 0 ? 1 : 0;
    if (/^\d+$/.test(t)) return Number(t);
    if (/^\$?[A-Za-z_]/.test(t)) return num(text(scope.get(t.replace(/^\$/, '')) ?? '0'));
    throw new Unsupported('arithmetic syntax');
  };
  const OPS = [['||'], ['&&'], ['==', '!='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%']];
  const level = (l: number): number => {
    if (l >= OPS.length) return primary();
    let v = level(l + 1);
    for (let op = peek(); op !== undefined && OPS[l]?.includes(op); op = peek()) {
      i++;
      v = apply(op, v, level(l + 1));
    }
    return v;
  };
  const v = level(0);
  if (i !== toks.length) throw new Unsupported('arithmetic syntax');
  return v;
}

function apply(op: string, a: number, b: number): number {
  if ((op === '/' || op === '%') && b === 0) throw new Unsupported('division by zero');
  const r: Record<string, number> = {
    '+': a + b,
    '-': a - b,
    '*': a * b,
    '/': Math.trunc(a / b),
    '%': a % b,
    '<': +(a < b),
    '>': +(a > b),
    '<=': +(a <= b),
    '>=': +(a >= b),
    '==': +(a === b),
    '!=': +(a !== b),
    '&&': +(a !== 0 && b !== 0),
    '||': +(a !== 0 || b !== 0),
  };
  return Math.trunc(r[op] ?? 0);
}

/** test / [ (XCU test): strings and integers; file tests need a file system we do not have. */
export function testArgs(args: readonly string[]): 0 | 1 {
  const [a, b, c, d] = args;
  if (args.length === 0) return 1;
  if (args.length === 1) return a ? 0 : 1;
  if (a === '!') return testArgs(args.slice(1)) === 0 ? 1 : 0;
  if (args.length === 2) {
    if (a === '-n') return b ? 0 : 1;
    if (a === '-z') return b ? 1 : 0;
    throw new Unsupported(`test ${a ?? ''}`);
  }
  if (args.length === 3 && a !== undefined && b !== undefined && c !== undefined) return binary(a, b, c);
  throw new Unsupported(`test with ${args.length} arguments${d ? '' : ''}`);
}

function binary(a: string, op: string, b: string): 0 | 1 {
  const ok = (x: boolean): 0 | 1 => (x ? 0 : 1);
  if (op === '=' || op === '==') return ok(a === b);
  if (op === '!=') return ok(a !== b);
  const ints = { '-eq': 0, '-ne': 0, '-lt': 0, '-le': 0, '-gt': 0, '-ge': 0 };
  if (!(op in ints) || !/^\s*-?\d+\s*$/.test(a) || !/^\s*-?\d+\s*$/.test(b))
    throw new Unsupported(`test ${op}`);
  const x = Number(a);
  const y = Number(b);
  const table: Record<string, boolean> = {
    '-eq': x === y,
    '-ne': x !== y,
    '-lt': x < y,
    '-le': x <= y,
    '-gt': x > y,
    '-ge': x >= y,
  };
  return ok(table[op] ?? false);
}

/** printf (XCU printf): %s %d %i %c %x %% with optional flags/width; the format is reused. */
export function printfText(args: readonly string[]): string {
  const [format, ...rest] = args;
  if (format === undefined) throw new Unsupported('printf without a format');
  let out = '';
  let k = 0;
  do {
    let consumed = false;
    const body = format.replace(
      /%([-0 ]?\d*)([sdicx%])|%./g,
      (m, flags: string | undefined, conv: string | undefined) => {
        if (conv === undefined) throw new Unsupported(`printf ${m}`);
        if (conv === '%') return '%';
        const arg = rest[k++] ?? '';
        consumed = true;
        return pad(convert(conv, arg), flags ?? '');
      },
    );
    const u = unescape(body);
    out += u.text;
    if (u.stop || !consumed) break;
  } while (k < rest.length);
  return out;
}

function convert(conv: string, arg: string): string {
  if (conv === 's') return arg;
  if (conv === 'c') return arg.slice(0, 1);
  const n = arg === '' ? 0 : Number(arg);
  if (!Number.isInteger(n)) throw new Unsupported('printf of a non-integer');
  return conv === 'x' ? n.toString(16) : String(n);
}

function pad(s: string, flags: string): string {
  const width = Number(flags.replace(/^[-0 ]/, '') || '0');
  if (flags.startsWith('-')) return s.padEnd(width);
  return s.padStart(width, flags.startsWith('0') ? '0' : ' ');
}

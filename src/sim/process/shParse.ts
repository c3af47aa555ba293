/**
 * A parser for the part of the POSIX shell language that container commands use
 * (https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html): lists with `;`,
 * `&`, `&&`, `||` and newlines, `!`, `{ …; }`, `while`/`until`, `for … in`, `if`/`elif`/`else`,
 * simple commands with assignments, quoting, `$VAR`, `${VAR}`, `$((…))` and the redirections
 * `>&2`, `2>&1`, `>/dev/null`, `</dev/null`.
 * Anything else (pipes, command substitution, globs, here-documents, functions, case, files as
 * redirection targets, subshells) throws Unsupported: the caller then runs the shell as an
 * unmodelled process that prints nothing, rather than guessing what it would print.
 */

export class Unsupported extends Error {}

export type Part =
  | { k: 'lit'; s: string; q: boolean }
  | { k: 'var'; name: string; q: boolean }
  | { k: 'arith'; expr: string; q: boolean };
export type Word = Part[];
/** Where a stream goes: a standard stream, /dev/null, or a file in the container (`> /path`, `>> /path`). */
export type Sink = 'stdout' | 'stderr' | 'null' | { file: string; append: boolean };
export interface Redir {
  fd: 1 | 2;
  to: Sink;
}
export type Node =
  | { t: 'simple'; assigns: { name: string; value: Word }[]; words: Word[]; redirs: Redir[]; line: number }
  | { t: 'and' | 'or'; a: Node; b: Node }
  | { t: 'seq'; items: { node: Node; bg: boolean }[] }
  | { t: 'not'; a: Node }
  | { t: 'while' | 'until'; cond: Node; body: Node }
  | { t: 'for'; name: string; items: Word[] | undefined; body: Node }
  | { t: 'if'; branches: { cond: Node; body: Node }[]; otherwise: Node | undefined }
  | { t: 'group'; body: Node };

type Token =
  | { type: 'word'; word: Word; line: number }
  | { type: 'redir'; redir: Redir | undefined }
  | { type: 'op'; op: ';' | '&' | '&&' | '||' | '\n' };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const SPECIAL = /^[?#$@*!0-9]/;

class Lexer {
  private i = 0;
  line = 1;
  constructor(private readonly src: string) {}

  tokens(): Token[] {
    const out: Token[] = [];
    for (let tok = this.next(); tok; tok = this.next()) out.push(tok);
    return out;
  }

  private peek(n = 0): string {
    return this.src[this.i + n] ?? '';
  }

  private next(): Token | undefined {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t') this.i++;
      else if (c === '\\' && this.peek(1) === '\n') {
        this.i += 2;
        this.line++;
      } else if (c === '#') while (this.i < this.src.length && this.peek() !== '\n') this.i++;
      else break;
    }
    if (this.i >= this.src.length) return undefined;
    const rest = this.src.slice(this.i);
    const op = /^(&&|\|\||;|&|\n)/.exec(rest);
    if (op && !rest.startsWith(';;')) {
      this.i += op[0].length;
      if (op[0] === '\n') this.line++;
      return { type: 'op', op: op[0] as ';' | '&' | '&&' | '||' | '\n' };
    }
    if (/^([12]?)(>>|>&|>|<)/.test(rest)) return this.redirection(rest);
    if (/^[|()<>`;]/.test(rest)) throw new Unsupported(`shell syntax '${rest[0] ?? ''}'`);
    const line = this.line;
    return { type: 'word', word: this.word(), line };
  }

  private redirection(rest: string): Token {
    const m = /^([12]?)(>>|>&|>|<)[ \t]*/.exec(rest);
    if (!m) throw new Unsupported('redirection');
    this.i += m[0].length;
    const target = literalText(this.word());
    if (m[2] === '<') {
      // stdin is /dev/null already (docker run without -i).
      if (target !== '/dev/null') throw new Unsupported('input redirection');
      return { type: 'redir', redir: undefined };
    }
    const fd = m[1] === '2' ? 2 : 1;
    if (m[2] === '>&' && (target === '1' || target === '2')) {
      return { type: 'redir', redir: { fd, to: target === '1' ? 'stdout' : 'stderr' } };
    }
    if (m[2] !== '>&' && target === '/dev/null') return { type: 'redir', redir: { fd, to: 'null' } };
    if (m[2] !== '>&' && (target === '/dev/stdout' || target === '/dev/stderr'))
      return { type: 'redir', redir: { fd, to: target === '/dev/stdout' ? 'stdout' : 'stderr' } };
    // A file at an absolute path needs no working directory (which the model does not track);
    // other devices and /proc are not files of the container's layer.
    if (
      m[2] !== '>&' &&
      target !== undefined &&
      target.startsWith('/') &&
      !/^\/(dev|proc|sys)\//.test(target)
    ) {
      return { type: 'redir', redir: { fd, to: { file: target, append: m[2] === '>>' } } };
    }
    throw new Unsupported('redirection to a file');
  }

  private word(): Word {
    const parts: Word = [];
    const lit = (s: string, q: boolean) => {
      const last = parts[parts.length - 1];
      if (last?.k === 'lit' && last.q === q) last.s += s;
      else parts.push({ k: 'lit', s, q });
    };
    for (;;) {
      const c = this.peek();
      if (c === '' || /[ \t\n;&|<>()]/.test(c)) break;
      this.i++;
      if (c === "'") {
        const end = this.src.indexOf("'", this.i);
        if (end < 0) throw new Unsupported('unterminated quote');
        lit(this.src.slice(this.i, end), true);
        this.line += countLines(this.src.slice(this.i, end));
        this.i = end + 1;
      } else if (c === '"') this.doubleQuoted(parts, lit);
      else if (c === '\\') {
        const n = this.peek();
        this.i++;
        if (n === '\n') this.line++;
        else lit(n, true);
      } else if (c === '$') this.dollar(parts, lit, false);
      else if (c === '`') throw new Unsupported('command substitution');
      else lit(c, false);
    }
    checkGlob(parts);
    return parts;
  }

  private doubleQuoted(parts: Word, lit: (s: string, q: boolean) => void): void {
    for (;;) {
      const c = this.peek();
      if (c === '') throw new Unsupported('unterminated quote');
      this.i++;
      if (c === '"') return;
      if (c === '\n') this.line++;
      if (c === '\\' && /[$`"\\\n]/.test(this.peek())) {
        const n = this.peek();
        this.i++;
        if (n !== '\n') lit(n, true);
        else this.line++;
      } else if (c === '$') this.dollar(parts, lit, true);
      else if (c === '`') throw new Unsupported('command substitution');
      else lit(c, true);
    }
  }

  private dollar(parts: Word, lit: (s: string, q: boolean) => void, q: boolean): void {
    const rest = this.src.slice(this.i);
    if (rest.startsWith('((')) {
      const end = rest.indexOf('))');
      if (end < 0) throw new Unsupported('arithmetic');
      parts.push({ k: 'arith', expr: rest.slice(2, end), q });
      this.i += end + 2;
      return;
    }
    if (rest.startsWith('(')) throw new Unsupported('command substitution');
    const braced = /^\{([A-Za-z_][A-Za-z0-9_]*|[?#$@*!0-9])\}/.exec(rest);
    if (braced?.[1] !== undefined) {
      parts.push({ k: 'var', name: braced[1], q });
      this.i += braced[0].length;
      return;
    }
    if (rest.startsWith('{')) throw new Unsupported('parameter expansion operator');
    const m = NAME.exec(rest) ?? SPECIAL.exec(rest);
    if (!m) return lit('$', q);
    parts.push({ k: 'var', name: m[0], q });
    this.i += m[0].length;
  }
}

function countLines(s: string): number {
  return s.split('\n').length - 1;
}

/** Pathname expansion needs the file system, which we do not have: a glob makes it unsupported. */
function checkGlob(parts: Word): void {
  const unquoted = parts.map((p) => (p.k === 'lit' && !p.q ? p.s : ' ')).join('');
  if (parts.length === 1 && (unquoted === '[' || unquoted === ']')) return;
  if (/[*?[]/.test(unquoted)) throw new Unsupported('pathname expansion');
  if (parts[0]?.k === 'lit' && !parts[0].q && parts[0].s.startsWith('~')) throw new Unsupported('tilde');
}

/** The text of a word made of literal parts only, else undefined. */
export function literalText(word: Word): string | undefined {
  let s = '';
  for (const p of word) {
    if (p.k !== 'lit') return undefined;
    s += p.s;
  }
  return s;
}

function keyword(tok: Token | undefined): string | undefined {
  if (tok?.type !== 'word' || tok.word.length !== 1) return undefined;
  const p = tok.word[0];
  return p?.k === 'lit' && !p.q ? p.s : undefined;
}

const RESERVED = ['do', 'done', 'then', 'elif', 'else', 'fi', '}', 'in', 'esac', 'case', 'function'];

export function parseScript(src: string): Node {
  return new Parser(new Lexer(src).tokens()).script();
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  script(): Node {
    const node = this.list([]);
    if (this.i < this.toks.length) throw new Unsupported('unexpected token');
    return node;
  }

  private peek(): Token | undefined {
    return this.toks[this.i];
  }

  private skipNewlines(): void {
    for (let t = this.peek(); t?.type === 'op' && t.op === '\n'; t = this.peek()) this.i++;
  }

  private expect(word: string): void {
    this.skipNewlines();
    if (keyword(this.peek()) !== word) throw new Unsupported(`expected '${word}'`);
    this.i++;
  }

  private list(ends: readonly string[]): Node {
    const items: { node: Node; bg: boolean }[] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      const kw = keyword(t);
      if (!t || (kw !== undefined && ends.includes(kw))) break;
      const node = this.andOr();
      const sep = this.peek();
      const bg = sep?.type === 'op' && sep.op === '&';
      items.push({ node, bg });
      if (sep?.type === 'op' && (sep.op === ';' || sep.op === '&' || sep.op === '\n')) this.i++;
      else break;
    }
    if (items.length === 0) throw new Unsupported('empty command list');
    return items.length === 1 && !items[0]?.bg ? (items[0]?.node as Node) : { t: 'seq', items };
  }

  private andOr(): Node {
    let node = this.pipeline();
    for (let t = this.peek(); t?.type === 'op' && (t.op === '&&' || t.op === '||'); t = this.peek()) {
      this.i++;
      this.skipNewlines();
      node = { t: t.op === '&&' ? 'and' : 'or', a: node, b: this.pipeline() };
    }
    return node;
  }

  private pipeline(): Node {
    if (keyword(this.peek()) === '!') {
      this.i++;
      return { t: 'not', a: this.command() };
    }
    return this.command();
  }

  private command(): Node {
    const kw = keyword(this.peek());
    if (kw === 'while' || kw === 'until') {
      this.i++;
      const cond = this.list(['do']);
      this.expect('do');
      const body = this.list(['done']);
      this.expect('done');
      return { t: kw, cond, body };
    }
    if (kw === 'for') return this.forLoop();
    if (kw === 'if') return this.ifClause();
    if (kw === '{') {
      this.i++;
      const body = this.list(['}']);
      this.expect('}');
      return { t: 'group', body };
    }
    if (kw !== undefined && RESERVED.includes(kw)) throw new Unsupported(`'${kw}'`);
    return this.simple();
  }

  private forLoop(): Node {
    this.i++;
    const nameTok = this.peek();
    const name = keyword(nameTok);
    if (name === undefined || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Unsupported('for name');
    this.i++;
    let items: Word[] | undefined;
    this.skipNewlines();
    if (keyword(this.peek()) === 'in') {
      this.i++;
      items = [];
      for (let t = this.peek(); t?.type === 'word'; t = this.peek()) {
        items.push(t.word);
        this.i++;
      }
    }
    const sep = this.peek();
    if (sep?.type === 'op' && sep.op === ';') this.i++;
    this.expect('do');
    const body = this.list(['done']);
    this.expect('done');
    return { t: 'for', name, items, body };
  }

  private ifClause(): Node {
    this.i++;
    const branches: { cond: Node; body: Node }[] = [];
    let otherwise: Node | undefined;
    for (;;) {
      const cond = this.list(['then']);
      this.expect('then');
      branches.push({ cond, body: this.list(['elif', 'else', 'fi']) });
      this.skipNewlines();
      const kw = keyword(this.peek());
      this.i++;
      if (kw === 'elif') continue;
      if (kw === 'else') {
        otherwise = this.list(['fi']);
        this.expect('fi');
      } else if (kw !== 'fi') throw new Unsupported("expected 'fi'");
      return { t: 'if', branches, otherwise };
    }
  }

  private simple(): Node {
    const assigns: { name: string; value: Word }[] = [];
    const words: Word[] = [];
    const redirs: Redir[] = [];
    let line = 0;
    for (let t = this.peek(); t && t.type !== 'op'; t = this.peek()) {
      this.i++;
      if (t.type === 'redir') {
        if (t.redir) redirs.push(t.redir);
        continue;
      }
      line ||= t.line;
      const assign = words.length === 0 ? splitAssignment(t.word) : undefined;
      if (assign) assigns.push(assign);
      else words.push(t.word);
    }
    if (assigns.length === 0 && words.length === 0 && redirs.length === 0)
      throw new Unsupported('empty command');
    return { t: 'simple', assigns, words, redirs, line };
  }
}

function splitAssignment(word: Word): { name: string; value: Word } | undefined {
  const first = word[0];
  if (first?.k !== 'lit' || first.q) return undefined;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.s);
  if (!m?.[1]) return undefined;
  const rest = first.s.slice(m[0].length);
  return {
    name: m[1],
    value: [...(rest ? [{ k: 'lit' as const, s: rest, q: false }] : []), ...word.slice(1)],
  };
}

import type { JsonValue } from '../../model/json.ts';
import { goJson } from '../../views/docker/index.ts';

/**
 * The small part of Go's text/template that `--format` strings use in practice: literal text,
 * `{{.Field.Sub}}` field chains, `{{.}}`, `{{json .X}}`, `{{index .X "key"}}` and the `{{-`/`-}}`
 * trim markers. Values print as Go's fmt `%v` prints the daemon's typed values: integers without
 * a decimal point, `true`/`false`, slices as `[a b]`, structs as `{a b}`, maps as `map[k:v]`
 * (objects whose keys are capitalised are taken for structs). A missing field prints
 * `<no value>`. `{{range .X}}…{{end}}` walks a slice, or a map in key order, with `.` set to each
 * element (`{{range $k, $v := .X}}` names them). Anything else (if, pipes) is refused with a
 * template error.
 * https://pkg.go.dev/text/template, https://docs.docker.com/engine/cli/formatting/
 */
export type TemplateResult = { ok: true; text: string } | { ok: false; error: string };

type Node = { kind: 'text'; text: string } | { kind: 'action'; words: string[]; source: string };

/** The parsed template: `range` blocks hold their body. */
type Tree =
  | { kind: 'text'; text: string }
  | { kind: 'action'; words: string[] }
  | { kind: 'range'; words: string[]; key?: string; value?: string; body: Tree[] };

/** `.` and the `$name`s a range declared. */
interface Scope {
  dot: JsonValue;
  vars: Map<string, JsonValue>;
}

const ACTION = /\{\{(-\s)?\s*(.*?)\s*(\s-)?\}\}/gs;

function parse(format: string): Node[] | string {
  const nodes: Node[] = [];
  let last = 0;
  for (const m of format.matchAll(ACTION)) {
    let text = format.slice(last, m.index);
    if (m[1]) text = text.replace(/\s+$/, '');
    const prev = nodes[nodes.length - 1];
    if (prev?.kind === 'action' && prev.source.endsWith('-}}')) text = text.replace(/^\s+/, '');
    if (text) nodes.push({ kind: 'text', text });
    const words = splitWords(m[2] ?? '');
    if (typeof words === 'string') return words;
    nodes.push({ kind: 'action', words, source: m[0] });
    last = (m.index ?? 0) + m[0].length;
  }
  let tail = format.slice(last);
  const prev = nodes[nodes.length - 1];
  if (prev?.kind === 'action' && prev.source.endsWith('-}}')) tail = tail.replace(/^\s+/, '');
  if (tail) nodes.push({ kind: 'text', text: tail });
  return nodes;
}

function splitWords(action: string): string[] | string {
  const words = action.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
  if (words.length === 0) return 'template: :1: missing value for command';
  return words;
}

function field(data: JsonValue | undefined, path: string): JsonValue | undefined {
  if (path === '.') return data;
  let value: JsonValue | undefined = data;
  for (const key of path.slice(1).split('.')) {
    if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value))
      return undefined;
    value = value[key];
  }
  return value;
}

function variable(scope: Scope, word: string): JsonValue | undefined {
  const dot = word.indexOf('.');
  const name = dot < 0 ? word : word.slice(0, dot);
  if (!scope.vars.has(name)) throw new Error(`template: :1: undefined variable "${name}"`);
  const value = scope.vars.get(name) ?? null;
  return dot < 0 ? value : field(value, word.slice(dot));
}

function argument(scope: Scope, word: string): JsonValue | undefined {
  const data = scope.dot;
  if (word.startsWith('$')) return variable(scope, word);
  if (word.startsWith('.')) return field(data, word);
  if (word.startsWith('"')) return JSON.parse(word) as string;
  if (/^-?\d+$/.test(word)) return Number(word);
  return undefined;
}

function evaluate(scope: Scope, words: string[]): string {
  const [head = '', ...args] = words;
  if (head.startsWith('.') || head.startsWith('$')) {
    if (args.length > 0) throw new Error(`template: :1: can't give argument to non-function ${head}`);
    return formatValue(argument(scope, head));
  }
  const values = args.map((a) => argument(scope, a));
  if (head === 'json') return goJson(values[0] ?? null, { escapeHTML: false });
  if (head === 'index') {
    const [container, key] = values;
    if (container && typeof container === 'object' && !Array.isArray(container) && typeof key === 'string')
      return formatValue(container[key]);
    if (Array.isArray(container) && typeof key === 'number') return formatValue(container[key]);
    return '<no value>';
  }
  throw new Error(`template: :1: function "${head}" not defined`);
}

/** Go fmt's %v for the daemon's typed values (see the module comment). */
export function formatValue(value: JsonValue | undefined): string {
  if (value === undefined) return '<no value>';
  if (value === null) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => formatValue(v)).join(' ')}]`;
  const keys = Object.keys(value);
  if (keys.length > 0 && keys.every((k) => /^[A-Z]/.test(k)))
    return `{${keys.map((k) => formatValue(value[k])).join(' ')}}`;
  return `map[${keys
    .sort()
    .map((k) => `${k}:${formatValue(value[k])}`)
    .join(' ')}]`;
}

/** Nest each `range … end` into a block. */
function toTree(nodes: Node[]): Tree[] | string {
  const root: Tree[] = [];
  const stack: Extract<Tree, { kind: 'range' }>[] = [];
  const into = () => stack[stack.length - 1]?.body ?? root;
  for (const n of nodes) {
    if (n.kind === 'text') into().push(n);
    else if (n.words[0] === 'range') {
      const rest = n.words.slice(1);
      const decl = rest.indexOf(':=');
      const names = decl < 0 ? [] : rest.slice(0, decl).map((w) => w.replace(/,$/, ''));
      const block: Extract<Tree, { kind: 'range' }> = {
        kind: 'range',
        words: decl < 0 ? rest : rest.slice(decl + 1),
        body: [],
        ...(names.length === 2
          ? { key: names[0], value: names[1] }
          : names.length === 1
            ? { value: names[0] }
            : {}),
      };
      into().push(block);
      stack.push(block);
    } else if (n.words[0] === 'end') {
      if (!stack.pop()) return 'template: :1: unexpected {{end}}';
    } else into().push({ kind: 'action', words: n.words });
  }
  return stack.length > 0 ? 'template: :1: unexpected EOF' : root;
}

function run(trees: Tree[], scope: Scope): string {
  return trees
    .map((t) => {
      if (t.kind === 'text') return t.text;
      if (t.kind === 'action') return evaluate(scope, t.words);
      return runRange(t, scope);
    })
    .join('');
}

function runRange(t: Extract<Tree, { kind: 'range' }>, scope: Scope): string {
  const over = t.words.length === 1 ? argument(scope, t.words[0] ?? '.') : undefined;
  if (over === null || over === undefined) return '';
  if (typeof over !== 'object')
    throw new Error(`template: :1: range can't iterate over ${formatValue(over)}`);
  const entries: [JsonValue, JsonValue][] = Array.isArray(over)
    ? over.map((v, i) => [i, v])
    : Object.keys(over)
        .sort()
        .map((k) => [k, over[k] ?? null]);
  return entries
    .map(([k, v]) => {
      const vars = new Map(scope.vars);
      if (t.key !== undefined) vars.set(t.key, k);
      if (t.value !== undefined) vars.set(t.value, v);
      return run(t.body, { dot: v, vars });
    })
    .join('');
}

export function renderTemplate(format: string, data: JsonValue): TemplateResult {
  const nodes = parse(format);
  if (typeof nodes === 'string') return { ok: false, error: nodes };
  const tree = toTree(nodes);
  if (typeof tree === 'string') return { ok: false, error: tree };
  try {
    return { ok: true, text: run(tree, { dot: data, vars: new Map([['$', data]]) }) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

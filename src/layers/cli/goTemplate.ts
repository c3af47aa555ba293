import type { JsonValue } from '../../model/json.ts';
import { goJson } from '../../views/docker/index.ts';

/**
 * The small part of Go's text/template that `--format` strings use in practice: literal text,
 * `{{.Field.Sub}}` field chains, `{{.}}`, `{{json .X}}`, `{{index .X "key"}}` and the `{{-`/`-}}`
 * trim markers. Values print as Go's fmt `%v` prints the daemon's typed values: integers without
 * a decimal point, `true`/`false`, slices as `[a b]`, structs as `{a b}`, maps as `map[k:v]`
 * (objects whose keys are capitalised are taken for structs). A missing field prints
 * `<no value>`. Anything else (range, if, pipes) is refused with a template error.
 * https://pkg.go.dev/text/template, https://docs.docker.com/engine/cli/formatting/
 */
export type TemplateResult = { ok: true; text: string } | { ok: false; error: string };

type Node = { kind: 'text'; text: string } | { kind: 'action'; words: string[]; source: string };

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

function argument(data: JsonValue, word: string): JsonValue | undefined {
  if (word.startsWith('.')) return field(data, word);
  if (word.startsWith('"')) return JSON.parse(word) as string;
  if (/^-?\d+$/.test(word)) return Number(word);
  return undefined;
}

function evaluate(data: JsonValue, words: string[]): string {
  const [head = '', ...args] = words;
  if (head.startsWith('.')) {
    if (args.length > 0) throw new Error(`template: :1: can't give argument to non-function ${head}`);
    return formatValue(field(data, head));
  }
  const values = args.map((a) => argument(data, a));
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

export function renderTemplate(format: string, data: JsonValue): TemplateResult {
  const nodes = parse(format);
  if (typeof nodes === 'string') return { ok: false, error: nodes };
  try {
    return {
      ok: true,
      text: nodes.map((n) => (n.kind === 'text' ? n.text : evaluate(data, n.words))).join(''),
    };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

/**
 * A scenario file read as YAML: the plain value, and where each field is, so an error can name
 * the file, line and column. Paths are written as in the errors: `steps[2].run`.
 */
export interface Position {
  line: number;
  col: number;
}

export interface YamlSource {
  file: string;
  value: unknown;
  /** Where each path's value starts; `key:` + path for where its key starts. */
  positions: Map<string, Position>;
}

export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly at: Position,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${file}:${at.line}:${at.col}: ${field ? `${field}: ` : ''}${reason}`);
    this.name = 'ScenarioError';
  }
}

/** Parse YAML text; a syntax error (or a duplicate key) is thrown as a ScenarioError. */
export function readYaml(file: string, text: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const [first] = doc.errors;
  if (first) {
    const at = lines.linePos(first.pos[0]);
    throw new ScenarioError(
      file,
      at,
      '',
      `not valid YAML: ${first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`,
    );
  }
  const positions = new Map<string, Position>();
  const visit = (node: Node | null | undefined, path: string): void => {
    if (!node) return;
    if (node.range) positions.set(path, lines.linePos(node.range[0]));
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        const child = path ? `${path}.${key}` : key;
        if (pair.key.range) positions.set(`key:${child}`, lines.linePos(pair.key.range[0]));
        visit(pair.value as Node | null, child);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item as Node | null, `${path}[${i}]`));
    }
  };
  visit(doc.contents as Node | null, '');
  return { file, value: doc.toJS(), positions };
}

/** The position of a path, or of its nearest enclosing field that has one. */
export function positionOf(source: YamlSource, path: string): Position {
  for (let p = path; ;) {
    const at = source.positions.get(p);
    if (at) return at;
    if (p === '') return { line: 1, col: 1 };
    const parent = p.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
    p = parent === p ? '' : parent;
  }
}

/**
 * A Dockerfile, read the way both builders read it: moby/buildkit's frontend/dockerfile/parser
 * (the legacy builder in dockerd 20.10 uses the same package). Lines are joined at a trailing
 * backslash, `#` lines are comments, the first word is the instruction (any case), and the rest
 * is parsed per instruction: JSON arrays for the exec forms, `key=value` pairs for ENV and LABEL.
 * https://docs.docker.com/reference/dockerfile/
 *
 * Only one build stage is simulated. Instructions Docker knows but dockstep does not simulate
 * (ARG, VOLUME, HEALTHCHECK, …) are refused with a message that says so.
 */
export type Instruction =
  | { kind: 'FROM'; image: string }
  | { kind: 'RUN'; args: string[]; shellForm: boolean }
  | { kind: 'CMD' | 'ENTRYPOINT'; args: string[]; shellForm: boolean }
  | { kind: 'COPY' | 'ADD'; sources: string[]; dest: string }
  | { kind: 'ENV' | 'LABEL'; pairs: [string, string][] }
  | { kind: 'WORKDIR'; path: string }
  | { kind: 'EXPOSE'; ports: string[] }
  | { kind: 'USER'; user: string };

export type Step = Instruction & {
  /** 1-based line of the instruction's first line. */
  line: number;
  /** The instruction as written, continuation lines joined (what `Step N/M :` prints). */
  original: string;
};

export class DockerfileError extends Error {}

const KNOWN_UNSIMULATED = ['ARG', 'VOLUME', 'HEALTHCHECK', 'SHELL', 'ONBUILD', 'STOPSIGNAL', 'MAINTAINER'];
const SHELL = ['/bin/sh', '-c'];

interface Line {
  line: number;
  text: string;
}

/** Join continuation lines, drop comments and blank lines. */
function logicalLines(source: string): Line[] {
  const out: Line[] = [];
  let pending: Line | undefined;
  source.split('\n').forEach((raw, i) => {
    const text = raw.replace(/\r$/, '');
    if (pending === undefined && /^\s*(#.*)?$/.test(text)) return;
    if (pending !== undefined && /^\s*#/.test(text)) return;
    const continued = /\\\s*$/.test(text);
    const part = continued ? text.replace(/\\\s*$/, '') : text;
    pending = pending ? { line: pending.line, text: pending.text + part } : { line: i + 1, text: part };
    if (!continued) {
      out.push({ line: pending.line, text: pending.text.trim() });
      pending = undefined;
    }
  });
  if (pending) out.push({ line: pending.line, text: pending.text.trim() });
  return out;
}

/** Words as the Dockerfile's shell-lexer splits them: quotes grouped, backslash escapes kept out. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The exec form (a JSON array of strings), or undefined for the shell form. */
function execForm(rest: string): string[] | undefined {
  if (!rest.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(rest);
    if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed as string[];
  } catch {
    // Not JSON: the builders then take the text as the shell form.
  }
  return undefined;
}

function commandForm(rest: string): { args: string[]; shellForm: boolean } {
  const exec = execForm(rest);
  return exec ? { args: exec, shellForm: false } : { args: [...SHELL, rest], shellForm: true };
}

/** `ENV a=1 b="two words"`, or the old `ENV a 1` (one pair, the rest of the line its value). */
function pairs(kind: 'ENV' | 'LABEL', rest: string, line: number): [string, string][] {
  const words = splitWords(rest);
  if (words.length === 0)
    throw new DockerfileError(`dockerfile parse error line ${line}: ${kind} requires at least one argument`);
  if (!words[0]?.includes('=')) {
    const [name = '', ...value] = rest.split(/\s+/);
    if (value.length === 0)
      throw new DockerfileError(`dockerfile parse error line ${line}: ${kind} must have two arguments`);
    return [[name, splitWords(value.join(' ')).join(' ')]];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq <= 0)
      throw new DockerfileError(
        `dockerfile parse error line ${line}: Syntax error - can't find = in "${w}". Must be of the form: name=value`,
      );
    return [w.slice(0, eq), w.slice(eq + 1)] as [string, string];
  });
}

function instruction(word: string, rest: string, line: number): Instruction {
  const needs = (n: number, what: string): void => {
    if (splitWords(rest).length < n)
      throw new DockerfileError(`dockerfile parse error line ${line}: ${what}`);
  };
  switch (word) {
    case 'FROM': {
      needs(1, 'FROM requires either one or three arguments');
      const [image = '', as, name] = splitWords(rest);
      if (as !== undefined)
        throw new DockerfileError(
          `dockstep simulates one build stage: 'FROM ${image} ${as} ${name ?? ''}'`.trim(),
        );
      return { kind: 'FROM', image };
    }
    case 'RUN':
    case 'CMD':
    case 'ENTRYPOINT':
      needs(1, `${word} requires at least one argument`);
      return { kind: word, ...commandForm(rest) };
    case 'COPY':
    case 'ADD': {
      const words = splitWords(rest).filter((w) => !w.startsWith('--'));
      const form = execForm(rest) ?? words;
      if (form.length < 2)
        throw new DockerfileError(
          `dockerfile parse error line ${line}: ${word} requires at least two arguments, but only one was provided. Destination could not be determined.`,
        );
      return { kind: word, sources: form.slice(0, -1), dest: form.at(-1) ?? '' };
    }
    case 'ENV':
    case 'LABEL':
      return { kind: word, pairs: pairs(word, rest, line) };
    case 'WORKDIR':
      needs(1, 'WORKDIR requires exactly one argument');
      return { kind: 'WORKDIR', path: splitWords(rest).join(' ') };
    case 'EXPOSE':
      needs(1, 'EXPOSE requires at least one argument');
      return { kind: 'EXPOSE', ports: splitWords(rest) };
    case 'USER':
      needs(1, 'USER requires exactly one argument');
      return { kind: 'USER', user: splitWords(rest)[0] ?? '' };
    default:
      if (KNOWN_UNSIMULATED.includes(word))
        throw new DockerfileError(`dockstep does not simulate the ${word} instruction yet (line ${line})`);
      throw new DockerfileError(`dockerfile parse error line ${line}: unknown instruction: ${word}`);
  }
}

/** Parse a Dockerfile into its steps; throws DockerfileError with the builders' own wording. */
export function parseDockerfile(source: string): Step[] {
  const steps: Step[] = [];
  for (const { line, text } of logicalLines(source)) {
    const [first = ''] = text.split(/\s/, 1);
    const rest = text.slice(first.length).trim();
    steps.push({ ...instruction(first.toUpperCase(), rest, line), line, original: text });
  }
  if (steps.length === 0) throw new DockerfileError('the Dockerfile (Dockerfile) cannot be empty');
  if (steps[0]?.kind !== 'FROM')
    throw new DockerfileError(
      `dockerfile parse error line ${steps[0]?.line ?? 1}: no build stage in current context`,
    );
  if (steps.slice(1).some((s) => s.kind === 'FROM'))
    throw new DockerfileError('dockstep simulates one build stage: only the first FROM is supported');
  return steps;
}

/** `$NAME` and `${NAME}` from the build's environment (ENV), as the builders expand WORKDIR, COPY and ENV values. */
export function expandVars(text: string, env: readonly string[]): string {
  const value = (name: string): string => {
    for (let i = env.length - 1; i >= 0; i--)
      if (env[i]?.startsWith(`${name}=`)) return env[i]?.slice(name.length + 1) ?? '';
    return '';
  };
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_m, a: string | undefined, b: string | undefined) => value(a ?? b ?? ''),
  );
}

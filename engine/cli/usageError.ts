/** A command line dockstep cannot run: printed with the usage, exit status 2. */
export class UsageError extends Error {}

/** One word of a command line, read as a flag: `--flag value`, `--flag=value` or a bare word. */
export interface FlagWord {
  /** The word as given. */
  arg: string;
  /** The flag's name (`--format` of `--format=json`), or the whole word. */
  flag: string;
  /** The value after `=`, if the word had one. */
  inline: string | undefined;
  /** The flag's value: after `=`, else the next word (which is then consumed). */
  value(): string;
  /** The words after this one (all consumed): what follows `--`. */
  rest(): string[];
}

/** The words of `argv` in order, each able to take the next as its value (Go's pflag way). */
export function* flagWords(argv: readonly string[]): Generator<FlagWord> {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    yield {
      arg,
      flag,
      inline,
      value: () => {
        const v = inline ?? argv[++i];
        if (v === undefined) throw new UsageError(`flag needs an argument: ${flag}`);
        return v;
      },
      rest: () => {
        const rest = argv.slice(i + 1);
        i = argv.length;
        return rest;
      },
    };
  }
}

/** `value` when it is one of `allowed`, else the usage error naming the flag and the choices. */
export function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  const found = allowed.find((a) => a === value);
  if (found !== undefined) return found;
  throw new UsageError(`invalid value "${value}" for ${flag}: expected one of ${allowed.join(', ')}`);
}

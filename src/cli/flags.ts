import { parseReference } from '../model/image.ts';
import { goQuote, goQuoteChar, parseGoBool, parseGoInt, parseGoUint, ramInBytes } from './goValues.ts';
import { parseMountOpt } from './mounts.ts';

/**
 * A small copy of spf13/pflag's parser as docker/cli uses it (vendor/github.com/spf13/pflag/flag.go
 * `parseArgs`, `parseLongArg`, `parseSingleShortArg`), with pflag's error texts:
 * `--flag=value`, `--flag value`, `-d`, `-dit`, `-e=X`, `-eX`, `-e X`, repeated flags, `--` to end
 * the flags, booleans as `--rm=false`. Commands that call `SetInterspersed(false)` (run, create,
 * exec, and the root command) stop at the first positional argument, so in
 * `docker run busybox ls -la` the `-la` belongs to the container.
 */

/**
 * How a value is checked when the flag is set, i.e. which pflag `Value` docker registers:
 * bool, string, int (strconv.ParseInt base 0), uint/uint16, list (opts.ListOpts), env
 * (opts.ValidateEnv), bytes (opts.MemBytes), filter (opts.FilterOpt), network (opts.NetworkOpt),
 * mount (opts.MountOpt); tag (`docker build -t`: a list whose values must parse as references,
 * build.go validateTag).
 */
export type FlagKind =
  | 'bool'
  | 'string'
  | 'int'
  | 'uint'
  | 'uint16'
  | 'list'
  | 'env'
  | 'bytes'
  | 'filter'
  | 'network'
  | 'mount'
  | 'tag';

export interface FlagSpec {
  name: string;
  short?: string;
  kind: FlagKind;
  /** Flags sharing one variable (`--net`/`--network`, `--time`/`--timeout`) share a key. */
  key?: string;
  /** dockstep reads this flag's value; others are accepted and reported as ignored. */
  modelled?: boolean;
}

/** `spec('publish', 'p', 'list')`, or `spec('rm', '', 'bool')` for a long-only flag. */
export function spec(name: string, short: string, kind: FlagKind, extra: Partial<FlagSpec> = {}): FlagSpec {
  return { name, kind, ...(short !== '' && { short }), ...extra };
}

/** The values set on a command line, per key, in order, after each flag type's own checks. */
/** Mark a flag as one dockstep simulates (the others are accepted and reported as ignored). */
export const m = <T extends { modelled?: boolean }>(f: T): T => ({ ...f, modelled: true });

export class FlagValues {
  private readonly values = new Map<string, string[]>();
  readonly ignored: string[] = [];

  add(flag: FlagSpec, value: string): void {
    const key = flag.key ?? flag.name;
    this.values.set(key, [...(this.values.get(key) ?? []), value]);
    if (flag.modelled !== true && !this.ignored.includes(`--${flag.name}`))
      this.ignored.push(`--${flag.name}`);
  }

  changed(key: string): boolean {
    return this.values.has(key);
  }

  list(key: string): string[] {
    return this.values.get(key) ?? [];
  }

  string(key: string): string | undefined {
    return this.list(key).at(-1);
  }

  bool(key: string, fallback = false): boolean {
    const last = this.string(key);
    return last === undefined ? fallback : last === 'true';
  }

  int(key: string): number | undefined {
    const last = this.string(key);
    return last === undefined ? undefined : Number(last);
  }
}

export interface FlagParse {
  values: FlagValues;
  args: string[];
  help: boolean;
  /** pflag's message; the caller adds the usage (cli/cobra.go FlagErrorFunc). */
  error?: string;
}

class FlagFailure extends Error {}

/** Parse `argv` against `flags`; `--help` (and `-h` unless the command uses it) ask for help. */
export function parseFlags(
  argv: readonly string[],
  flags: readonly FlagSpec[],
  interspersed: boolean,
): FlagParse {
  const all = withHelp(flags);
  const result: FlagParse = { values: new FlagValues(), args: [], help: false };
  let rest = [...argv];
  try {
    while (rest.length > 0) {
      const s = rest.shift() ?? '';
      if (s.length < 2 || !s.startsWith('-')) {
        result.args.push(s);
        if (interspersed) continue;
        result.args.push(...rest);
        break;
      }
      if (s === '--') {
        result.args.push(...rest);
        break;
      }
      rest = s.startsWith('--') ? parseLong(s, rest, all, result) : parseShort(s, rest, all, result);
    }
  } catch (error) {
    if (!(error instanceof FlagFailure)) throw error;
    result.error = error.message;
  }
  return result;
}

function withHelp(flags: readonly FlagSpec[]): FlagSpec[] {
  // cli/cobra.go: the root's persistent `--help`, shorthand `-h` (deprecated); run and create
  // declare their own `--help` without `-h`, which is `--hostname` there.
  const short = flags.some((f) => f.short === 'h') ? {} : { short: 'h' };
  return [...flags, { name: 'help', kind: 'bool', modelled: true, ...short }];
}

function parseLong(s: string, rest: string[], flags: readonly FlagSpec[], out: FlagParse): string[] {
  const body = s.slice(2);
  if (body === '' || body.startsWith('-') || body.startsWith('='))
    throw new FlagFailure(`bad flag syntax: ${s}`);
  const eq = body.indexOf('=');
  const name = eq < 0 ? body : body.slice(0, eq);
  const flag = flags.find((f) => f.name === name);
  if (!flag) throw new FlagFailure(`unknown flag: --${name}`);
  let value: string;
  let remaining = rest;
  if (eq >= 0) value = body.slice(eq + 1);
  else if (flag.kind === 'bool') value = 'true';
  else if (rest.length > 0) [value = '', ...remaining] = rest;
  else throw new FlagFailure(`flag needs an argument: ${s}`);
  set(flag, value, out);
  return remaining;
}

function parseShort(s: string, rest: string[], flags: readonly FlagSpec[], out: FlagParse): string[] {
  let shorthands = s.slice(1);
  let remaining = rest;
  while (shorthands.length > 0) {
    const c = shorthands.charAt(0);
    const flag = flags.find((f) => f.short === c);
    if (!flag) throw new FlagFailure(`unknown shorthand flag: ${goQuoteChar(c)} in -${shorthands}`);
    let value: string;
    let next = shorthands.slice(1);
    // pflag hands every shorthand in a group the arguments as they were before the group, so
    // only the last one's consumption counts; kept for fidelity.
    remaining = rest;
    if (shorthands.length > 2 && shorthands.charAt(1) === '=') [value, next] = [shorthands.slice(2), ''];
    else if (flag.kind === 'bool') value = 'true';
    else if (shorthands.length > 1) [value, next] = [shorthands.slice(1), ''];
    else if (rest.length > 0) [value = '', ...remaining] = rest;
    else throw new FlagFailure(`flag needs an argument: ${goQuoteChar(c)} in -${shorthands}`);
    set(flag, value, out);
    shorthands = next;
  }
  return remaining;
}

function set(flag: FlagSpec, value: string, out: FlagParse): void {
  let stored: string | undefined;
  try {
    stored = checkValue(flag.kind, value);
  } catch (error) {
    const name =
      flag.short !== undefined && flag.name !== 'help' ? `-${flag.short}, --${flag.name}` : `--${flag.name}`;
    const why = error instanceof Error ? error.message : String(error);
    throw new FlagFailure(`invalid argument ${goQuote(value)} for ${goQuote(name)} flag: ${why}`);
  }
  if (flag.name === 'help') out.help = stored === 'true';
  else if (stored !== undefined) out.values.add(flag, stored);
}

/** The pflag Value's `Set`: the normalised value to keep, undefined to keep nothing, or a throw. */
function checkValue(kind: FlagKind, value: string): string | undefined {
  switch (kind) {
    case 'bool':
      return String(parseGoBool(value));
    case 'int':
      return String(parseGoInt(value));
    case 'uint':
      return String(parseGoUint(value, 64));
    case 'uint16':
      return String(parseGoUint(value, 16));
    case 'bytes':
      return String(ramInBytes(value));
    case 'env':
      return checkEnv(value);
    case 'filter':
      return checkFilter(value);
    case 'network':
      return checkNetwork(value);
    case 'mount':
      parseMountOpt(value);
      return value;
    case 'tag':
      // distribution/reference's own error text ("invalid reference format: …").
      parseReference(value);
      return value;
    default:
      return value;
  }
}

/** opts/env.go ValidateEnv. Without a host environment, `-e FOO` stays `FOO`. */
function checkEnv(value: string): string {
  if (value.split('=')[0] === '') throw new Error(`invalid environment variable: ${value}`);
  return value;
}

/** opts/opts.go FilterOpt.Set: `name=value`, the name lower-cased, both sides trimmed. */
function checkFilter(value: string): string | undefined {
  if (value === '') return undefined;
  const eq = value.indexOf('=');
  if (eq < 0) throw new Error('bad format of filter (expected name=value)');
  return `${value.slice(0, eq).trim().toLowerCase()}=${value.slice(eq + 1).trim()}`;
}

const NETWORK_KEYS = new Set([
  'name',
  'alias',
  'ip',
  'ip6',
  'mac-address',
  'link-local-ip',
  'driver-opt',
  'gw-priority',
]);

/**
 * opts/network.go NetworkOpt.Set: a plain name, or the long form `name=web,alias=x` (docker
 * tests the unanchored pattern `\w+=\w+(,\w+=\w+)*`). We keep the target network only.
 */
function checkNetwork(value: string): string {
  if (!/\w+=\w+(,\w+=\w+)*/.test(value)) return value;
  let target = '';
  for (const field of value.split(',')) {
    const eq = field.indexOf('=');
    const key = field.slice(0, Math.max(eq, 0)).toLowerCase().trim();
    if (eq < 0 || key === '') throw new Error(`invalid field ${field}`);
    if (!NETWORK_KEYS.has(key)) throw new Error(`invalid field key ${key}`);
    if (key === 'name')
      target = field
        .slice(eq + 1)
        .toLowerCase()
        .trim();
  }
  if (target === '') throw new Error('network name/id is not specified');
  return target;
}

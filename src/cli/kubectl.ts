import { tryParseReference } from '../model/image.ts';
import { cliError } from './errors.ts';
import type { CliError } from './types.ts';

/**
 * kubectl lines (kubectl v1.34), for the lessons that run a pod on a Kubernetes node. kubectl is
 * cobra and pflag, like the docker CLI, but prints errors its own way: cmdutil.CheckErr prefixes
 * `error: ` and exits 1; a flag error adds `See 'kubectl run --help' for usage.`
 * (util/templates FlagErrorFunc); a usage error adds `See 'kubectl run -h' for help and
 * examples` (cmdutil.UsageErrorf). https://github.com/kubernetes/kubectl/tree/master/pkg/cmd
 *
 * Simulated: `kubectl run NAME --image=IMAGE [--restart=…] [--env=K=V] [-- ARGS…]`,
 * `kubectl delete pod NAME [--grace-period=N | --now]` and `kubectl get pods`, in the default
 * namespace. Other kubectl commands are refused with a dockstep message, never faked.
 */
export type KubectlCommand =
  | { name: 'run'; pod: string; image: string; restart: RestartPolicy; env: string[]; args: string[] }
  | { name: 'delete'; pod: string; gracePeriod?: number }
  | { name: 'get'; resource: 'pods' };

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

interface Parsed {
  flags: Map<string, string[]>;
  args: string[];
  /** Arguments after `--`. */
  rest: string[];
}

/** The flags each command takes: true when the flag takes a value. */
const FLAGS: Record<'run' | 'delete' | 'get', Record<string, boolean>> = {
  run: { image: true, restart: true, env: true, namespace: true },
  delete: { 'grace-period': true, now: false, namespace: true },
  get: { namespace: true },
};

const SHORT: Record<string, string> = {
  n: 'namespace',
  i: 'stdin',
  t: 'tty',
  l: 'labels',
  q: 'quiet',
  o: 'output',
  f: 'filename',
  w: 'watch',
  A: 'all-namespaces',
};

/** Real flags of these commands that dockstep does not simulate: refused in dockstep's words, not pflag's. */
const UNSIMULATED: Record<'run' | 'delete' | 'get', readonly string[]> = {
  run: [
    'stdin',
    'tty',
    'port',
    'labels',
    'rm',
    'attach',
    'command',
    'dry-run',
    'overrides',
    'expose',
    'image-pull-policy',
    'annotations',
    'privileged',
    'quiet',
    'output',
  ],
  delete: ['force', 'wait', 'all', 'labels', 'output', 'filename', 'selector'],
  get: ['output', 'watch', 'labels', 'selector', 'all-namespaces'],
};
const POD_TYPES = new Set(['pod', 'pods', 'po']);
const KNOWN = new Set([
  'create',
  'expose',
  'set',
  'explain',
  'edit',
  'rollout',
  'scale',
  'autoscale',
  'certificate',
  'cluster-info',
  'top',
  'cordon',
  'uncordon',
  'drain',
  'taint',
  'describe',
  'logs',
  'attach',
  'exec',
  'port-forward',
  'proxy',
  'cp',
  'auth',
  'debug',
  'events',
  'diff',
  'apply',
  'patch',
  'replace',
  'wait',
  'kustomize',
  'label',
  'annotate',
  'completion',
  'alpha',
  'api-resources',
  'api-versions',
  'config',
  'plugin',
  'version',
  'options',
]);

const fail = (text: string): CliError => cliError(text, 1);
const flagError = (command: string, message: string): CliError =>
  fail(`error: ${message}\nSee 'kubectl ${command} --help' for usage.`);

function parseFlags(command: 'run' | 'delete' | 'get', words: readonly string[]): Parsed | CliError {
  const out: Parsed = { flags: new Map(), args: [], rest: [] };
  const known = FLAGS[command];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (word === '--') {
      out.rest = words.slice(i + 1);
      break;
    }
    if (!word.startsWith('-') || word === '-') {
      out.args.push(word);
      continue;
    }
    const long = word.startsWith('--');
    const [rawName = '', inline] = long
      ? splitOnce(word.slice(2))
      : [word.slice(1, 2), word.length > 2 ? word.slice(2) : undefined];
    const name = long ? rawName : SHORT[rawName];
    if (name !== undefined && UNSIMULATED[command].includes(name))
      return fail(
        `dockstep: kubectl ${command} ${word.split('=')[0] ?? word} is a real flag that dockstep does not simulate`,
      );
    if (name === undefined || !(name in known)) {
      return flagError(
        command,
        long ? `unknown flag: --${rawName}` : `unknown shorthand flag: '${rawName}' in ${word}`,
      );
    }
    let value = inline;
    if (known[name] && value === undefined) {
      value = words[++i];
      if (value === undefined)
        return flagError(
          command,
          `flag needs an argument: ${long ? `--${name}` : `'${rawName}' in -${rawName}`}`,
        );
    }
    out.flags.set(name, [...(out.flags.get(name) ?? []), value ?? 'true']);
  }
  return out;
}

function splitOnce(text: string): [string, string | undefined] {
  const eq = text.indexOf('=');
  return eq < 0 ? [text, undefined] : [text.slice(0, eq), text.slice(eq + 1)];
}

const last = (p: Parsed, flag: string): string | undefined => p.flags.get(flag)?.at(-1);

/** The simulated node serves the default namespace only; another one is refused, not faked. */
function namespaceError(p: Parsed): CliError | undefined {
  const ns = last(p, 'namespace');
  return ns === undefined || ns === 'default'
    ? undefined
    : fail(`dockstep: kubectl here works in the default namespace only, not '${ns}'`);
}

function parseRun(words: readonly string[]): KubectlCommand | CliError {
  const p = parseFlags('run', words);
  if ('stderr' in p) return p;
  // cobra checks MarkFlagRequired("image") before RunE runs.
  const image = last(p, 'image');
  if (image === undefined) return fail('error: required flag(s) "image" not set');
  const pod = p.args[0];
  if (pod === undefined)
    return fail("error: NAME is required for run\nSee 'kubectl run -h' for help and examples");
  if (image === '') return fail('error: --image is required');
  if (tryParseReference(image) === undefined)
    return fail(`error: Invalid image name "${image}": invalid reference format`);
  const restart = last(p, 'restart') ?? 'Always';
  if (restart !== 'Always' && restart !== 'OnFailure' && restart !== 'Never')
    return fail(`error: invalid restart policy: ${restart}\nSee 'kubectl run -h' for help and examples`);
  // generate/versioned parseEnvs: NAME=value with a C identifier-like name (validation.IsEnvVarName).
  for (const e of p.flags.get('env') ?? [])
    if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*=/.test(e)) return fail(`error: invalid env: ${e}`);
  return (
    namespaceError(p) ?? {
      name: 'run',
      pod,
      image,
      restart,
      env: p.flags.get('env') ?? [],
      args: [...p.args.slice(1), ...p.rest],
    }
  );
}

/** `pod web`, `pods web`, `po web` or `pod/web`. */
function podName(args: readonly string[]): string | CliError {
  const [first = '', second] = args;
  const slash = first.indexOf('/');
  const [type, name] = slash >= 0 ? [first.slice(0, slash), first.slice(slash + 1)] : [first, second];
  if (!POD_TYPES.has(type)) return fail(`dockstep: kubectl here deletes and lists pods only, not '${type}'`);
  if (name === undefined || name === '')
    return fail('error: resource(s) were provided, but no name was specified');
  if (args.length > (slash >= 0 ? 1 : 2)) return fail('dockstep: kubectl here deletes one pod at a time');
  return name;
}

function parseDelete(words: readonly string[]): KubectlCommand | CliError {
  const p = parseFlags('delete', words);
  if ('stderr' in p) return p;
  if (p.args.length === 0) return fail('dockstep: kubectl delete here takes a pod: kubectl delete pod NAME');
  const pod = podName(p.args);
  if (typeof pod !== 'string') return pod;
  const grace = last(p, 'grace-period');
  // --now is --grace-period=1 (delete.go); a negative period means the pod's own (30 s by default).
  let gracePeriod = last(p, 'now') === 'true' ? 1 : undefined;
  if (grace !== undefined) {
    if (!/^-?\d+$/.test(grace))
      return flagError(
        'delete',
        `invalid argument "${grace}" for "--grace-period" flag: strconv.ParseInt: parsing "${grace}": invalid syntax`,
      );
    const n = Number(grace);
    if (n === 0)
      return fail('dockstep: --grace-period=0 is a forced deletion, which dockstep does not simulate');
    if (n > 0) gracePeriod = n;
  }
  return namespaceError(p) ?? { name: 'delete', pod, ...(gracePeriod === undefined ? {} : { gracePeriod }) };
}

function parseGet(words: readonly string[]): KubectlCommand | CliError {
  const p = parseFlags('get', words);
  if ('stderr' in p) return p;
  const [type] = p.args;
  if (type === undefined) {
    return fail(
      'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee \'kubectl get -h\' for help and examples',
    );
  }
  if (!POD_TYPES.has(type) || p.args.length > 1)
    return fail(`dockstep: kubectl get here lists pods only: kubectl get pods`);
  return namespaceError(p) ?? { name: 'get', resource: 'pods' };
}

export function parseKubectlWords(words: readonly string[]): KubectlCommand | CliError {
  const [command, ...rest] = words;
  if (command === undefined)
    return fail("dockstep: kubectl without a command prints its help; try 'kubectl run web --image=nginx'");
  if (command === 'run') return parseRun(rest);
  if (command === 'delete') return parseDelete(rest);
  if (command === 'get') return parseGet(rest);
  if (KNOWN.has(command))
    return fail(`dockstep: 'kubectl ${command}' is a kubectl command that dockstep does not simulate`);
  return unknownCommand(command);
}

/** Levenshtein distance, as cobra's ld() (case-insensitive there, as here). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      row[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
  }
  return (d[a.length] as number[])[b.length] ?? 0;
}

/**
 * cobra's legacyArgs error for the root command, with its suggestions: commands within
 * SuggestionsMinimumDistance (2) of the word, or that start with it, in name order.
 */
function unknownCommand(word: string): CliError {
  const names = [...KNOWN, 'run', 'get', 'delete'].sort();
  const w = word.toLowerCase();
  const near = names.filter((n) => distance(w, n) <= 2 || n.startsWith(w));
  const suggestions =
    near.length > 0 ? `\n\nDid you mean this?\n${near.map((n) => `\t${n}`).join('\n')}` : '';
  return fail(`error: unknown command "${word}" for "kubectl"${suggestions}`);
}

export function isKubectlError(value: KubectlCommand | CliError): value is CliError {
  return 'stderr' in value;
}

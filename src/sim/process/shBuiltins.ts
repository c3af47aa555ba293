import type { Gen, Shell, Streams } from './shell.ts';
import { Unsupported } from './shParse.ts';
import { printfText, testArgs } from './shExpand.ts';
import { echoText } from './applets.ts';
import { signalNumber } from './signals.ts';

/**
 * The builtins of ash/dash/bash that scripts in containers use. `sleep`, `cat`, `ls` and the
 * like are not builtins: the shell forks and execs them (they show up in pstree). `kill`, `cd`,
 * `set`, `eval`, `.` and others are not modelled: Unsupported.
 */

/** `exit` unwinds the interpreter to the top, where the EXIT trap runs. */
export class ExitShell {
  constructor(readonly code: number) {}
}
/** `break N` / `continue N` unwind N enclosing loops. */
export class LoopControl {
  constructor(
    readonly kind: 'break' | 'continue',
    public levels: number,
  ) {}
}

const BUILTINS = new Set([
  ':',
  'true',
  'false',
  'echo',
  'printf',
  'exit',
  'trap',
  'wait',
  'test',
  '[',
  'export',
  'unset',
  'break',
  'continue',
  'shift',
  'read',
  'exec',
  'kill',
  'cd',
  'set',
  'eval',
  '.',
  'source',
  'return',
  'local',
  'ulimit',
  'umask',
  'alias',
  'command',
  'type',
  'hash',
  'times',
  'getopts',
  'readonly',
  'pwd',
]);

export function isBuiltin(name: string): boolean {
  return BUILTINS.has(name);
}

export function* runBuiltin(sh: Shell, argv: string[], streams: Streams): Gen<number> {
  const [name = '', ...args] = argv;
  switch (name) {
    case ':':
    case 'true':
      return 0;
    case 'false':
      return 1;
    case 'echo':
      // dash's echo always interprets backslash escapes and knows only -n (dash(1)).
      sh.write(streams, 'stdout', echoText(args, sh.flavor === 'dash' ? 'dash' : 'posix'));
      return 0;
    case 'printf':
      sh.write(streams, 'stdout', printfText(args));
      return 0;
    case 'exit':
      throw new ExitShell(args[0] === undefined ? sh.status : exitCode(args[0]));
    case 'trap':
      return trap(sh, args);
    case 'wait':
      return yield* wait(sh, args);
    case 'test':
      return testArgs(args);
    case '[':
      if (args[args.length - 1] !== ']') throw new Unsupported('[ without ]');
      return testArgs(args.slice(0, -1));
    case 'export':
    case 'unset':
      return yield* exportOrUnset(sh, name, args);
    case 'break':
    case 'continue':
      throw new LoopControl(name, Number(args[0] ?? '1') || 1);
    case 'shift':
      sh.params = sh.params.slice(Number(args[0] ?? '1'));
      return 0;
    case 'read':
      // stdin is /dev/null (docker run without -i): read meets end of file and fails.
      for (const v of args.filter((a) => !a.startsWith('-'))) sh.vars.set(v, '');
      return 1;
    case 'exec':
      if (args.length === 0) throw new Unsupported('exec without a command');
      yield* sh.external(args, [], streams, true, 0);
      return 0;
    default:
      throw new Unsupported(`builtin ${name}`);
  }
}

/** exit N: the status is N modulo 256 (XCU exit). */
function exitCode(arg: string): number {
  if (!/^\d+$/.test(arg)) throw new Unsupported('exit with a non-number');
  return Number(arg) & 255;
}

/**
 * trap ACTION SIGNAL...: '' ignores the signal, '-' restores the default, anything else is run
 * by the shell at the next command boundary. EXIT (0) runs when the shell exits normally.
 */
function trap(sh: Shell, args: string[]): number {
  if (args.length < 2) throw new Unsupported('trap listing');
  const [action = '', ...specs] = args;
  for (const spec of specs) {
    if (spec === 'EXIT' || spec === '0') {
      sh.exitTrap = action === '-' ? undefined : action;
      continue;
    }
    const sig = signalNumber(spec);
    if (sig === undefined || sig === 9 || sig === 19) throw new Unsupported(`trap ${spec}`);
    if (action === '-') {
      sh.traps.delete(sig);
      sh.ctx.setHandler(sig, 'default');
    } else if (action === '') {
      sh.traps.set(sig, '');
      sh.ctx.setHandler(sig, 'ignore');
    } else {
      sh.traps.set(sig, action);
      sh.ctx.setHandler(sig, (s) => sh.pending.push(s));
    }
  }
  return 0;
}

/** wait: until background jobs end, or a trapped signal arrives (then 128+signal, XCU wait). */
function* wait(sh: Shell, args: string[]): Gen<number> {
  if (args.length > 0) throw new Unsupported('wait for a given pid');
  for (;;) {
    sh.publishChildren();
    if (sh.jobs.length === 0) return 0;
    const ends = sh.jobs.map((j) => j.untilMs);
    const until = ends.includes(undefined) ? undefined : Math.min(...(ends as number[]));
    const woke = yield until === undefined
      ? { kind: 'pause', interruptible: true }
      : { kind: 'sleep', untilMs: until, interruptible: true };
    if (woke === 'interrupted') return 128 + (sh.pending[0] ?? 0);
  }
}

function* exportOrUnset(sh: Shell, name: string, args: string[]): Gen<number> {
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const key = eq < 0 ? arg : arg.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Unsupported(`${name} ${arg}`);
    if (name === 'unset') {
      sh.vars.delete(key);
      sh.exported.delete(key);
      continue;
    }
    if (eq >= 0) yield* sh.assign(key, arg.slice(eq + 1));
    sh.exported.add(key);
  }
  return 0;
}

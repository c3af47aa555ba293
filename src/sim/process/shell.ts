import type { Block, Ctx, Program, ProgramRun, Resolve, Wake } from './driver.ts';
import type { ProcessEnv } from './types.ts';
import { type Node, type Redir, type Sink, Unsupported, parseScript } from './shParse.ts';
import { type Scope, type Value, concat, expandFields, expandValue, text, valueLength } from './shExpand.ts';
import { finished, unmodeled } from './applets.ts';
import { ExitShell, LoopControl, isBuiltin, runBuiltin } from './shBuiltins.ts';

/**
 * sh -c SCRIPT, interpreted in virtual time: busybox ash (busybox, alpine), dash (Debian's
 * /bin/sh: nginx, redis) or bash. What matters for Docker is modelled after ash and POSIX:
 *  - External commands (`sleep 1`) are children: the shell forks, execs and waits for them.
 *  - The last command of `sh -c` is exec'd in place of the shell when no trap is set (ash's
 *    EV_EXIT: evalcommand does not fork), so `sh -c 'sleep 100'` becomes PID 1 `sleep` itself.
 *  - A trapped signal that arrives while a foreground child runs is acted on only after that
 *    child has finished (XCU 2.11: "the trap associated with that signal shall not be executed
 *    until after the foreground command has completed"); `wait`, though, returns at once with
 *    status > 128. That is why `trap 'exit 0' TERM; while true; do sleep 1; done` makes
 *    `docker stop` take up to a second, and `sleep 1000 & wait` makes it immediate.
 *  - Without a trap, PID 1 ignores SIGTERM (pid_namespaces(7)); docker stop then needs SIGKILL.
 * Each loop iteration costs LOOP_US of CPU, and copying a value costs time proportional to its
 * size, so busy loops advance virtual time; memory is the shell's base plus its variables.
 */

export type ShellFlavor = 'ash' | 'dash' | 'bash';

const LOOP_US = 10;
const FORK_EXEC_US = 500;
const ASSIGN_US = 2;
/** ash copies expansions through its stack-string allocator: roughly 256 MB/s. */
const COPY_BYTES_PER_US = 256;
/** Resident set of a shell before it stores anything: a busybox or dash process, about 1 MiB. */
const SHELL_BASE_BYTES = 1024 * 1024;

export interface Streams {
  stdout: Sink;
  stderr: Sink;
}

interface Job {
  comm: string;
  gen: ProgramRun;
  untilMs: number | undefined;
}

export type Gen<T = void> = Generator<Block, T, Wake>;

export class Shell implements Scope {
  status = 0;
  vars = new Map<string, Value>();
  exported = new Set<string>();
  traps = new Map<number, string>();
  exitTrap: string | undefined;
  pending: number[] = [];
  params: string[];
  jobs: Job[] = [];
  fg: string | undefined;
  private parsedTraps = new Map<string, Node>();

  constructor(
    readonly ctx: Ctx,
    readonly flavor: ShellFlavor,
    readonly arg0: string,
    params: string[],
    readonly resolve: Resolve,
  ) {
    this.params = params;
    for (const entry of ctx.env.env) {
      const eq = entry.indexOf('=');
      if (eq <= 0) continue;
      this.vars.set(entry.slice(0, eq), entry.slice(eq + 1));
      this.exported.add(entry.slice(0, eq));
    }
  }

  get(name: string): Value | undefined {
    if (name === '?') return String(this.status);
    if (name === '#') return String(this.params.length);
    if (name === '0') return this.arg0;
    if (/^[1-9]$/.test(name)) return this.params[Number(name) - 1];
    if (name === '$') {
      // The shell's own PID is only known when it is the container's init.
      if (this.ctx.env.isPid1) return '1';
      throw new Unsupported('$$ outside PID 1');
    }
    if (name === '!') throw new Unsupported('$!');
    return this.vars.get(name);
  }

  positional(): string[] {
    return this.params;
  }

  memoryInUse(): number {
    let n = SHELL_BASE_BYTES;
    for (const v of this.vars.values()) n += valueLength(v);
    return n;
  }

  *main(root: Node): ProgramRun {
    let code: number;
    try {
      yield* this.evalNode(root, true);
      code = this.status;
    } catch (e) {
      if (e instanceof ExitShell) code = e.code;
      // Past what we model (or `break` outside a loop): stop modelling rather than guess.
      else if (e instanceof Unsupported || e instanceof LoopControl)
        return yield* this.ctx.exec(unmodeled(baseName(this.ctx.env.argv[0] ?? 'sh')));
      else throw e;
    }
    return yield* this.atExit(code);
  }

  private *atExit(code: number): Gen<number> {
    const action = this.exitTrap;
    if (action === undefined || action === '') return code;
    this.exitTrap = undefined;
    this.status = code;
    try {
      yield* this.evalNode(this.parseTrap(action), false);
    } catch (e) {
      if (e instanceof ExitShell) return e.code;
      throw e;
    }
    return code;
  }

  *evalNode(node: Node, last: boolean): Gen {
    switch (node.t) {
      case 'simple':
        yield* this.evalSimple(node, last);
        return yield* this.runTraps();
      case 'and':
      case 'or':
        yield* this.evalNode(node.a, false);
        if ((this.status === 0) === (node.t === 'and')) yield* this.evalNode(node.b, last);
        return;
      case 'not':
        yield* this.evalNode(node.a, false);
        this.status = this.status === 0 ? 1 : 0;
        return;
      case 'seq':
        for (const [i, item] of node.items.entries()) {
          if (item.bg) yield* this.background(item.node);
          else yield* this.evalNode(item.node, last && i === node.items.length - 1);
        }
        return;
      case 'group':
        return yield* this.evalNode(node.body, last);
      case 'if':
        for (const b of node.branches) {
          yield* this.evalNode(b.cond, false);
          if (this.status === 0) return yield* this.evalNode(b.body, last);
        }
        if (node.otherwise) return yield* this.evalNode(node.otherwise, last);
        this.status = 0;
        return;
      default:
        return yield* this.loop(node);
    }
  }

  private *loop(node: Extract<Node, { t: 'while' | 'until' | 'for' }>): Gen {
    let status = 0;
    const items =
      node.t === 'for'
        ? node.items
          ? node.items.flatMap((w) => expandFields(w, this))
          : [...this.params]
        : [];
    for (let i = 0; ; i++) {
      yield { kind: 'cpu', us: LOOP_US };
      yield* this.runTraps();
      if (node.t === 'for') {
        const item = items[i];
        if (item === undefined) break;
        this.vars.set(node.name, item);
      } else {
        yield* this.evalNode(node.cond, false);
        if ((this.status === 0) !== (node.t === 'while')) break;
      }
      try {
        yield* this.evalNode(node.body, false);
        status = this.status;
      } catch (e) {
        if (!(e instanceof LoopControl)) throw e;
        status = 0;
        if (--e.levels > 0) throw e;
        if (e.kind === 'break') break;
      }
    }
    this.status = status;
  }

  /** Run the actions of trapped signals that arrived, in order; $? is kept around them. */
  *runTraps(): Gen {
    while (this.pending.length > 0) {
      const sig = this.pending.shift() as number;
      const action = this.traps.get(sig);
      if (action === undefined || action === '') continue;
      const saved = this.status;
      yield* this.evalNode(this.parseTrap(action), false);
      this.status = saved;
    }
  }

  private parseTrap(action: string): Node {
    let node = this.parsedTraps.get(action);
    if (!node) {
      node = parseScript(action);
      this.parsedTraps.set(action, node);
    }
    return node;
  }

  private *evalSimple(node: Extract<Node, { t: 'simple' }>, last: boolean): Gen {
    const argv = node.words.flatMap((w) => expandFields(w, this)).map(text);
    const streams = redirect({ stdout: 'stdout', stderr: 'stderr' }, node.redirs);
    if (argv.length === 0) {
      for (const a of node.assigns) yield* this.assign(a.name, expandValue(a.value, this));
      this.status = 0;
      return;
    }
    const name = argv[0] ?? '';
    if (isBuiltin(name)) {
      for (const a of node.assigns) yield* this.assign(a.name, expandValue(a.value, this));
      this.status = yield* runBuiltin(this, argv, streams);
      return;
    }
    const extra = node.assigns.map((a) => `${a.name}=${text(expandValue(a.value, this))}`);
    yield* this.external(
      argv,
      extra,
      streams,
      last && this.traps.size === 0 && this.exitTrap === undefined,
      node.line,
    );
  }

  *assign(name: string, value: Value): Gen {
    const size = valueLength(value);
    yield { kind: 'cpu', us: ASSIGN_US + Math.ceil(size / COPY_BYTES_PER_US) };
    // While the new value is built the old one is still allocated: both count.
    if (!this.ctx.useMemory(this.memoryInUse() + size)) yield { kind: 'pause' };
    this.vars.set(name, value);
  }

  write(streams: Streams, stream: 'stdout' | 'stderr', s: string): void {
    const sink = streams[stream];
    if (typeof sink === 'object') this.ctx.writeFile(sink.file, s, sink.append);
    else if (sink !== 'null') this.ctx.write(sink, s);
  }

  childEnv(extra: readonly string[]): string[] {
    const env: string[] = [];
    for (const name of this.exported) {
      const v = this.vars.get(name);
      if (v !== undefined) env.push(`${name}=${text(v)}`);
    }
    return [...env.filter((e) => !extra.some((x) => x.split('=')[0] === e.split('=')[0])), ...extra];
  }

  /** fork + exec + wait, or exec alone for the last command (ash's EV_EXIT). */
  *external(argv: string[], extra: string[], streams: Streams, execInPlace: boolean, line: number): Gen {
    const env = this.childEnv(extra);
    const found = this.resolve(argv, env);
    if (!found.ok) {
      this.write(streams, 'stderr', this.notFound(argv[0] ?? '', found.code, line));
      this.status = found.code;
      return;
    }
    const childCtx = this.childCtx(streams, env, execInPlace);
    if (execInPlace) throw new ExitShell(yield* this.ctx.exec(found.program, childCtx));
    yield { kind: 'cpu', us: FORK_EXEC_US };
    this.fg = found.program.comm;
    this.publishChildren();
    this.status = yield* foreground(found.program.run(childCtx));
    this.fg = undefined;
    this.publishChildren();
  }

  /** A child's view: its own stdio (after redirections) and environment; it is not PID 1. */
  childCtx(streams: Streams, env: string[], inPlace: boolean): Ctx {
    const parent = this.ctx;
    const childEnv: ProcessEnv = { ...parent.env, env, isPid1: inPlace && parent.env.isPid1 };
    const ctx: Ctx = {
      env: childEnv,
      now: () => parent.now(),
      write: (stream, s) => this.write(streams, stream, s),
      writeFile: (path, s, append) => parent.writeFile(path, s, append),
      query: (name) => parent.query(name),
      setHandler: inPlace ? parent.setHandler : () => undefined,
      handlerOf: inPlace ? parent.handlerOf : () => 'default',
      exec: (program, next) => {
        if (inPlace) return parent.exec(program, next ?? ctx);
        this.fg = program.comm;
        this.publishChildren();
        return program.run(next ?? ctx);
      },
      setChildren: inPlace ? parent.setChildren : () => undefined,
      // One memory cgroup for the container: a child's use adds to the shell's.
      useMemory: inPlace ? parent.useMemory : (bytes) => parent.useMemory(this.memoryInUse() + bytes),
    };
    return ctx;
  }

  publishChildren(): void {
    const now = this.ctx.now();
    this.jobs = this.jobs.filter((j) => j.untilMs === undefined || j.untilMs > now || !finish(j));
    const comms = this.jobs.map((j) => j.comm);
    this.ctx.setChildren(this.fg ? [this.fg, ...comms] : comms);
  }

  private notFound(name: string, code: 126 | 127, line: number): string {
    const slash = name.includes('/');
    if (this.flavor === 'bash') {
      const why =
        code === 127 ? (slash ? 'No such file or directory' : 'command not found') : 'Permission denied';
      return `${this.arg0}: line ${line}: ${name}: ${why}\n`;
    }
    const why = code === 127 ? 'not found' : 'Permission denied';
    return this.flavor === 'dash'
      ? `${this.arg0}: ${line}: ${name}: ${why}\n`
      : `${this.arg0}: ${name}: ${why}\n`;
  }

  /** `cmd &`: only children that just sleep or block are followed (sleep N &, sleep infinity &). */
  private *background(node: Node): Gen {
    if (node.t !== 'simple' || node.words.length === 0) throw new Unsupported('background compound command');
    const argv = node.words.flatMap((w) => expandFields(w, this)).map(text);
    if (isBuiltin(argv[0] ?? '')) throw new Unsupported('background builtin');
    const env = this.childEnv([]);
    const found = this.resolve(argv, env);
    yield { kind: 'cpu', us: FORK_EXEC_US };
    if (!found.ok) {
      this.write(
        { stdout: 'stdout', stderr: 'stderr' },
        'stderr',
        this.notFound(argv[0] ?? '', found.code, node.line),
      );
      return;
    }
    const job: Job = {
      comm: found.program.comm,
      gen: found.program.run(
        this.childCtx(redirect({ stdout: 'stdout', stderr: 'stderr' }, node.redirs), env, false),
      ),
      untilMs: undefined,
    };
    if (step(job, 'done')) this.jobs.push(job);
    this.status = 0;
    this.publishChildren();
  }
}

/** Advance a background job; false when it has finished. */
function step(job: Job, wake: Wake): boolean {
  const r = job.gen.next(wake);
  if (r.done) return false;
  if (r.value.kind === 'cpu') throw new Unsupported('a busy background job');
  job.untilMs = r.value.kind === 'sleep' ? r.value.untilMs : undefined;
  return true;
}

/** True when a job whose time has come has now ended. */
function finish(job: Job): boolean {
  return !step(job, 'done');
}

/** Waiting for a foreground child: the shell's signals never interrupt it (XCU 2.11). */
function* foreground(gen: ProgramRun): Gen<number> {
  for (let r = gen.next('done'); ; r = gen.next('done')) {
    if (r.done) return r.value;
    yield { ...r.value, interruptible: false } as Block;
  }
}

export function redirect(base: Streams, redirs: readonly Redir[]): Streams {
  const s = { ...base };
  for (const r of redirs) {
    const target = r.to === 'null' || typeof r.to === 'object' ? r.to : s[r.to];
    if (r.fd === 1) s.stdout = target;
    else s.stderr = target;
  }
  return s;
}

/**
 * The shell as a program. `sh` with no operand reads commands from stdin, which `docker run`
 * without -i makes /dev/null: it reads EOF at once and exits 0 (the classic "my busybox container
 * exits immediately"). Script files, options other than -c, and syntax we do not model give an
 * unmodelled process.
 */
export function shellProgram(argv: readonly string[], flavor: ShellFlavor, resolve: Resolve): Program {
  const comm = baseName(argv[0] ?? 'sh');
  const arg0 = argv[0] ?? 'sh';
  if (argv.length === 1) return finished(comm, () => 0);
  if (argv[1] !== '-c' || argv[2] === undefined) return unmodeled(comm);
  let root: Node;
  try {
    root = parseScript(argv[2]);
  } catch (e) {
    if (e instanceof Unsupported) return unmodeled(comm);
    throw e;
  }
  const name = argv[3] ?? arg0;
  const params = argv.slice(4);
  return { comm, modeled: true, run: (ctx) => new Shell(ctx, flavor, name, params, resolve).main(root) };
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export { concat };

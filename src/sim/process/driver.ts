import { utf8Encode } from '../../model/digest.ts';
import type { ProcessEffect, ProcessEnv, SimProcess } from './types.ts';
import { defaultAction, SIGCONT, SIGKILL, SIGSTOP } from './signals.ts';

/**
 * The scheduler and signal delivery shared by every modelled program.
 *
 * A program is a generator: it runs instantly (in virtual time) until it yields a Block that
 * says how long it is busy (`cpu`), until when it sleeps (`sleep`, nanosleep or waitpid on a
 * child), or that it waits for a signal (`pause`, as pause(2), sigsuspend or epoll_wait). Its
 * return value is its exit status. The driver keeps the process's own clock in integer
 * microseconds, so steps shorter than a millisecond stay exact and deterministic.
 *
 * Signals follow the kernel (man 7 signal, man 2 kill, man 7 pid_namespaces): a caught signal
 * runs the program's handler and interrupts a blocking call that the program marked
 * interruptible (EINTR); an ignored one is dropped; a default one takes the default action,
 * except that PID 1 of a PID namespace never gets a default action other than for SIGKILL and
 * SIGSTOP, which its ancestors (runc, here) can always force: "the only signals that can be sent
 * to the namespace init process are those for which the init process has established a signal
 * handler" (pid_namespaces(7); kernel/signal.c, sig_task_ignored and SIGNAL_UNKILLABLE).
 */

export type Block =
  | { kind: 'cpu'; us: number }
  | { kind: 'sleep'; untilMs: number; interruptible?: boolean }
  | { kind: 'pause'; interruptible?: boolean };
/** What `yield` returns: the block ran its course, or a caught signal interrupted it (EINTR). */
export type Wake = 'done' | 'interrupted';
export type ProgramRun = Generator<Block, number, Wake>;
export type Handler = 'default' | 'ignore' | ((sig: number) => void);

export interface Ctx {
  readonly env: ProcessEnv;
  /** The process's own virtual time, in whole milliseconds. */
  now(): number;
  write(stream: 'stdout' | 'stderr', text: string): void;
  /** Bytes written to a file in the container's root file system (a shell's `> /path`). */
  writeFile(path: string, text: string, append: boolean): void;
  /** Ask the resolver's nameserver for `name` (a UDP query on the wire); the address, if any. */
  query(name: string): string | undefined;
  setHandler(sig: number, handler: Handler): void;
  handlerOf(sig: number): Handler;
  /**
   * execve(2): caught signals go back to default, ignored ones stay ignored, comm changes. The
   * new program runs with `ctx` (its environment and stdio) or, by default, this one.
   */
  exec(program: Program, ctx?: Ctx): ProgramRun;
  setChildren(comms: string[]): void;
  /** Report the process's memory use; false when that got it OOM-killed (return at once). */
  useMemory(bytes: number): boolean;
}

/** How a program finds and loads another one (a shell's child, an entrypoint's `exec "$@"`). */
export type Resolve = (
  argv: readonly string[],
  env: readonly string[],
) => { ok: true; program: Program } | { ok: false; code: 126 | 127; message: string };

export interface Program {
  comm: string;
  modeled: boolean;
  run(ctx: Ctx): ProgramRun;
}

/**
 * Output sampling. A CPU-bound loop (`yes`, `while true; do echo hi; done`) writes millions of
 * lines per second on a real machine. After BURST_STEPS steps or BURST_WRITES writes without
 * blocking, the driver stops itemising: the process keeps running, but the next SAMPLE_MS of its
 * work are not reported line by line, so a run stays small. Output of such loops is sampled.
 */
const BURST_STEPS = 1000;
const BURST_WRITES = 20;
const SAMPLE_MS = 100;
/**
 * Without a cgroup limit a growing process is stopped only by the host's memory: the simulated
 * host has 16 GiB, and the global OOM killer picks the biggest process at that point.
 */
export const HOST_MEMORY_BYTES = 16 * 1024 ** 3;

interface Wait {
  untilUs?: number;
  interruptible: boolean;
}

export class Driver implements SimProcess {
  comm: string;
  modeled: boolean;
  exited = false;
  private localUs: number;
  private gen: ProgramRun | undefined;
  private wait: Wait | undefined;
  private resume: Wake = 'done';
  private stepsSinceBlock = 0;
  private writesSinceBlock = 0;
  private stopped = false;
  private out: ProcessEffect[] = [];
  private handlers = new Map<number, Handler>();
  private kids: string[] = [];
  /** Memory the program last reported, and what it allocated on a lesson's cue on top of it. */
  private reported = 0;
  private extra = 0;
  private readonly ctx: Ctx;

  constructor(
    private readonly env: ProcessEnv,
    private readonly program: Program,
  ) {
    this.comm = program.comm;
    this.modeled = program.modeled;
    this.localUs = env.startMs * 1000;
    for (const sig of env.ignoredSignals ?? []) this.handlers.set(sig, 'ignore');
    this.ctx = this.makeCtx();
  }

  start(): ProcessEffect[] {
    if (this.gen) return [];
    this.gen = this.program.run(this.ctx);
    this.pump(this.env.startMs);
    return this.flush();
  }

  nextWakeMs(): number | undefined {
    if (this.exited || this.stopped || !this.gen) return undefined;
    if (!this.wait) return this.nowMs();
    return this.wait.untilUs === undefined ? undefined : Math.floor(this.wait.untilUs / 1000);
  }

  advance(nowMs: number): ProcessEffect[] {
    this.pump(nowMs);
    return this.flush();
  }

  signal(sig: number, nowMs: number): ProcessEffect[] {
    this.pump(nowMs);
    if (this.exited || !this.gen) return this.flush();
    this.localUs = Math.max(this.localUs, nowMs * 1000);
    this.deliver(sig);
    this.pump(nowMs);
    return this.flush();
  }

  allocate(bytes: number, nowMs: number): ProcessEffect[] {
    this.pump(nowMs);
    if (this.exited || !this.gen) return this.flush();
    this.localUs = Math.max(this.localUs, nowMs * 1000);
    this.extra += bytes;
    this.useMemory(this.reported);
    this.pump(nowMs);
    return this.flush();
  }

  children(): { comm: string }[] {
    return this.exited ? [] : this.kids.map((comm) => ({ comm }));
  }

  private deliver(sig: number): void {
    // SIGKILL and SIGSTOP cannot be caught; from runc (an ancestor namespace) they reach PID 1 too.
    if (sig === SIGKILL) return this.die(SIGKILL);
    if (sig === SIGSTOP) {
      this.stopped = true;
      return;
    }
    // SIGCONT resumes a stopped process whatever its disposition (kernel/signal.c prepare_signal).
    if (sig === SIGCONT) this.stopped = false;
    const handler = this.handlers.get(sig) ?? 'default';
    if (typeof handler === 'function') {
      handler(sig);
      if (this.wait?.interruptible && !this.exited) {
        this.wait = undefined;
        this.resume = 'interrupted';
      }
      return;
    }
    if (handler === 'ignore') return;
    const action = defaultAction(sig);
    if (action === 'ignore' || action === 'cont') return;
    // pid_namespaces(7): a default disposition is never applied to the namespace's init.
    if (this.env.isPid1) return;
    if (action === 'stop') this.stopped = true;
    else this.die(sig);
  }

  private pump(nowMs: number): void {
    if (!this.gen) return;
    const gen = this.gen;
    while (!this.exited && !this.stopped) {
      if (this.wait) {
        const until = this.wait.untilUs;
        if (until === undefined || Math.floor(until / 1000) > nowMs) return;
        this.localUs = Math.max(this.localUs, until);
        this.wait = undefined;
        this.resume = 'done';
      }
      if (this.stepsSinceBlock >= BURST_STEPS || this.writesSinceBlock >= BURST_WRITES) {
        this.stepsSinceBlock = 0;
        this.writesSinceBlock = 0;
        const fromUs = Math.max(this.localUs, nowMs * 1000);
        this.wait = { untilUs: fromUs + SAMPLE_MS * 1000, interruptible: false };
        continue;
      }
      const step = gen.next(this.resume);
      this.resume = 'done';
      this.stepsSinceBlock++;
      if (this.exited) return;
      if (step.done) return this.exit(step.value);
      this.block(step.value);
    }
  }

  private block(b: Block): void {
    if (b.kind === 'cpu') {
      this.wait = { untilUs: this.localUs + b.us, interruptible: false };
      return;
    }
    this.stepsSinceBlock = 0;
    this.writesSinceBlock = 0;
    const untilUs = b.kind === 'sleep' ? Math.max(this.localUs, b.untilMs * 1000) : undefined;
    this.wait = { interruptible: b.interruptible ?? false };
    if (untilUs !== undefined) this.wait.untilUs = untilUs;
  }

  private nowMs(): number {
    return Math.floor(this.localUs / 1000);
  }

  private exit(code: number): void {
    if (this.exited) return;
    this.exited = true;
    this.wait = undefined;
    this.kids = [];
    this.out.push({ type: 'exit', code, atMs: this.nowMs() });
  }

  private die(sig: number): void {
    if (this.exited) return;
    this.exited = true;
    this.wait = undefined;
    this.kids = [];
    this.out.push({ type: 'exit', code: 128 + sig, signal: sig, atMs: this.nowMs() });
  }

  private flush(): ProcessEffect[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private makeCtx(): Ctx {
    return {
      env: this.env,
      now: () => this.nowMs(),
      write: (stream, text) => {
        if (this.exited || text === '') return;
        this.writesSinceBlock++;
        this.out.push({ type: 'write', stream, text, atMs: this.nowMs() });
      },
      writeFile: (path, text, append) => {
        if (this.exited) return;
        this.writesSinceBlock++;
        this.out.push({ type: 'file', path, bytes: utf8Encode(text).length, append, atMs: this.nowMs() });
      },
      query: (name) => {
        const dns = this.env.dns;
        if (!dns || this.exited) return undefined;
        const answer = dns.resolve(name);
        this.out.push({
          type: 'dns',
          name,
          server: dns.nameserver,
          embedded: dns.embedded,
          ...(answer === undefined ? {} : { answer }),
          atMs: this.nowMs(),
        });
        return answer;
      },
      setHandler: (sig, handler) => {
        if (this.env.ignoredSignals?.includes(sig)) return;
        this.handlers.set(sig, handler);
      },
      handlerOf: (sig) => this.handlers.get(sig) ?? 'default',
      exec: (program, ctx) => {
        for (const [sig, h] of this.handlers) if (typeof h === 'function') this.handlers.delete(sig);
        this.comm = program.comm;
        this.modeled = program.modeled;
        this.kids = [];
        return program.run(ctx ?? this.ctx);
      },
      setChildren: (comms) => {
        this.kids = [...comms];
      },
      useMemory: (bytes) => this.useMemory(bytes),
    };
  }

  /** The memory cgroup's limit, or the host's memory: past it the OOM killer sends SIGKILL. */
  private useMemory(bytes: number): boolean {
    const limit = this.env.memoryLimitBytes ?? HOST_MEMORY_BYTES;
    this.reported = bytes;
    if (bytes + this.extra <= limit) return true;
    this.out.push({ type: 'oom', atMs: this.nowMs() });
    this.die(SIGKILL);
    return false;
  }
}

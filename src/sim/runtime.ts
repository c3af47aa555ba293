import type { OciSpec } from '../model/oci.ts';
import type { ClockPort } from '../ports/clock.ts';
import type { OciRuntime, ProcessEvent, ProcessInfo, RuntimeResult } from '../ports/runtime.ts';
import { spawnProcess } from './process/index.ts';
import { SIGKILL } from './process/signals.ts';
import type { ProcessEffect, SimProcess } from './process/index.ts';
import type { DnsView } from './process/types.ts';

/**
 * The simulated OCI runtime: runc's effects on a simulated kernel. Namespaces and cgroups are
 * bookkeeping here; processes are the deterministic process model (`src/sim/process`), driven
 * in virtual time. Effects of a process (output, OOM, exit) reach the subscriber one virtual
 * millisecond later, as a real pipe or SIGCHLD would reach the shim after the fact.
 */
/**
 * The OOM killer picks its victim and signals memory.oom_control's eventfd at once; the victim
 * still has to take its SIGKILL, free its memory and be reaped before the shim sees the exit.
 * The recorded engine (cgroup v1) showed /tasks/oom about 20 ms before /tasks/exit.
 * https://docs.kernel.org/admin-guide/cgroup-v1/memory.html (memory.oom_control)
 */
const OOM_REAP_MS = 20;
/**
 * An init that dies with other processes in its PID namespace is reaped only after the kernel
 * has killed and reaped them (zap_pid_ns_processes): the recorded engine published the exec's
 * /tasks/exit about 4 ms before the init's.
 */
const PID_NS_TEARDOWN_MS = 4;

export interface SimImageInfo {
  name: string;
  executables: readonly string[];
}

interface SimProc {
  pid: number;
  /** The PID inside the container's PID namespace (init is 1) and the command line. */
  nsPid: number;
  args: string;
  execId?: string;
  process: SimProcess;
  timer?: number;
}

interface SimContainer {
  id: string;
  spec: OciSpec;
  state: 'created' | 'running' | 'paused' | 'stopped';
  init: SimProc;
  execs: SimProc[];
  /** Started by `runc run`: runc, not a shim, is the parent that holds stdio and reaps. */
  foreground?: boolean;
  /** The last PID handed out in the container's PID namespace. */
  lastNsPid: number;
}

export class SimRuntime implements OciRuntime {
  private containers = new Map<string, SimContainer>();
  private listener: ((event: ProcessEvent) => void) | undefined;
  private images = new Map<string, string>();

  constructor(
    private readonly clock: ClockPort,
    private readonly nextPid: () => number,
    private readonly imageOf: (reference: string) => SimImageInfo,
    /** Signals the programs of an image ignore (a lesson's process fault), by catalogue name. */
    private readonly ignoredSignalsOf: (image: string) => readonly number[] = () => [],
    /** A container's resolver (its network's DNS), by container id. */
    private readonly dnsOf: (containerId: string) => DnsView | undefined = () => undefined,
  ) {}

  subscribe(listener: (event: ProcessEvent) => void): void {
    this.listener = listener;
  }

  create(id: string, _bundle: string, spec: OciSpec): RuntimeResult {
    if (this.containers.has(id)) return { ok: false, error: `container with id exists: ${id}` };
    // Docker names the image in org.opencontainers.image.ref.name (a built image: its base in
    // …image.base.name); containerd's CRI plugin in io.kubernetes.cri.image-name (a container)
    // or …podsandbox.image-name (a pod's pause).
    const a = spec.annotations ?? {};
    this.images.set(
      id,
      a['org.opencontainers.image.base.name'] ??
        a['org.opencontainers.image.ref.name'] ??
        a['io.kubernetes.cri.image-name'] ??
        a['io.kubernetes.cri.podsandbox.image-name'] ??
        '',
    );
    const spawned = this.spawn(id, spec.process, true, spec.linux.resources.memory?.limit);
    if (!spawned.ok) return spawned;
    const init: SimProc = {
      pid: this.nextPid(),
      nsPid: 1,
      args: spec.process.args.join(' '),
      process: spawned.process,
    };
    this.containers.set(id, { id, spec, state: 'created', init, execs: [], lastNsPid: 1 });
    return { ok: true, pid: init.pid };
  }

  start(id: string): RuntimeResult {
    const c = this.containers.get(id);
    if (!c) return { ok: false, error: `container does not exist` };
    if (c.state !== 'created') return { ok: false, error: `cannot start a container that has stopped` };
    c.state = 'running';
    this.apply(c, c.init, c.init.process.start());
    return { ok: true, pid: c.init.pid };
  }

  run(id: string, bundle: string, spec: OciSpec): RuntimeResult {
    const created = this.create(id, bundle, spec);
    if (!created.ok) return created;
    const c = this.containers.get(id);
    if (c) c.foreground = true;
    return this.start(id);
  }

  kill(id: string, signal: number): RuntimeResult {
    const c = this.containers.get(id);
    if (!c || c.state === 'stopped') return { ok: false, error: 'container not running' };
    if (c.state === 'created') {
      // Before start, init is still `runc init` waiting on exec.fifo: SIGKILL ends it and the
      // container is stopped for good (runc state: stopped); other signals it does not act on.
      if (signal === SIGKILL) {
        const effect = { type: 'exit' as const, code: 0, signal: SIGKILL, atMs: this.clock.now() };
        this.clock.setTimeout(() => this.emitExit(c, c.init, effect), 1);
      }
      return { ok: true };
    }
    this.apply(c, c.init, c.init.process.signal(signal, this.clock.now()));
    return { ok: true };
  }

  allocate(id: string, bytes: number): RuntimeResult {
    const c = this.containers.get(id);
    if (!c || c.state !== 'running') return { ok: false, error: 'container not running' };
    this.apply(c, c.init, c.init.process.allocate(bytes, this.clock.now()));
    return { ok: true };
  }

  pause(id: string): RuntimeResult {
    const c = this.containers.get(id);
    if (!c || c.state !== 'running') return { ok: false, error: 'container not running' };
    c.state = 'paused';
    for (const p of [c.init, ...c.execs]) this.cancel(p);
    return { ok: true };
  }

  resume(id: string): RuntimeResult {
    const c = this.containers.get(id);
    if (!c || c.state !== 'paused') return { ok: false, error: 'container not paused' };
    c.state = 'running';
    for (const p of [c.init, ...c.execs]) this.schedule(c, p);
    return { ok: true };
  }

  update(id: string): RuntimeResult {
    const c = this.containers.get(id);
    if (!c || (c.state !== 'running' && c.state !== 'paused'))
      return { ok: false, error: 'container not running' };
    return { ok: true };
  }

  exec(id: string, execId: string, process: OciSpec['process']): RuntimeResult {
    const c = this.containers.get(id);
    if (!c || c.state !== 'running') return { ok: false, error: 'cannot exec in a stopped container' };
    // The exec's PID in the namespace comes after init's children (pid_namespaces(7)).
    const nsPid = Math.max(c.lastNsPid, 1 + c.init.process.children().length) + 1;
    const spawned = this.spawn(id, process, false, c.spec.linux.resources.memory?.limit, () =>
      this.nsProcesses(c, nsPid, process.args.join(' ')),
    );
    if (!spawned.ok) return spawned;
    c.lastNsPid = nsPid;
    const proc: SimProc = {
      pid: this.nextPid(),
      nsPid,
      args: process.args.join(' '),
      execId,
      process: spawned.process,
    };
    c.execs.push(proc);
    this.apply(c, proc, proc.process.start());
    return { ok: true, pid: proc.pid };
  }

  delete(id: string): RuntimeResult {
    const c = this.containers.get(id);
    if (!c) return { ok: false, error: 'container does not exist' };
    // `runc delete` without --force refuses a container whose init still runs (runc delete.go).
    if (c.state === 'running' || c.state === 'paused')
      return { ok: false, error: `cannot delete container ${id} that is not stopped: ${c.state}` };
    for (const p of [c.init, ...c.execs]) this.cancel(p);
    this.containers.delete(id);
    return { ok: true };
  }

  processes(): ProcessInfo[] {
    const out: ProcessInfo[] = [];
    for (const c of this.containers.values()) {
      for (const p of [c.init, ...c.execs]) {
        if (p.process.exited) continue;
        const state = c.state === 'stopped' ? 'stopped' : c.state;
        const info: ProcessInfo = {
          pid: p.pid,
          // Until runc start, init is runc's own process, blocked on exec.fifo.
          comm: c.state === 'created' && !p.execId ? 'runc:[2:INIT]' : p.process.comm,
          containerId: c.id,
          state,
          children: p.process.children().map((child, i) => ({ comm: child.comm, pid: p.pid + i + 1 })),
          modeled: p.process.modeled,
        };
        if (p.execId) info.execId = p.execId;
        out.push(info);
      }
    }
    return out;
  }

  /** What `ps` in the container sees: init, its children, the live execs and the asking one. */
  private nsProcesses(c: SimContainer, self: number, args: string): { pid: number; args: string }[] {
    const children = c.init.process.children().map((child, i) => ({ pid: 2 + i, args: child.comm }));
    const execs = c.execs.filter((p) => !p.process.exited).map((p) => ({ pid: p.nsPid, args: p.args }));
    const all = [{ pid: 1, args: c.init.args }, ...children, ...execs];
    return all.some((p) => p.pid === self) ? all : [...all, { pid: self, args }];
  }

  private spawn(
    id: string,
    process: OciSpec['process'],
    isPid1: boolean,
    memoryLimitBytes?: number,
    processes?: () => readonly { pid: number; args: string }[],
  ) {
    const image = this.imageOf(this.images.get(id) ?? '');
    const dns = this.dnsOf(id);
    const result = spawnProcess({
      ...(dns ? { dns } : {}),
      argv: process.args,
      env: process.env,
      image: image.name,
      executables: image.executables,
      isPid1,
      startMs: this.clock.now(),
      cwd: process.cwd,
      ...(processes === undefined ? {} : { processes }),
      // The engine dockstep checks itself against runs Debian 12's runc 1.1.5, built with go1.19.
      runcDirectoryError: 'permission denied',
      ignoredSignals: this.ignoredSignalsOf(image.name),
      ...(memoryLimitBytes === undefined ? {} : { memoryLimitBytes }),
    });
    if (result.ok) return result;
    // runc's own wording: `runc create failed: …` for a container, `exec failed: …` for an exec.
    return {
      ok: false as const,
      error: `${isPid1 ? 'runc create failed' : 'exec failed'}: unable to start container process: ${result.message}`,
      exitCode: result.code,
    };
  }

  private apply(c: SimContainer, p: SimProc, effects: ProcessEffect[]): void {
    let oomKilled = false;
    for (const effect of effects) {
      if (effect.type === 'oom') oomKilled = true;
      this.deferEmit(c, p, effect, effect.type === 'exit' && oomKilled ? OOM_REAP_MS : 0);
    }
    this.schedule(c, p);
  }

  /** Effects reach the shim one virtual millisecond after they happen (pipe, SIGCHLD). */
  private deferEmit(c: SimContainer, p: SimProc, effect: ProcessEffect, extraMs = 0): void {
    const delay = Math.max(1, effect.atMs - this.clock.now()) + extraMs;
    this.clock.setTimeout(() => this.emit(c, p, effect), delay);
  }

  private emit(c: SimContainer, p: SimProc, effect: ProcessEffect): void {
    const base = {
      containerId: c.id,
      ...(p.execId ? { execId: p.execId } : {}),
      ...(c.foreground ? { foreground: true } : {}),
    };
    if (effect.type === 'write') {
      this.listener?.({ type: 'output', ...base, stream: effect.stream, text: effect.text });
    } else if (effect.type === 'file') {
      this.listener?.({
        type: 'file',
        ...base,
        path: effect.path,
        bytes: effect.bytes,
        append: effect.append,
      });
    } else if (effect.type === 'oom') {
      this.listener?.({ type: 'oom', containerId: c.id });
    } else if (effect.type === 'dns') {
      const { type, name, server, embedded, answer } = effect;
      this.listener?.({ type, ...base, name, server, embedded, ...(answer === undefined ? {} : { answer }) });
    } else {
      if (!p.execId && this.killExecs(c)) {
        this.cancel(p);
        this.clock.setTimeout(() => this.emitExit(c, p, effect), PID_NS_TEARDOWN_MS);
        return;
      }
      this.emitExit(c, p, effect);
    }
  }

  private emitExit(c: SimContainer, p: SimProc, effect: Extract<ProcessEffect, { type: 'exit' }>): void {
    const base = {
      containerId: c.id,
      ...(p.execId ? { execId: p.execId } : {}),
      ...(c.foreground ? { foreground: true } : {}),
    };
    const status = effect.signal === undefined ? effect.code : 128 + effect.signal;
    if (!p.execId) c.state = 'stopped';
    this.cancel(p);
    const exit: ProcessEvent = { type: 'exit', ...base, pid: p.pid, status };
    if (effect.signal !== undefined) exit.signal = effect.signal;
    this.listener?.(exit);
  }

  /**
   * When a PID namespace's init dies, the kernel SIGKILLs every other process in it and reaps
   * them before init's own exit is reported (zap_pid_ns_processes; man 7 pid_namespaces): a
   * running `docker exec` process exits 137 just before the container does.
   */
  private killExecs(c: SimContainer): boolean {
    let killed = false;
    for (const e of c.execs) {
      if (e.process.exited) continue;
      killed = true;
      this.cancel(e);
      e.process.signal(SIGKILL, this.clock.now());
      const exit: ProcessEvent = {
        type: 'exit',
        containerId: c.id,
        execId: e.execId ?? '',
        pid: e.pid,
        status: 128 + SIGKILL,
        signal: SIGKILL,
      };
      this.listener?.(exit);
    }
    return killed;
  }

  private schedule(c: SimContainer, p: SimProc): void {
    this.cancel(p);
    if (c.state !== 'running' || p.process.exited) return;
    const wake = p.process.nextWakeMs();
    if (wake === undefined) return;
    p.timer = this.clock.setTimeout(
      () => {
        delete p.timer;
        this.apply(c, p, p.process.advance(this.clock.now()));
      },
      Math.max(1, wake - this.clock.now()),
    );
  }

  private cancel(p: SimProc): void {
    if (p.timer !== undefined) this.clock.clearTimeout(p.timer);
    delete p.timer;
  }
}

import type { LinuxResources, OciSpec } from '../../model/oci.ts';
import type { OciRuntime, RuntimeResult } from '../../ports/runtime.ts';
import { settled } from '../effect.ts';

/**
 * runc's effect (see ../effect.ts): one invocation of the runc binary, and what it left behind.
 *
 * The simulation's effect asks the simulated runtime (src/sim/runtime.ts). Real mode provides
 * its own under the same name (engine/real/runtime.ts): there the real containerd-shim-runc-v2
 * runs runc itself, so the effect asks the shim for the task call that makes it run runc, and
 * brings back what was *observed*: the argv and exit status the runc recorder logged, and for a
 * new container the init's namespaces, cgroup and root mount read from /proc.
 *
 * Glossary: *init* — the container's first process, `runc init` until `runc start` releases it;
 * *fresh namespace* — one the init does not share with the host (runc unshared it).
 */
export type RuncOp =
  | 'runc.create'
  | 'runc.start'
  | 'runc.kill'
  | 'runc.pause'
  | 'runc.resume'
  | 'runc.update'
  | 'runc.exec'
  | 'runc.run'
  | 'runc.delete'
  | 'runc.ps';

export interface RuncPayload {
  id: string;
  /** containerd namespace (absent: Docker's `moby`). */
  namespace?: string;
  bundle?: string;
  spec?: OciSpec;
  signal?: number;
  execId?: string;
  process?: OciSpec['process'];
  /** An exec with its stdin attached (`docker exec -i`): the shim gets a stdin FIFO. */
  stdin?: boolean;
  /**
   * `runc update --resources -`: the OCI LinuxResources on runc's stdin (runtime-spec
   * config-linux.md; memory.swap is memory plus swap, -1 unlimited; pids.limit -1 unlimited).
   */
  resources?: LinuxResources;
}

export type RuncInput = RuncPayload & {
  op: RuncOp;
  requestId: number;
  /** The simulated runtime (real effects use the host's). */
  runtime: OciRuntime;
};

/** What the host showed of one runc invocation (real mode only). */
export interface RuncObserved {
  /** The argv runc ran with, as the recorder logged it. */
  argv: string[];
  exitStatus: number;
  /** The process the call was about (the init after create, the exec'd process). */
  pid?: number;
  /** `/proc/<pid>/ns/*`: each namespace's inode, and whether it differs from the host's. */
  namespaces?: { type: string; inode: number; fresh: boolean }[];
  /** The init's cgroup and the limits found in its files. */
  cgroup?: { path: string; limits: Record<string, string> };
  /** The init's root mount (`overlay … lowerdir=…`), from /proc/<pid>/mountinfo. */
  root?: string;
  /** `/proc/<pid>/cmdline` after start: the program the init exec'd. */
  cmdline?: string;
}

export interface RuncEvidence {
  result: RuntimeResult;
  observed?: RuncObserved;
  /** `runc ps`: the processes in the container's cgroup (an exec's with its id, a child with its parent). */
  pids?: PsEntry[];
}

export interface PsEntry {
  pid: number;
  execId?: string;
  /** A process the container's own processes started: its parent and its name. */
  parent?: number;
  comm?: string;
}

/** `runc ps --format json`: every pid in the container's cgroup.procs (ps.go). */
function ps(runtime: OciRuntime, id: string): RuncEvidence {
  const procs = runtime.processes().filter((p) => p.containerId === id && p.state !== 'stopped');
  if (procs.length === 0) return { result: { ok: false, error: 'container does not exist' } };
  const pids: PsEntry[] = procs.flatMap((p) => [
    { pid: p.pid, ...(p.execId !== undefined ? { execId: p.execId } : {}) },
    ...p.children.map((child) => ({ pid: child.pid, parent: p.pid, comm: child.comm })),
  ]);
  return { result: { ok: true }, pids };
}

function call(runtime: OciRuntime, p: RuncInput): RuntimeResult {
  switch (p.op) {
    case 'runc.create':
      return p.spec ? runtime.create(p.id, p.bundle ?? '', p.spec) : noSpec();
    case 'runc.run':
      return p.spec ? runtime.run(p.id, p.bundle ?? '', p.spec) : noSpec();
    case 'runc.start':
      return runtime.start(p.id);
    case 'runc.kill':
      return runtime.kill(p.id, p.signal ?? 15);
    case 'runc.pause':
      return runtime.pause(p.id);
    case 'runc.resume':
      return runtime.resume(p.id);
    case 'runc.update':
      return runtime.update?.(p.id) ?? { ok: true };
    case 'runc.exec':
      return p.process && p.execId
        ? runtime.exec(p.id, p.execId, p.process)
        : { ok: false, error: 'process.json: missing' };
    case 'runc.delete':
      return runtime.delete(p.id);
    case 'runc.ps':
      return runtime.processes().some((x) => x.containerId === p.id)
        ? { ok: true }
        : { ok: false, error: 'container does not exist' };
  }
}

const noSpec = (): RuntimeResult => ({ ok: false, error: 'config.json: no spec in bundle' });

export const simRuncEffects = {
  runcCall: settled((input: RuncInput): RuncEvidence =>
    input.op === 'runc.ps' ? ps(input.runtime, input.id) : { result: call(input.runtime, input) },
  ),
};

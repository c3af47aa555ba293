import type { JsonObject } from '../../model/json.ts';
import type { IdsPort } from '../../ports/clock.ts';
import { settled } from '../effect.ts';

/**
 * The shim layer's effects (see ../effect.ts): starting a containerd-shim-runc-v2 process and
 * shutting it down. The simulation's only draw the socket name and pid; real mode provides its
 * own under the same names (engine/real/runtime.ts): `start` runs the real binary in the bundle
 * containerd wrote and reads back its socket address, `shutdown` calls its Task/Shutdown.
 *
 * Glossary: *bundle* — the directory with config.json the shim runs in (containerd's
 * `io.containerd.runtime.v2.task/<namespace>/<id>`); *socket address* — where the shim serves ttrpc.
 */
export interface ShimStartInput {
  requestId: number;
  id: string;
  namespace: string;
  bundle?: string;
  /** The container's OCI spec, which the bundle's config.json holds. */
  spec?: JsonObject;
  /** The task keeps stdin open (`-i`): its Create gets a stdin FIFO. */
  stdin?: boolean;
  ids: IdsPort;
}

export interface ShimStartEvidence {
  /** `unix:///run/containerd/s/<sha256>`, as `start` printed it. */
  address: string;
  /** The long-lived shim's pid (a child of PID 1, not of containerd). */
  pid: number;
  /** The start command as it ran (real mode: the engine's own paths). */
  argv?: string[];
}

export interface ShimShutdownInput {
  requestId: number;
  id: string;
  namespace: string;
}

export const simShimEffects = {
  shimStart: settled(({ ids }: ShimStartInput): ShimStartEvidence => ({
    address: `unix:///run/containerd/s/${ids.hex(64)}`,
    pid: ids.pid(),
  })),
  shimShutdown: settled((_input: ShimShutdownInput): Record<string, never> => ({})),
};

/**
 * A task call the shim answers itself, without running runc (containerd-shim-runc-v2
 * runtime/v2/runc/task/service.go): an exec process's Delete (its stdio closed, its entry
 * dropped), ResizePty (the console's window size), CloseIO (the process's stdin closed), Pids
 * (the cgroup's processes) and Stats (the cgroup's metrics). The simulation's answer is what the
 * shim knows of its container; real mode asks the real shim (engine/real/shimCalls.ts).
 */
export type ShimCallOp = 'shim.Delete' | 'shim.ResizePty' | 'shim.CloseIO' | 'shim.Pids' | 'shim.Stats';

export interface ShimCallInput {
  op: ShimCallOp;
  id: string;
  namespace: string;
  execId?: string;
  width?: number;
  height?: number;
  /** The init's pid, as the shim knows it. */
  pid: number;
}

/** What the shim answered (the rpc's response, as JSON). */
export type ShimCallEvidence = JsonObject;

export const simShimCallEffects = {
  shimCall: settled(({ op, pid }: ShimCallInput): ShimCallEvidence => {
    if (op === 'shim.Pids') return { processes: pid > 0 ? [{ pid }] : [] };
    return {};
  }),
};

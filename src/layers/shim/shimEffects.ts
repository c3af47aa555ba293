import type { JsonObject } from '../../model/json.ts';
import type { IdsPort } from '../../ports/clock.ts';
import type { OciRuntime } from '../../ports/runtime.ts';
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

export interface ShimStatsInput {
  requestId: number;
  id: string;
  /** The simulated runtime, whose processes stand for the cgroup's (real mode reads the cgroup). */
  runtime: OciRuntime;
}

/**
 * What the shim read from the container's cgroup (Task/Stats: containerd's cgroups Metrics, v1 or
 * v2 as the host has them, in protobuf JSON with the proto's field names); dockerd makes
 * StatsJSON of it (src/layers/dockerd/ops/statsJson.ts).
 */
export interface ShimStatsEvidence {
  version: number;
  metrics: JsonObject;
}

/**
 * The memory each simulated process is charged: about what busybox's `sleep` used on the
 * recorded engine (308 to 588 KiB from run to run, u-top-update-stats.txt, u2-stats-stream.txt).
 * The process model keeps no resident sizes.
 */
const PROCESS_MEMORY = 332 * 1024;

/** containerd's restart finds a task's bundle: connect to the shim named in its `address` file. */
export interface ShimConnectInput {
  requestId: number;
  id: string;
  namespace: string;
  bundle: string;
}

export interface ShimConnectEvidence {
  address: string;
  /** The shim's pid and the container init's, as Connect answers them. */
  shimPid: number;
  pid: number;
  /** The task's status as State answers it, and its exit status once stopped. */
  status: 'created' | 'running' | 'paused' | 'stopped';
  exitStatus: number;
}

/** What `containerd-shim-runc-v2 … delete` of a dead shim answered (its DeleteResponse). */
export interface ShimCleanupEvidence {
  pid: number;
  exitStatus: number;
  argv?: string[];
}

export const simShimEffects = {
  // cgroup v2's figures (what containerd 2 and most hosts report): no CPU time, no limit files.
  shimStats: settled(({ runtime, id }: ShimStatsInput): ShimStatsEvidence => {
    const procs = runtime.processes().filter((p) => p.containerId === id && p.state !== 'stopped');
    const pids = procs.reduce((n, p) => n + 1 + p.children.length, 0);
    return {
      version: 2,
      metrics: {
        pids: { current: pids },
        cpu: { usage_usec: 0, user_usec: 0, system_usec: 0 },
        memory: { usage: pids * PROCESS_MEMORY, inactive_file: 0 },
      },
    };
  }),
  /** The simulation's containerd never restarts: no shim outlived it to connect to. */
  shimConnect: settled(({ bundle }: ShimConnectInput): ShimConnectEvidence => {
    throw new Error(`connect to the shim of ${bundle}: no address file`);
  }),
  shimCleanup: settled((_input: ShimConnectInput): ShimCleanupEvidence => ({ pid: 0, exitStatus: 137 })),
  shimStart: settled(({ ids }: ShimStartInput): ShimStartEvidence => ({
    address: `unix:///run/containerd/s/${ids.hex(64)}`,
    pid: ids.pid(),
  })),
  shimShutdown: settled((_input: ShimShutdownInput): Record<string, never> => ({})),
};

/**
 * A task call the shim answers itself, without running runc (containerd-shim-runc-v2
 * runtime/v2/runc/task/service.go): an exec process's Delete (its stdio closed, its entry
 * dropped), ResizePty (the console's window size) and CloseIO (the process's stdin closed). Pids
 * runs `runc ps` (the runc participant); Stats reads the cgroup (shimMachine's shimStats). The
 * simulation's answer is empty; real mode asks the real shim (engine/real/shimCalls.ts).
 */
export type ShimCallOp = 'shim.Delete' | 'shim.ResizePty' | 'shim.CloseIO';

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
  shimCall: settled((_input: ShimCallInput): ShimCallEvidence => ({})),
};

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

/** What the shim read from the container's cgroup (Task/Stats: cgroups Metrics). */
export interface ShimStatsEvidence {
  pids: number;
  memoryBytes: number;
  cpuNanos: number;
}

/**
 * The memory each simulated process is charged: about what busybox's `sleep` used on the
 * recorded engine (308 to 588 KiB from run to run, u-top-update-stats.txt, u2-stats-stream.txt).
 * The process model keeps no resident sizes.
 */
const PROCESS_MEMORY = 332 * 1024;

export const simShimEffects = {
  shimStats: settled(({ runtime, id }: ShimStatsInput): ShimStatsEvidence => {
    const procs = runtime.processes().filter((p) => p.containerId === id && p.state !== 'stopped');
    const pids = procs.reduce((n, p) => n + 1 + p.children.length, 0);
    return { pids, memoryBytes: pids * PROCESS_MEMORY, cpuNanos: 0 };
  }),
  shimStart: settled(({ ids }: ShimStartInput): ShimStartEvidence => ({
    address: `unix:///run/containerd/s/${ids.hex(64)}`,
    pid: ids.pid(),
  })),
  shimShutdown: settled((_input: ShimShutdownInput): Record<string, never> => ({})),
};

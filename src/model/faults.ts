/**
 * Faults injected at a boundary, for lessons that show where a failure happens and which layer
 * notices and reacts. Faults are data: the simulated adapters apply them (sim/faults.ts), so the
 * layers above see only what a real registry, disk, network or program would answer. The texts
 * they lead to were recorded on a real Engine (test/fixtures/real-engine/k-daemon-and-faults.txt).
 *
 * - `registry`: requests whose path starts with `path` get `status` instead of the registry's
 *   own answer (with the error body of the Distribution spec), or, with `timeout`, no answer at
 *   all; for the first `times` such requests (all of them when absent). A timeout applies to
 *   `GET /v2/` only: dockerd's ping is the one request with a deadline (15 s); a later request
 *   that is never answered hangs the pull for good, as it does on a real Engine.
 * - `process`: every process started from `image` ignores the listed signals (SIG_IGN), as a
 *   program that traps SIGTERM and carries on would: `docker stop` then waits out its grace.
 * - `disk`: the file system under the storage driver has `free` bytes left; unpacking a layer
 *   past that fails with ENOSPC, like a full /var/lib/docker or /var/lib/containerd.
 * - `port`: a host process already listens on `port` (all addresses, TCP), so publishing it
 *   fails at bind(2): 20.10's userland proxy's, or Engine 28+'s dockerd's own.
 */
export type Fault =
  { registry: RegistryFault } | { process: ProcessFault } | { disk: DiskFault } | { port: PortFault };

export interface RegistryFault {
  path: string;
  status?: RegistryFaultStatus;
  timeout?: boolean;
  times?: number;
}

export const REGISTRY_FAULT_STATUSES = [401, 403, 404, 429, 500, 502, 503] as const;
export type RegistryFaultStatus = (typeof REGISTRY_FAULT_STATUSES)[number];

export const IGNORABLE_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const;
export type IgnorableSignal = (typeof IGNORABLE_SIGNALS)[number];

export interface ProcessFault {
  image: string;
  ignore: IgnorableSignal[];
}

export interface DiskFault {
  /** Bytes left on the file system that holds the layers. */
  free: number;
}

export interface PortFault {
  /** A TCP port a host process listens on, on every address. */
  port: number;
}

/** How long dockerd's registry ping waits for an answer (moby registry.PingV2Registry). */
export const REGISTRY_PING_TIMEOUT_MS = 15_000;

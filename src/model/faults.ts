/**
 * A fault injected at a boundary, for lessons that show which layer notices and what it does.
 * Faults are data: the simulated adapters apply them (sim/faults.ts); the layers above only see
 * what a real registry, kernel or disk would answer.
 *
 * `registry`: requests whose path starts with `path` get `status` instead of the registry's own
 * answer, for the first `times` such requests (all of them when `times` is absent), with the
 * error body the Distribution spec defines for that status.
 */
export type Fault = { registry: RegistryFault };

export interface RegistryFault {
  path: string;
  status: RegistryFaultStatus;
  times?: number;
}

export const REGISTRY_FAULT_STATUSES = [401, 403, 404, 429, 500, 502, 503] as const;
export type RegistryFaultStatus = (typeof REGISTRY_FAULT_STATUSES)[number];

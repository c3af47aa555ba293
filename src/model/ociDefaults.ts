/**
 * The paths dockerd masks and makes read-only in every container it creates, unless the container
 * is privileged (moby v20.10.24 oci/defaults.go DefaultSpec: Linux.MaskedPaths and
 * Linux.ReadonlyPaths). dockerd copies them into the container's HostConfig at create
 * (daemon/create.go), so `docker inspect` shows them, and into the bundle's config.json, where
 * runc bind-mounts /dev/null over a masked file and an empty tmpfs over a masked directory
 * (https://github.com/opencontainers/runtime-spec/blob/v1.0.2/config-linux.md#masked-paths).
 * The simulation's inspect and the real engine's bundle read the same list.
 */
export const MASKED_PATHS = [
  '/proc/asound',
  '/proc/acpi',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
] as const;

/** Remounted read-only in the container (runtime-spec config-linux.md#readonly-paths). */
export const READONLY_PATHS = [
  '/proc/bus',
  '/proc/fs',
  '/proc/irq',
  '/proc/sys',
  '/proc/sysrq-trigger',
] as const;

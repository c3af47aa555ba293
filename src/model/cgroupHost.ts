import type { Profile } from './trace.ts';

/**
 * The host's cgroups as each profile's engine meets them, so runc's and the kernel's words match
 * `docker info`: classic is the recorded 20.10, on a cgroup v1 host with the cgroupfs driver
 * (cgroupsPath `/docker/<id>`, one directory per controller, memory.limit_in_bytes,
 * freezer.state, an eventfd on memory.oom_control); v29 is Engine 29 on a cgroup v2 host with the
 * systemd driver (a docker-<id>.scope, memory.max, cgroup.freeze, memory.events).
 * https://docs.kernel.org/admin-guide/cgroup-v1/ and https://docs.kernel.org/admin-guide/cgroup-v2.html
 */
export interface CgroupHost {
  version: 1 | 2;
  /** The spec's cgroupsPath (moby v20.10.24 daemon/oci_linux.go WithCgroups: `/docker/<id>` or `slice:docker:<id>`). */
  path(id: string): string;
  memoryLimit: string;
  freeze: string;
  thaw: string;
  oom: string;
}

const V1: CgroupHost = {
  version: 1,
  path: (id) => `/docker/${id}`,
  memoryLimit: 'memory.limit_in_bytes',
  freeze: 'echo FROZEN > freezer.state',
  thaw: 'echo THAWED > freezer.state',
  oom: 'memory.oom_control eventfd: oom_kill 1',
};

const V2: CgroupHost = {
  version: 2,
  path: (id) => `system.slice:docker:${id}`,
  memoryLimit: 'memory.max',
  freeze: 'echo 1 > cgroup.freeze',
  thaw: 'echo 0 > cgroup.freeze',
  oom: 'memory.events: oom_kill 1',
};

export const cgroupHost = (profile: Profile): CgroupHost => (profile === 'classic' ? V1 : V2);

/** The narration key of a cgroup message: the v1 host has its own words. */
export const cgroupNarration = (op: string, profile: Profile): string | undefined =>
  profile === 'classic' ? `${op}.v1` : undefined;

/**
 * A snapshot of the host as the learner could inspect it between two steps: the process tree
 * (`pstree -p`), each container's namespaces and cgroup (`/proc/<pid>/ns`, `/sys/fs/cgroup`),
 * and each container's root filesystem as layers (`mount -t overlay`). It is plain data, so the
 * same views draw the simulated host and, in real mode, a host read from /proc and /sys.
 */
export interface HostProcess {
  pid: number;
  ppid: number;
  comm: string;
  /** The container whose namespaces the process lives in, if any. */
  containerId?: string;
  /** Frozen by the cgroup freezer (`docker pause`). */
  frozen?: boolean;
  /** The program is not in the process model: it exists, but its behaviour is not simulated. */
  unmodelled?: boolean;
}

export interface HostLayer {
  /** Snapshot key: the chain id for an image layer, the container id for the writable layer. */
  key: string;
  dir: string;
  size: number;
  writable: boolean;
  /** Other images and containers whose root filesystems include this very layer. */
  sharedWith: string[];
}

export interface HostContainer {
  id: string;
  name: string;
  image: string;
  status: string;
  pid: number;
  namespaces: string[];
  cgroup?: string;
  limits: Record<string, string>;
  /** Top first: the writable layer, then the image layers down to the base. */
  layers: HostLayer[];
  /** The overlay mount options (lowerdir, upperdir, workdir) when the container has one. */
  mountOptions: string[];
  /** Bind mounts in its mount namespace (`source → destination (ro)`), when it has any. */
  binds?: string[];
}

export interface HostSnapshot {
  driver: string;
  processes: HostProcess[];
  containers: HostContainer[];
}

/**
 * The parts of the OCI runtime spec's `config.json` that dockstep builds and shows
 * (https://github.com/opencontainers/runtime-spec/blob/main/config.md). dockerd generates it
 * (moby's daemon/oci_linux.go); runc reads it from the bundle.
 */
export interface OciNamespace {
  type: 'pid' | 'network' | 'ipc' | 'uts' | 'mount' | 'cgroup' | 'user';
  path?: string;
}

export interface OciSpec {
  ociVersion: string;
  process: {
    terminal: boolean;
    user: { uid: number; gid: number; additionalGids?: number[] };
    args: string[];
    env: string[];
    cwd: string;
  };
  root: { path: string; readonly: boolean };
  hostname: string;
  /** runtime-spec annotations; the image reference rides here so a runtime can tell what it runs. */
  annotations?: Record<string, string>;
  mounts: { destination: string; type: string; source: string; options?: string[] }[];
  /** Programs the runtime runs at points of the container's life (config.md, "POSIX-platform Hooks"). */
  hooks?: { prestart?: { path: string; args: string[] }[] };
  linux: {
    namespaces: OciNamespace[];
    cgroupsPath: string;
    resources: { memory?: { limit: number }; pids?: { limit: number } };
    maskedPaths: string[];
    readonlyPaths: string[];
  };
}

/**
 * The part of runtime-spec's LinuxResources (config-linux.md) that `docker update` changes, as
 * containerd's Tasks.Update carries it and `runc update --resources -` reads it: memory.swap is
 * memory plus swap (-1: unlimited), cpu.quota per cpu.period microseconds, pids.limit (-1:
 * unlimited).
 */
export interface LinuxResources {
  memory?: { limit?: number; swap?: number };
  cpu?: { quota?: number; period?: number };
  pids?: { limit: number };
}

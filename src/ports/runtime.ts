import type { OciSpec } from '../model/oci.ts';

/**
 * OCI runtime: what runc does for a container (https://github.com/opencontainers/runtime-spec/blob/main/runtime.md).
 *
 * Lifecycle of a container in the runtime:
 *   `create` — set up namespaces, cgroups and the root file system (pivot_root), and leave
 *   `runc init` blocked on `exec.fifo`: the container exists, its process has not run yet;
 *   `start` — open the fifo, so `runc init` execs the user's program as PID 1;
 *   `kill` — send a signal; `pause`/`resume` — freeze and thaw the cgroup;
 *   `exec` — start another process inside the same namespaces (`docker exec`);
 *   `delete` — after the process has exited, remove the cgroup and runc's state.
 * runc itself exits after each command: it is a tool, not a daemon. The shim is the parent that
 * stays, holds the stdio and reaps the exit status.
 *
 * Glossary: *bundle* — a directory with `config.json` and `rootfs/`; *init* — the container's
 * first process (PID 1 in its PID namespace); *exec.fifo* — the named pipe `runc start` opens to
 * release init; *subreaper* — a process that adopts orphans (`PR_SET_CHILD_SUBREAPER`), as the shim.
 */
export type RuntimeResult = { ok: true; pid?: number } | { ok: false; error: string; exitCode?: number };

/** What happens to a container's processes after start: output, OOM, exit. */
export type ProcessEvent = (
  | { type: 'output'; containerId: string; execId?: string; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'oom'; containerId: string }
  /** A process wrote a file: the bytes land in the upper dir of the container's writable layer. */
  | { type: 'file'; containerId: string; execId?: string; path: string; bytes: number; append: boolean }
  | { type: 'exit'; containerId: string; execId?: string; pid: number; status: number; signal?: number }
  /**
   * A DNS query a process sent to its resolv.conf nameserver: dockerd's embedded server on a
   * user-defined network (`embedded`), the host's otherwise; `answer` absent is NXDOMAIN.
   */
  | {
      type: 'dns';
      containerId: string;
      execId?: string;
      name: string;
      server: string;
      embedded: boolean;
      answer?: string;
    }
) & {
  /**
   * The process runs under a foreground `runc run` (BuildKit's executor): its stdio is runc's
   * caller's pipes, and runc itself, its parent, reaps it. Otherwise the shim holds both.
   */
  foreground?: boolean;
};

export interface ProcessInfo {
  pid: number;
  comm: string;
  containerId: string;
  execId?: string;
  state: 'created' | 'running' | 'paused' | 'stopped';
  children: { comm: string; pid: number }[];
  modeled: boolean;
}

export interface OciRuntime {
  create(id: string, bundle: string, spec: OciSpec): RuntimeResult;
  start(id: string): RuntimeResult;
  kill(id: string, signal: number): RuntimeResult;
  pause(id: string): RuntimeResult;
  resume(id: string): RuntimeResult;
  /** `runc update`: new cgroup limits for a live container (a runtime without it takes any). */
  update?(id: string): RuntimeResult;
  exec(id: string, execId: string, process: OciSpec['process']): RuntimeResult;
  /**
   * `runc run`: create and start in one go, with the container's process as runc's own child
   * (no shim): runc waits for it and exits with its status. BuildKit's runc executor runs RUN
   * steps this way; `delete` removes it afterwards.
   */
  run(id: string, bundle: string, spec: OciSpec): RuntimeResult;
  delete(id: string): RuntimeResult;
  /**
   * Not an OCI operation but a lesson's cue: the container's init allocates `bytes` more memory
   * and keeps it, as an application under load does (past the cgroup's limit the OOM killer
   * ends it). A runtime that cannot do this leaves it out.
   */
  allocate?(id: string, bytes: number): RuntimeResult;
  processes(): ProcessInfo[];
  /** One listener: the shim layer, which holds every container's stdio and reaps exits. */
  subscribe(listener: (event: ProcessEvent) => void): void;
}

/**
 * The public shape of the process model: what a container (or a `docker exec`) runs, as a
 * deterministic program in virtual time. The simulated runtime (`src/sim/runtime.ts`) is the
 * kernel and shim around it: it calls `start`, wakes the process at `nextWakeMs`, delivers
 * signals from `runc kill`, and turns the returned effects into pipe output, `oom` and exit
 * events. Freezing (docker pause, the freezer cgroup) is the caller's job: a frozen process is
 * simply not advanced.
 */

/** What runc hands to the container's process (OCI `process` plus what the image holds). */
export interface ProcessEnv {
  /** Already resolved by dockerd: Entrypoint + Cmd, e.g. ['/docker-entrypoint.sh','nginx','-g','daemon off;']. */
  argv: string[];
  /** 'KEY=value' strings, as in config.json `process.env` (docker always sets PATH and HOSTNAME). */
  env: string[];
  /** Catalogue short name: 'busybox' | 'alpine' | 'nginx' | 'redis' (others possible). */
  image: string;
  /** Absolute paths of the programs present in the image's root file system. */
  executables: readonly string[];
  /** True for a container's init (PID 1 in its PID namespace); false for `docker exec` processes. */
  isPid1: boolean;
  /** Absolute virtual time (ms since the Unix epoch) at exec. */
  startMs: number;
  /** The process's working directory (OCI `process.cwd`: the image's WorkingDir, or `/`). */
  cwd?: string;
  /**
   * The container's live processes as its PID namespace numbers them, init first (what `ps`
   * reads from the container's /proc), asked when a program needs them.
   */
  processes?: () => readonly { pid: number; args: string }[];
  /** The cgroup's memory.max (v2) / memory.limit_in_bytes (v1), when `--memory` is set. */
  memoryLimitBytes?: number;
  /**
   * How runc's own lookup of argv[0] reports a directory: it is Go's `exec.LookPath`, so it
   * depends on the Go that built runc. Go ≤ 1.19 says EACCES, "permission denied" (runc 1.1.5 as
   * Debian 12 ships it, built with go1.19.8); Go ≥ 1.20 says EISDIR, "is a directory" (the
   * default here). https://go.dev/doc/go1.20#os/exec
   */
  runcDirectoryError?: DirectoryError;
  /**
   * Signals the program ignores whatever it asks for (a lesson's fault: a program that traps
   * SIGTERM and carries on). Set to SIG_IGN before it runs; its own handlers for them are not
   * installed. Linux x86_64 numbers.
   */
  ignoredSignals?: readonly number[];
  /** Name resolution as the container's /etc/resolv.conf sets it up (absent: no network). */
  dns?: DnsView;
}

/**
 * What a container's resolver talks to: on a user-defined network dockerd's embedded DNS server
 * at 127.0.0.11 (`options ndots:0`), which answers the network's container names and aliases and
 * forwards the rest to the host's nameserver; on the default bridge the host's nameserver itself,
 * from a copy of the host's resolv.conf, which knows no container.
 * https://docs.docker.com/engine/network/#dns-services
 */
export interface DnsView {
  nameserver: string;
  /** The embedded DNS server answers (a user-defined network). */
  embedded: boolean;
  /** The address the name resolves to, or undefined (NXDOMAIN). */
  resolve(name: string): string | undefined;
}

export type DirectoryError = 'permission denied' | 'is a directory';

export type ProcessEffect =
  /** Bytes written to fd 1 or 2; `text` includes its '\n'. */
  | { type: 'write'; stream: 'stdout' | 'stderr'; text: string; atMs: number }
  /** Bytes written into a file of the container's root file system (the upper dir of its layer). */
  | { type: 'file'; path: string; bytes: number; append: boolean; atMs: number }
  /** The kernel's OOM killer fired in the container's cgroup (memory.events oom_kill). */
  | { type: 'oom'; atMs: number }
  /** A DNS query to the resolver's nameserver, and the answer it got (none: NXDOMAIN). */
  | { type: 'dns'; name: string; server: string; embedded: boolean; answer?: string; atMs: number }
  /** The process is gone. `signal` is set when it was killed: its wait status is 128+signal. */
  | { type: 'exit'; code: number; signal?: number; atMs: number };

export interface SimProcess {
  /** The name ps/pstree show (/proc/PID/comm): 'sleep', 'sh', 'nginx', 'redis-server'. */
  readonly comm: string;
  /** False: a program we do not model; it blocks until signalled, with default dispositions. */
  readonly modeled: boolean;
  /** Effects at start (startMs). */
  start(): ProcessEffect[];
  /** Absolute virtual time at which it next acts on its own; undefined = blocked or exited. */
  nextWakeMs(): number | undefined;
  /** Let it run its own work up to nowMs (inclusive) and return what happened. */
  advance(nowMs: number): ProcessEffect[];
  /** Deliver a signal (Linux x86_64 numbers). Its own work up to nowMs happens first. */
  signal(sig: number, nowMs: number): ProcessEffect[];
  /**
   * The program allocates `bytes` more memory and keeps it (an application under load); past
   * the cgroup's limit the OOM killer ends it. Its own work up to nowMs happens first.
   */
  allocate(bytes: number, nowMs: number): ProcessEffect[];
  /** Current child processes (sh running sleep, nginx workers), for pstree. */
  children(): { comm: string }[];
  readonly exited: boolean;
}

export type SpawnResult =
  | { ok: true; process: SimProcess }
  /** runc could not exec argv[0]; `message` is runc's text, which the caller wraps. */
  | { ok: false; code: 126 | 127; message: string };

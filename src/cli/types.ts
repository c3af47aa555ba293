/**
 * The docker commands dockstep simulates, as typed values: what docker/cli has in hand after
 * cobra and pflag parsed a command line and before it calls the Engine API. Field names follow
 * the flags (`--rm` → `rm`), except the container's `--name`, which is `containerName` because
 * `name` tells the commands apart.
 *
 * Management forms map onto the same values: `docker container ls` is `ps`, `docker image ls`
 * is `images`, `docker image rm` is `rmi`, `docker image tag` is `tag`
 * (https://docs.docker.com/reference/cli/docker/).
 */

/** One published port (`-p`), as go-connections' `nat.ParsePortSpec` reads it. */
export interface PortPublish {
  /** `127.0.0.1` in `-p 127.0.0.1:8080:80`; IPv6 without brackets (`::1`). Absent: all addresses. */
  hostIp?: string;
  /** Absent when the daemon picks a free port (`-p 80`, `-p 127.0.0.1::80`). */
  hostPort?: number;
  /** `-p 8080-8090:80`: the daemon picks one free port in `hostPort`..`hostPortEnd`. */
  hostPortEnd?: number;
  containerPort: number;
  /** docker accepts sctp as well (go-connections `validateProto`). */
  protocol: 'tcp' | 'udp' | 'sctp';
}

/**
 * `--restart`, as the Engine API's `HostConfig.RestartPolicy`. The CLI checks only the shape
 * (opts.ParseRestartPolicy); the daemon rejects unknown names (`no`, `always`, `on-failure`,
 * `unless-stopped` are valid), so `name` stays a string for the simulated dockerd to judge.
 */
export interface RestartPolicy {
  name: string;
  maximumRetryCount?: number;
}

/**
 * `--mount`, as opts.MountOpt builds the Engine API's `mount.Mount` for `HostConfig.Mounts`
 * (https://docs.docker.com/reference/cli/docker/container/run/#mount). Keys absent unless set.
 */
export interface MountSpec {
  /** `bind`, `volume` (the default), `tmpfs`…, lower-cased; the daemon rejects unknown types. */
  type: string;
  source?: string;
  target: string;
  readOnly?: boolean;
  /** `bind-propagation` (BindOptions.Propagation): rprivate unless set. */
  propagation?: string;
  /** `bind-nonrecursive`: a plain bind instead of rbind. */
  nonRecursive?: boolean;
  consistency?: string;
}

/** Fields shared by `docker run` and `docker create` (cli/command/container/opts.go). */
export interface ContainerCreateFields {
  rm: boolean;
  containerName?: string;
  /** `-e` values in order; `-e FOO` (no `=`) is kept as is: the console has no host environment. */
  env: string[];
  /** `-m`, in bytes (go-units `RAMInBytes`: binary units, case-insensitive). */
  memoryBytes?: number;
  publish: PortPublish[];
  /**
   * `-v` specs with a source, as typed and without repeats (HostConfig.Binds: the daemon parses
   * them). docker/cli collects them in a Go map, so their order is unspecified; dockstep keeps
   * the order typed. Absent when there are none.
   */
  binds?: string[];
  /** `--mount` values (HostConfig.Mounts), in order. Absent when there are none. */
  mounts?: MountSpec[];
  /** The first `--network` target, or `default` (opts.NetworkOpt.NetworkMode). */
  network: string;
  /** `--network-alias`: more names for the container on its user-defined network. */
  aliases?: string[];
  interactive: boolean;
  tty: boolean;
  /** `--entrypoint=` (empty) is kept as `''`: docker then resets the image's entrypoint. */
  entrypoint?: string;
  workdir?: string;
  user?: string;
  stopSignal?: string;
  stopTimeout?: number;
  restart?: RestartPolicy;
  /** `--pull` (always, missing, never); docker's default is `missing`. */
  pull: 'always' | 'missing' | 'never';
  image: string;
  /** Everything after the image: the container's command and its arguments. */
  args: string[];
}

export interface RunCommand extends ContainerCreateFields {
  name: 'run';
  detach: boolean;
}

export interface CreateCommand extends ContainerCreateFields {
  name: 'create';
}

export interface StartCommand {
  name: 'start';
  containers: string[];
  attach: boolean;
  interactive: boolean;
}

export interface StopCommand {
  name: 'stop';
  containers: string[];
  time?: number;
  signal?: string;
}

export interface RestartCommand {
  name: 'restart';
  containers: string[];
  time?: number;
  signal?: string;
}

export interface KillCommand {
  name: 'kill';
  containers: string[];
  /** docker sends no signal parameter by default and the daemon uses SIGKILL; we spell it out. */
  signal: string;
}

export interface PauseCommand {
  name: 'pause' | 'unpause';
  containers: string[];
}

export interface RmCommand {
  name: 'rm';
  containers: string[];
  force: boolean;
  volumes: boolean;
}

export interface PsCommand {
  name: 'ps';
  all: boolean;
  quiet: boolean;
  noTrunc: boolean;
  latest: boolean;
  /** `-n`; docker's default is -1 (no limit), which we leave out. */
  last?: number;
  size: boolean;
  /** `name=value`, name lower-cased and both sides trimmed, as opts.FilterOpt stores them. */
  filters: string[];
  format?: string;
}

export interface ImagesCommand {
  name: 'images';
  all: boolean;
  quiet: boolean;
  noTrunc: boolean;
  digests: boolean;
  repository?: string;
  filters: string[];
  format?: string;
}

export interface PullCommand {
  name: 'pull';
  ref: string;
  quiet: boolean;
  allTags: boolean;
  platform?: string;
}

export interface PushCommand {
  name: 'push';
  ref: string;
  quiet: boolean;
  allTags: boolean;
}

export interface RmiCommand {
  name: 'rmi';
  images: string[];
  force: boolean;
  noPrune: boolean;
}

export interface LogsCommand {
  name: 'logs';
  container: string;
  follow: boolean;
  /** `-n`/`--tail`; absent means docker's default, `all`. */
  tail?: string;
  timestamps: boolean;
  since?: string;
  until?: string;
}

export type InspectType =
  'config' | 'container' | 'image' | 'network' | 'node' | 'plugin' | 'secret' | 'service' | 'task' | 'volume';

export interface InspectCommand {
  name: 'inspect';
  names: string[];
  /** `--type`, or fixed by `docker container inspect` / `docker image inspect`. */
  type?: InspectType;
  format?: string;
  size: boolean;
}

export interface WaitCommand {
  name: 'wait';
  containers: string[];
}

export interface EventsCommand {
  name: 'events';
  since?: string;
  until?: string;
  filters: string[];
  format?: string;
}

export interface TagCommand {
  name: 'tag';
  source: string;
  target: string;
}

export interface HistoryCommand {
  name: 'history';
  image: string;
  noTrunc: boolean;
  quiet: boolean;
  human: boolean;
  format?: string;
}

export interface ExecCommand {
  name: 'exec';
  container: string;
  detach: boolean;
  interactive: boolean;
  tty: boolean;
  env: string[];
  workdir?: string;
  user?: string;
  cmd: string[];
}

/** `docker build` (cli/command/image/build.go): the context as typed, `-t` tags in order, `-f`. */
export interface BuildCommand {
  name: 'build';
  context: string;
  tags: string[];
  /** `-f`: the Dockerfile's path, relative to the current directory; default `CONTEXT/Dockerfile`. */
  file?: string;
  noCache: boolean;
  quiet: boolean;
}

export interface VersionCommand {
  name: 'version';
  format?: string;
}

export interface InfoCommand {
  name: 'info';
  format?: string;
}

export type DockerCommand =
  | RunCommand
  | CreateCommand
  | StartCommand
  | StopCommand
  | RestartCommand
  | KillCommand
  | PauseCommand
  | RmCommand
  | PsCommand
  | ImagesCommand
  | PullCommand
  | PushCommand
  | RmiCommand
  | TagCommand
  | LogsCommand
  | InspectCommand
  | WaitCommand
  | EventsCommand
  | HistoryCommand
  | ExecCommand
  | BuildCommand
  | VersionCommand
  | InfoCommand
  | NetworkCommand
  | VolumeCommand
  | { name: 'container prune' }
  | { name: 'system df' }
  | { name: 'rename'; container: string; newName: string }
  | { name: 'port'; container: string; port?: string }
  | { name: 'diff'; container: string }
  | { name: 'top'; container: string; psArgs: string[] }
  | UpdateCommand
  | StatsCommand
  | CpCommand
  | { name: 'export'; container: string; output?: string }
  | { name: 'search'; term: string; filters: string[]; noTrunc: boolean; limit?: number; format?: string }
  | { name: 'logout'; server?: string }
  | { name: 'save'; images: string[]; output: string }
  | { name: 'load'; input?: string; quiet: boolean }
  | { name: 'login'; server?: string; username?: string; password?: string; passwordStdin: boolean }
  | { name: 'image prune'; all: boolean }
  | { name: 'system prune'; all: boolean; volumes: boolean }
  | {
      name: 'commit';
      container: string;
      reference?: string;
      changes: string[];
      message: string;
      pause: boolean;
    };

/** `docker cp`: a host path and a container's path, copied `to` the container or `from` it. */
export interface CpCommand {
  name: 'cp';
  direction: 'to' | 'from';
  container: string;
  containerPath: string;
  hostPath: string;
}

/** `docker stats`: `noStream` takes one frame; otherwise a few (the console has no Ctrl-C). */
export interface StatsCommand {
  name: 'stats';
  containers: string[];
  all: boolean;
  noStream: boolean;
  format?: string;
}

/** `docker update`: the resources set (bytes, billionths of a CPU) and the restart policy. */
export interface UpdateCommand {
  name: 'update';
  containers: string[];
  memoryBytes?: number;
  /** -1: unlimited swap. */
  memorySwap?: number;
  nanoCpus?: number;
  pidsLimit?: number;
  restart?: RestartPolicy;
}

export type DockerCommandName = DockerCommand['name'];

/** `docker volume …` (cli/command/volume): one command, told apart by `verb`. */
export type VolumeCommand = { name: 'volume' } & (
  | { verb: 'create'; driver: string; volume?: string }
  | { verb: 'ls'; quiet: boolean }
  | { verb: 'inspect'; volumes: string[]; format?: string }
  | { verb: 'rm'; volumes: string[]; force: boolean }
  | { verb: 'prune'; all: boolean }
);

/** `docker network …` (cli/command/network): one command, told apart by `verb`. */
export type NetworkCommand = { name: 'network' } & (
  | { verb: 'create'; network: string; driver: string; subnet?: string; gateway?: string }
  | { verb: 'ls'; quiet: boolean; format?: string }
  | { verb: 'inspect'; networks: string[]; format?: string }
  | { verb: 'rm'; networks: string[] }
  | { verb: 'connect'; network: string; container: string; aliases: string[] }
  | { verb: 'disconnect'; network: string; container: string; force: boolean }
);

/** What docker would print on stderr (byte for byte, final newline included) and its exit status. */
export interface CliError {
  stderr: string;
  exitCode: number;
}

export type ParseOutcome =
  | {
      ok: true;
      command: DockerCommand;
      /** The words after `docker`, as the shell would hand them to docker. */
      argv: string[];
      /** Real docker flags the user set that dockstep accepts but does not simulate (`--volume`). */
      ignoredFlags: string[];
    }
  | { ok: false; error: CliError };

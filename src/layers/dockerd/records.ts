import type { ActorRefFrom } from 'xstate';
import { digestOf } from '../../model/digest.ts';
import type { ImageConfig } from '../../model/image.ts';
import type { JsonObject } from '../../model/json.ts';
import type { OciSpec } from '../../model/oci.ts';
import type { Participant } from '../../model/participants.ts';
import type { PortBinding } from '../../ports/network.ts';
import type { ImageLayerRecord } from '../containerd/imageService.ts';
import type { containerMachine } from './containerMachine.ts';
import type { MountPoint } from './ops/mounts.ts';
import type { RestartManager, RestartPolicy } from './restartManager.ts';

/** What dockerd knows about an image, from either image store (containerd's or its own). */
export interface ImageRecord {
  /** Normalised reference: `docker.io/library/nginx:latest`. */
  name: string;
  /**
   * Image id: the config digest in the classic store; in Engine 29's containerd image store the
   * target's digest, the index or manifest the name points at (moby docker-v29.0.0
   * daemon/containerd/image.go GetImage: image.ID(img.Target.Digest); image_list.go).
   */
  id: string;
  repoDigest: string;
  target: { mediaType: string; digest: string; size: number };
  manifestDigest: string;
  config: ImageConfig;
  configText: string;
  layers: ImageLayerRecord[];
  createdMs: number;
  /** Built here by the legacy builder: the image it was committed on (`docker history` shows its id). */
  parent?: string;
  /** The legacy builder's cache key: the step's run config (its Cmd names the instruction). */
  cacheKey?: string;
  /** The catalogue image a built image's layers start from (the process model runs its programs). */
  base?: string;
}

/** The digest of an image's config blob, whichever store's id the record carries. */
export function configDigestOf(r: ImageRecord): string {
  return digestOf(r.configText);
}

/** The parts of a container's Config that the create body and the image decide together. */
export interface CreatedConfig {
  user: string;
  workingDir: string;
  labels: Record<string, string>;
  /** null when neither the body nor the image has one (inspect shows null). */
  entrypoint: string[] | null;
  cmd: string[] | null;
}

export interface ContainerRecord {
  id: string;
  name: string;
  /** The image as the user typed it (docker events' `image` attribute). */
  imageRef: string;
  image: ImageRecord;
  path: string;
  args: string[];
  env: string[];
  autoRemove: boolean;
  memory: number;
  /** HostConfig.MemorySwap once `docker update` set it (-1: unlimited); before, twice a create's -m, or none (0). */
  memorySwap?: number;
  /** HostConfig.NanoCpus and PidsLimit, set by `docker update`. */
  nanoCpus?: number;
  pidsLimit?: number;
  ports: PortBinding[];
  /** HostConfig.Binds and HostConfig.Mounts as created, for `docker inspect`. */
  binds: string[];
  mountSpecs: JsonObject[];
  /** The mount points they made (bind mounts), in the order given. */
  mounts: MountPoint[];
  networkMode: string;
  /** `--network-alias` names on the NetworkMode network. */
  aliases: string[];
  /** User-defined networks joined with `docker network connect`, with their aliases. */
  connected: { network: string; aliases: string[] }[];
  /**
   * libnetwork's sandbox of the last start on a bridge network: its id and key (the netns file),
   * kept after a stop as dockerd keeps them (NetworkSettings.SandboxID, SandboxKey).
   */
  sandboxId?: string;
  sandboxKey?: string;
  /** Config.AttachStdin, AttachStdout, AttachStderr as created (the client's choice of streams). */
  attachStd?: { stdin: boolean; stdout: boolean; stderr: boolean };
  /** Per attached network (by name): the endpoint libnetwork made at start. */
  endpoints: Record<string, { ip: string; prefixLen: number; gateway: string; mac: string; id: string }>;
  stopSignal: string;
  stopTimeout: number | undefined;
  createdMs: number;
  startedMs: number;
  finishedMs: number;
  pid: number;
  exitCode: number;
  oomKilled: boolean;
  error: string;
  restartCount: number;
  /** HostConfig.RestartPolicy, as created. */
  restartPolicy: RestartPolicy;
  /** A stop or kill by the user (not the daemon's shutdown): `unless-stopped` stays down. */
  hasBeenManuallyStopped: boolean;
  /** The image or `--stop-signal` named a stop signal (moby Config.StopSignal set). */
  stopSignalSet: boolean;
  /** In memory only: made at the first exit, gone when dockerd dies (restartManager.ts). */
  restartManager?: RestartManager;
  rwKey: string;
  spec: OciSpec | undefined;
  ip: string;
  actor: ActorRefFrom<typeof containerMachine>;
  /** Actions dockerd is in the middle of, which change how an exit is reported. */
  stopping: boolean;
  attached: boolean;
  /** Config.Tty, Config.OpenStdin and Config.StdinOnce as created (`-t`, `-i`; `docker run -i` closes stdin when the client's ends). */
  tty?: boolean;
  openStdin?: boolean;
  stdinOnce?: boolean;
  /**
   * Config.User, WorkingDir, Labels, Entrypoint and Cmd as dockerd keeps them: the create body's,
   * merged with the image's config (moby daemon/commit.go merge). Absent: the image's alone.
   */
  config?: CreatedConfig;
  /** Who holds the attach connection (the CLI, or Docker Desktop's proxy in front of it). */
  attachedBy?: Participant;
  /** An intermediate container of the legacy builder: its output goes into the `/build` stream. */
  build?: boolean;
}

export interface ExecRecord {
  id: string;
  containerId: string;
  cmd: string[];
  /** ExecConfig as created (moby daemon/exec/exec.go Config): absent fields are the defaults. */
  env?: string[];
  /** `-u`, else the container's Config.User; empty: root. */
  user?: string;
  /** `-w`, else the container's WorkingDir. */
  workingDir?: string;
  tty?: boolean;
  openStdin?: boolean;
  /** The client attaches the output (not with `-d`). */
  openStdout?: boolean;
  running: boolean;
  exitCode: number | null;
  pid: number;
  /** Who holds the exec's stream (see ContainerRecord.attachedBy). */
  client?: Participant;
}

/** A network dockerd knows (libnetwork's): the three predefined ones and the user-defined ones. */
export interface NetworkRecord {
  id: string;
  name: string;
  driver: 'bridge' | 'host' | 'null';
  /** IPAM: empty for host and none. */
  subnet: string;
  gateway: string;
  /** The Linux bridge (docker0, br-<id12>); empty for host and none. */
  bridge: string;
  createdMs: number;
  /** bridge, host, none: made by dockerd itself, and never removed. */
  predefined: boolean;
  /** The IPAM config as asked (`--subnet` without `--gateway` shows no Gateway). */
  ipamConfig: { Subnet: string; Gateway?: string }[];
}

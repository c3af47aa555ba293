import type { JsonObject, JsonValue } from '../../../model/json.ts';
import { short } from '../../post.ts';
import type { ContainerRecord } from '../records.ts';
import { NO_RESTART } from '../restartManager.ts';
import { portBindings } from './containerCreate.ts';
import { createdConfigJson, storedConfig } from './createdConfig.ts';
import { hostConfigJson } from './hostConfigJson.ts';
import type { MountPoint } from './mounts.ts';

/**
 * A container as dockerd keeps it on disk: `containers/<id>/config.v2.json` (moby
 * container.Container, written by CheckpointTo at create and at every state change) and
 * `hostconfig.json` (container.HostConfig, container.WriteHostConfig). The shape is dockerd
 * 20.10's, as a private dockerd 20.10.24 wrote them here (test/fixtures/real-engine/
 * u-container-files.txt); `restore` reads them back (moby daemon/daemon.go restore → load).
 * https://github.com/moby/moby/blob/v20.10.24/container/container.go
 */
export interface ContainerFiles {
  config: JsonObject;
  hostConfig: JsonObject;
}

/** Go's zero time for a date never set, RFC 3339 with nanoseconds otherwise. */
function goTime(ms: number): string {
  return ms === 0 ? '0001-01-01T00:00:00Z' : new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

function msOf(value: JsonValue | undefined): number {
  if (typeof value !== 'string' || value.startsWith('0001-')) return 0;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? 0 : ms;
}

/** moby's container.State as stored: Running stays true while paused or restarting. */
function stateJson(c: ContainerRecord): JsonObject {
  const snapshot = c.actor.getSnapshot();
  const running = snapshot.matches('running');
  return {
    Running: running,
    Paused: snapshot.matches({ running: 'paused' }),
    Restarting: snapshot.matches({ running: 'restarting' }),
    OOMKilled: c.oomKilled,
    RemovalInProgress: snapshot.matches('removing'),
    Dead: false,
    Pid: running ? c.pid : 0,
    ExitCode: c.exitCode,
    Error: c.error,
    StartedAt: goTime(c.startedMs),
    FinishedAt: goTime(c.finishedMs),
    Health: null,
  };
}

/** HostConfig.PortBindings as created (an unset host port is empty). */
export function portMap(c: ContainerRecord): JsonObject {
  const out: JsonObject = {};
  for (const p of c.ports) {
    const key = `${p.containerPort}/${p.protocol}`;
    const list = (out[key] ?? []) as JsonObject[];
    out[key] = [...list, { HostIp: p.hostIp, HostPort: p.hostPort === 0 ? '' : String(p.hostPort) }];
  }
  return out;
}

function endpointsJson(c: ContainerRecord): JsonObject {
  const out: JsonObject = {};
  for (const [name, e] of Object.entries(c.endpoints))
    out[name] = {
      IPAMConfig: null,
      Links: null,
      Aliases: null,
      NetworkID: '',
      EndpointID: e.id,
      Gateway: e.gateway,
      IPAddress: e.ip,
      IPPrefixLen: e.prefixLen,
      MacAddress: e.mac,
    };
  return out;
}

/** moby's NetworkSettings as config.v2.json keeps it (container.NetworkSettings, runconfig). */
function networkSettingsJson(c: ContainerRecord): JsonObject {
  return {
    Bridge: '',
    SandboxID: c.sandboxId ?? '',
    HairpinMode: false,
    LinkLocalIPv6Address: '',
    LinkLocalIPv6PrefixLen: 0,
    Networks: endpointsJson(c),
    Service: null,
    Ports: null,
    SandboxKey: c.sandboxKey ?? '',
    SecondaryIPAddresses: null,
    SecondaryIPv6Addresses: null,
    IsAnonymousEndpoint: false,
    HasSwarmEndpoint: false,
  };
}

/** config.v2.json and hostconfig.json of a container; `dir` is `<root>/containers/<id>`. */
export function containerFiles(c: ContainerRecord, dir: string): ContainerFiles {
  const started = c.startedMs !== 0;
  const config: JsonObject = {
    StreamConfig: {},
    State: stateJson(c),
    ID: c.id,
    Created: goTime(c.createdMs),
    Managed: false,
    Path: c.path,
    Args: c.args,
    Config: {
      Hostname: short(c.id),
      Domainname: '',
      AttachStdin: c.attachStd?.stdin === true,
      AttachStdout: c.attachStd?.stdout === true,
      AttachStderr: c.attachStd?.stderr === true,
      Tty: c.tty === true,
      OpenStdin: c.openStdin === true,
      StdinOnce: c.stdinOnce === true,
      Env: c.env.length > 0 ? c.env : null,
      Image: c.imageRef,
      ...createdConfigJson(c.config, [c.path, ...c.args]),
      ...(c.stopSignalSet ? { StopSignal: c.stopSignal } : {}),
      ...(c.stopTimeout === undefined ? {} : { StopTimeout: c.stopTimeout }),
    },
    Image: c.image.id,
    NetworkSettings: networkSettingsJson(c),
    LogPath: started ? `${dir}/${c.id}-json.log` : '',
    Name: `/${c.name}`,
    Driver: 'overlayfs',
    OS: 'linux',
    RestartCount: c.restartCount,
    HasBeenStartedBefore: started,
    HasBeenManuallyStopped: c.hasBeenManuallyStopped,
    MountPoints: Object.fromEntries(c.mounts.map((m) => [m.Destination, { ...m }])),
  };
  return { config, hostConfig: hostConfigJson(c) };
}

/** What the files say a container's state was when it was last written. */
export type StoredState = 'created' | 'running' | 'paused' | 'exited';

export function storedState(files: ContainerFiles): StoredState {
  const s = (files.config.State ?? {}) as JsonObject;
  if (s.Running === true) return s.Paused === true ? 'paused' : 'running';
  return files.config.HasBeenStartedBefore === true || msOf(s.FinishedAt) !== 0 ? 'exited' : 'created';
}

const strings = (v: JsonValue | undefined): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

function storedEndpoints(c: JsonObject): ContainerRecord['endpoints'] {
  const networks = ((c.NetworkSettings ?? {}) as JsonObject).Networks as Record<string, JsonObject> | null;
  const endpoints: ContainerRecord['endpoints'] = {};
  for (const [name, e] of Object.entries(networks ?? {}))
    endpoints[name] = {
      ip: String(e.IPAddress ?? ''),
      prefixLen: Number(e.IPPrefixLen ?? 0),
      gateway: String(e.Gateway ?? ''),
      mac: String(e.MacAddress ?? ''),
      id: String(e.EndpointID ?? ''),
    };
  return endpoints;
}

function storedStdio(
  cfg: JsonObject,
): Pick<ContainerRecord, 'tty' | 'openStdin' | 'stdinOnce' | 'attachStd'> {
  return {
    ...(cfg.Tty === true ? { tty: true } : {}),
    ...(cfg.OpenStdin === true ? { openStdin: true } : {}),
    ...(cfg.StdinOnce === true ? { stdinOnce: true } : {}),
    attachStd: {
      stdin: cfg.AttachStdin === true,
      stdout: cfg.AttachStdout === true,
      stderr: cfg.AttachStderr === true,
    },
  };
}

/** The sandbox of the last start, when there was one. */
function sandboxOf(c: JsonObject): Pick<ContainerRecord, 'sandboxId' | 'sandboxKey'> {
  const n = (c.NetworkSettings ?? {}) as JsonObject;
  return {
    ...(typeof n.SandboxID === 'string' && n.SandboxID !== '' ? { sandboxId: n.SandboxID } : {}),
    ...(typeof n.SandboxKey === 'string' && n.SandboxKey !== '' ? { sandboxKey: n.SandboxKey } : {}),
  };
}

/** What `docker update` set (a create's -m alone keeps its MemorySwap at twice the limit). */
function updated(
  h: JsonObject,
  memory: number,
): Pick<ContainerRecord, 'memorySwap' | 'nanoCpus' | 'pidsLimit'> {
  const swap = Number(h.MemorySwap ?? 0);
  return {
    ...(swap !== (memory > 0 ? memory * 2 : 0) ? { memorySwap: swap } : {}),
    ...(typeof h.NanoCpus === 'number' && h.NanoCpus > 0 ? { nanoCpus: h.NanoCpus } : {}),
    ...(typeof h.PidsLimit === 'number' ? { pidsLimit: h.PidsLimit } : {}),
  };
}

/**
 * The record's fields from its files (the image and the lifecycle actor are the caller's: the
 * image is looked up by the id the files name, the actor is put in the stored state).
 */
export function recordFields(files: ContainerFiles): Omit<ContainerRecord, 'image' | 'actor'> {
  const c = files.config;
  const h = files.hostConfig;
  const s = (c.State ?? {}) as JsonObject;
  const cfg = (c.Config ?? {}) as JsonObject;
  const id = String(c.ID ?? '');
  const policy = (h.RestartPolicy ?? NO_RESTART) as JsonObject;
  const endpoints = storedEndpoints(c);
  const memory = Number(h.Memory ?? 0);
  return {
    id,
    name: String(c.Name ?? '').replace(/^\//, ''),
    imageRef: String(cfg.Image ?? c.Image ?? ''),
    path: String(c.Path ?? ''),
    args: strings(c.Args),
    env: strings(cfg.Env),
    autoRemove: h.AutoRemove === true,
    memory,
    ports: portBindings(h.PortBindings),
    binds: strings(h.Binds),
    mountSpecs: Array.isArray(h.Mounts) ? (h.Mounts as JsonObject[]) : [],
    mounts: Object.values((c.MountPoints ?? {}) as Record<string, JsonObject>).map(
      (m) => m as unknown as MountPoint,
    ),
    networkMode: String(h.NetworkMode ?? 'bridge'),
    aliases: [],
    connected: [],
    endpoints,
    stopSignal: typeof cfg.StopSignal === 'string' ? cfg.StopSignal : 'SIGTERM',
    stopSignalSet: typeof cfg.StopSignal === 'string',
    stopTimeout: typeof cfg.StopTimeout === 'number' ? cfg.StopTimeout : undefined,
    createdMs: msOf(c.Created),
    startedMs: msOf(s.StartedAt),
    finishedMs: msOf(s.FinishedAt),
    pid: Number(s.Pid ?? 0),
    exitCode: Number(s.ExitCode ?? 0),
    oomKilled: s.OOMKilled === true,
    error: String(s.Error ?? ''),
    restartCount: Number(c.RestartCount ?? 0),
    restartPolicy: {
      Name: String(policy.Name ?? 'no'),
      MaximumRetryCount: Number(policy.MaximumRetryCount ?? 0),
    },
    hasBeenManuallyStopped: c.HasBeenManuallyStopped === true,
    ...updated(h, memory),
    ...sandboxOf(c),
    // The stdio it was made with: a restored -i or -t container is attachable as before.
    ...storedStdio(cfg),
    config: storedConfig(cfg),
    rwKey: id,
    spec: undefined,
    ip: endpoints.bridge?.ip ?? '',
    stopping: false,
    attached: false,
  };
}

import { isJsonObject, type JsonObject, type JsonValue } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import { containerStatus, type ContainerStateName } from '../../../views/docker/containerStatus.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord } from '../records.ts';
import { hostConfigJson } from './hostConfigJson.ts';
import { createdConfigJson } from './createdConfig.ts';
import { normalise } from './imageLookup.ts';
import { mountsJson } from './mounts.ts';
import { replyOf } from '../../catalogue.ts';
import { apiRequest, asMessage } from './request.ts';
import { isRestarting } from './restartPolicy.ts';
import { apiVersion } from './system.ts';

/**
 * Read-only endpoints. dockerd answers `ps`, `inspect` and `logs` from its own memory and files:
 * containerd is not asked (seed 000 draws it asked; a real Engine's containerd sees no traffic).
 */
export function* ping(d: Daemon, req: Message): OperationProgram {
  // The reply's `Api-Version` header, carried as the version the CLI negotiates with.
  d.reply(req, 200, 'OK', { params: { version: apiVersion(d.profile) } });
  yield* [];
}

function stateOf(c: ContainerRecord): string {
  const snap = c.actor.getSnapshot();
  if (snap.matches({ running: 'paused' })) return 'paused';
  if (isRestarting(c)) return 'restarting';
  if (snap.matches('running')) return 'running';
  if (snap.matches('removing')) return 'removing';
  if (snap.matches('exited')) return 'exited';
  return 'created';
}

/** moby's list: arguments containing a space are wrapped in single quotes (`sh -c 'exit 3'`). */
function commandOf(c: ContainerRecord): string {
  return [c.path, ...c.args.map((a) => (a.includes(' ') ? `'${a}'` : a))].join(' ');
}

export function summary(c: ContainerRecord, now: number, image = c.imageRef): JsonObject {
  const state = stateOf(c);
  const ports: JsonValue[] = c.ports.map((p) => ({
    IP: p.hostIp || '0.0.0.0',
    PrivatePort: p.containerPort,
    PublicPort: p.hostPort,
    Type: p.protocol,
  }));
  return {
    Id: c.id,
    Names: [`/${c.name}`],
    Image: image,
    ImageID: c.image.id,
    Command: commandOf(c),
    Created: Math.floor(c.createdMs / 1000),
    Ports: ports,
    Labels: {},
    NetworkSettings: { Networks: networksJson(c) },
    Mounts: mountsJson(c.mounts),
    State: state,
    Status: containerStatus(
      {
        status: state as ContainerStateName,
        exitCode: c.exitCode,
        startedAtMs: c.startedMs,
        finishedAtMs: c.finishedMs,
      },
      now,
    ),
    HostConfig: { NetworkMode: c.networkMode === 'default' ? 'bridge' : c.networkMode },
  };
}

export function* containerList(d: Daemon, req: Message): OperationProgram {
  const { query } = apiRequest(req);
  if (d.profile === 'classic')
    d.self('dockerd.listContainers', 'list containers from memory (no containerd call)', {
      fidelity: 'fidelity.psNoContainerd',
    });
  else
    d.self('dockerd.listContainers', 'list containers from memory', {
      narration: 'dockerd.listContainers.v29',
    });
  // One state read per container: each is a snapshot match over its actor.
  const listed = (c: ContainerRecord): boolean => {
    if (query.all === '1') return true;
    const state = stateOf(c);
    return state === 'running' || state === 'paused' || state === 'restarting';
  };
  const all = [...d.containers.values()].filter(listed).sort((a, b) => b.createdMs - a.createdMs);
  const list: JsonObject[] = [];
  for (const c of all) list.push(summary(c, d.now(), yield* imageColumn(d, c)));
  d.reply(req, 200, list, { params: { count: list.length } });
}

/**
 * moby list.go refreshImage keeps the reference the container was created from only while it
 * still names the same image; after `rmi -f` the summary shows the image id (the CLI prints it
 * short). Classic reads its own reference store; Engine 29's GetImage asks containerd's image
 * service, one Images.Get per listed container whose reference is not its image id (moby
 * docker-v29.0.0 daemon/list.go refreshImage → daemon/containerd/image.go GetImage).
 */
function* imageColumn(d: Daemon, c: ContainerRecord): Generator<ReturnType<Daemon['call']>, string, unknown> {
  if (d.profile === 'classic')
    return d.images.get(normalise(c.imageRef))?.id === c.image.id ? c.imageRef : c.image.id;
  if (c.imageRef === c.image.id) return c.imageRef;
  const name = normalise(c.imageRef);
  const reply = asMessage(
    yield d.call('containerd', 'ctrd.Images.Get', `Images.Get(${name})`, {
      payload: { name },
      params: { ref: name },
    }),
  );
  const got = replyOf(reply, 'ctrd.Images.Get');
  return got.ok && (d.namesByConfig ? got.payload.configDigest : got.payload.target.digest) === c.image.id
    ? c.imageRef
    : c.image.id;
}

function iso(ms: number): string {
  return ms === 0 ? '0001-01-01T00:00:00Z' : new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/**
 * ExecIDs: the container's exec store (moby v20.10.24 container.ExecCommands), which holds an exec
 * from its create to its exit and is emptied when the container stops (daemon.Cleanup) or the
 * daemon restarts (it is memory only; x-restore-cp-stats.txt); empty is null.
 */
function execIds(d: Daemon, c: ContainerRecord, state: string): string[] | null {
  if (state !== 'running' && state !== 'paused') return null;
  const ids = [...d.execs.values()]
    .filter((e) => e.containerId === c.id && e.exitCode === null)
    .map((e) => e.id);
  return ids.length > 0 ? ids : null;
}

/**
 * The container's files in its directory: dockerd writes them at its first start (moby
 * container.GetRootResourcePath, the json-file logger), and shows "" before
 * (test/fixtures/real-engine/u-container-files.txt: LogPath "" for a container never started).
 */
function containerPaths(c: ContainerRecord): JsonObject {
  const dir = `/var/lib/docker/containers/${c.id}`;
  const at = (name: string): string => (c.startedMs === 0 ? '' : `${dir}/${name}`);
  return {
    ResolvConfPath: at('resolv.conf'),
    HostnamePath: at('hostname'),
    HostsPath: at('hosts'),
    LogPath: at(`${c.id}-json.log`),
  };
}

export function inspectJson(c: ContainerRecord, d: Daemon): JsonObject {
  const profile = d.profile;
  const state = stateOf(c);
  return {
    Id: c.id,
    Created: iso(c.createdMs),
    Path: c.path,
    Args: c.args,
    State: {
      Status: state,
      Running: state === 'running' || state === 'paused' || state === 'restarting',
      Paused: state === 'paused',
      Restarting: state === 'restarting',
      OOMKilled: c.oomKilled,
      Dead: false,
      Pid: c.pid,
      ExitCode: c.exitCode,
      Error: c.error,
      StartedAt: iso(c.startedMs),
      FinishedAt: iso(c.finishedMs),
    },
    Image: c.image.id,
    ...containerPaths(c),
    Name: `/${c.name}`,
    RestartCount: c.restartCount,
    Driver: profile === 'v29' ? 'overlayfs' : 'overlay2',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: execIds(d, c, state),
    HostConfig: hostConfigJson(c),
    Mounts: mountsJson(c.mounts),
    Config: configJson(c),
    NetworkSettings: networkSettingsJson(d, c),
  };
}

/**
 * NetworkSettings in dockerd 20.10's order (moby api/types NetworkSettings): the sandbox libnetwork
 * made at the first start (its id and key stay after a stop, z2-host-inspect.txt part 2), the
 * default bridge's endpoint in the legacy top-level fields, no IPv6 (the bridge has none).
 */
function networkSettingsJson(d: Daemon, c: ContainerRecord): JsonObject {
  return {
    Bridge: '',
    SandboxID: c.sandboxId ?? '',
    HairpinMode: false,
    LinkLocalIPv6Address: '',
    LinkLocalIPv6PrefixLen: 0,
    Ports: portsJson(c),
    SandboxKey: c.sandboxKey ?? '',
    SecondaryIPAddresses: null,
    SecondaryIPv6Addresses: null,
    EndpointID: c.endpoints.bridge?.id ?? '',
    Gateway: c.endpoints.bridge?.gateway ?? (c.networkMode === 'bridge' && c.ip ? '172.17.0.1' : ''),
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    IPAddress: c.endpoints.bridge?.ip ?? (c.networkMode === 'bridge' ? c.ip : ''),
    IPPrefixLen: c.endpoints.bridge?.prefixLen ?? 0,
    IPv6Gateway: '',
    MacAddress: c.endpoints.bridge?.mac ?? '',
    Networks: withNetworkIds(d, c, networksJson(c)),
  };
}

/** Config in dockerd 20.10's order (g-inspect-container-running.json, x-restore-cp-stats.txt part 5). */
function configJson(c: ContainerRecord): JsonObject {
  const created = createdConfigJson(c.config, [c.path, ...c.args]);
  return {
    Hostname: short(c.id),
    Domainname: '',
    User: created.User,
    // As the create asked (the CLI: stdout and stderr unless -d, stdin with -i; z2-host-inspect.txt part 3).
    AttachStdin: c.attachStd?.stdin === true,
    AttachStdout: c.attachStd?.stdout === true,
    AttachStderr: c.attachStd?.stderr === true,
    ...(c.ports.length > 0 ? { ExposedPorts: exposedPorts(c) } : {}),
    Tty: c.tty === true,
    OpenStdin: c.openStdin === true,
    StdinOnce: c.stdinOnce === true,
    // Empty and unset as dockerd 20.10 shows them (g-inspect-container-running.json): no
    // environment is null, and a stop signal nobody set is left out (omitempty).
    Env: c.env.length > 0 ? c.env : null,
    Cmd: created.Cmd,
    Image: c.imageRef,
    Volumes: null,
    WorkingDir: created.WorkingDir,
    Entrypoint: created.Entrypoint,
    OnBuild: null,
    Labels: created.Labels,
    ...(c.stopSignalSet ? { StopSignal: c.stopSignal } : {}),
  };
}

/** Config.ExposedPorts: a published port is exposed too (moby runconfig/opts parse: `-p` adds it). */
function exposedPorts(c: ContainerRecord): JsonObject {
  return Object.fromEntries(c.ports.map((p) => [`${p.containerPort}/${p.protocol}`, {}]));
}

/**
 * Each network's EndpointSettings in dockerd 20.10's order (moby api/types/network
 * EndpointSettings): the network's id and the endpoint's as libnetwork names them, no IPv6.
 */
function withNetworkIds(d: Daemon, c: ContainerRecord, networks: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [name, settings] of Object.entries(networks)) {
    if (!isJsonObject(settings)) continue;
    out[name] = {
      IPAMConfig: null,
      Links: null,
      Aliases: settings.Aliases ?? null,
      NetworkID: d.findNetwork(name)?.id ?? '',
      EndpointID: c.endpoints[name]?.id ?? '',
      Gateway: settings.Gateway ?? '',
      IPAddress: settings.IPAddress ?? '',
      IPPrefixLen: settings.IPPrefixLen ?? 0,
      IPv6Gateway: '',
      GlobalIPv6Address: '',
      GlobalIPv6PrefixLen: 0,
      MacAddress: settings.MacAddress ?? '',
      DriverOpts: null,
    };
  }
  return out;
}

/**
 * NetworkSettings.Ports of a running container: each published port with its host binding
 * (`docker port` reads it); a stopped container's is empty.
 */
function portsJson(c: ContainerRecord): JsonObject {
  const out: JsonObject = {};
  if (Object.keys(c.endpoints).length === 0) return out;
  for (const p of c.ports) {
    const key = `${p.containerPort}/${p.protocol}`;
    const list = (out[key] ?? []) as JsonObject[];
    out[key] = [...list, { HostIp: p.hostIp || '0.0.0.0', HostPort: String(p.hostPort) }];
  }
  return out;
}

/**
 * NetworkSettings.Networks: one EndpointSettings per network the container is on. On a
 * user-defined network its aliases end with the container's short id (moby
 * daemon/container_operations.go updateEndpointNetworkSettings); the default bridge has none.
 */
export function networksJson(c: ContainerRecord): JsonObject {
  const names = [
    c.networkMode === 'default' ? 'bridge' : c.networkMode,
    ...c.connected.map((x) => x.network),
  ];
  const out: JsonObject = {};
  for (const name of names) {
    if (name === 'host' || name === 'none' || name === '') continue;
    const e = c.endpoints[name];
    const aliases =
      name === 'bridge'
        ? null
        : [
            ...(c.connected.find((x) => x.network === name)?.aliases ??
              (name === c.networkMode ? c.aliases : [])),
            short(c.id),
          ];
    out[name] = {
      Aliases: aliases,
      IPAddress: e?.ip ?? '',
      IPPrefixLen: e ? e.prefixLen : 0,
      Gateway: e?.gateway ?? '',
      MacAddress: e?.mac ?? '',
    };
  }
  return out;
}

export function* containerInspect(d: Daemon, req: Message): OperationProgram {
  const { target } = apiRequest(req);
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  d.self('dockerd.inspect', `read container ${short(c.id)} from memory`);
  d.reply(req, 200, inspectJson(c, d));
  yield* [];
}

export function* containerLogs(d: Daemon, req: Message): OperationProgram {
  const { target, query } = apiRequest(req);
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  const tail = query.tail === undefined || query.tail === 'all' ? undefined : Number(query.tail);
  const lines = d.ports.logs.read(c.id, tail);
  d.self('dockerd.readLogs', `read ${d.ports.logs.pathOf(short(c.id) + '…')}`, {
    fidelity: 'fidelity.logsNoShim',
    params: { lines: lines.length },
  });
  // Real mode reads the json-file log and streams its frames as it reads (a follow until the
  // container's streams end); the simulation's lines are the reply's.
  // A TTY's log is one stream, answered raw (not multiplexed) as dockerd does.
  const streamed = yield* d.work('streamLogs', { id: c.id, query, tty: c.tty === true }, () => ({}));
  if (!streamed.ok) return d.error(req, 500, streamed.error);
  d.reply(
    req,
    200,
    lines.map((l) => ({ stream: l.stream, text: l.text, time: l.timeMs })),
    { params: { lines: lines.length } },
  );
  yield* [];
}

/** `POST /containers/{id}/wait`: answer when the condition holds (next-exit, not-running, removed). */
export function* containerWait(d: Daemon, req: Message): OperationProgram {
  const { target, query } = apiRequest(req);
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  const condition = query.condition ?? 'not-running';
  const running = c.actor.getSnapshot().matches('running') || c.actor.getSnapshot().matches('starting');
  let status: unknown = c.exitCode;
  if (condition === 'removed') status = yield { kind: 'waitFor', topic: `removed:${c.id}` };
  else if (condition === 'next-exit' || running) status = yield { kind: 'waitFor', topic: `exit:${c.id}` };
  d.reply(req, 200, { StatusCode: Number(status), Error: null }, { params: { code: Number(status) } });
}

/** `POST /containers/{id}/attach`: the connection is hijacked; output frames follow as events. */
export function* containerAttach(d: Daemon, req: Message): OperationProgram {
  const { target } = apiRequest(req);
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  c.attached = true;
  c.attachedBy = req.from;
  d.containerEvent(c, 'attach');
  // The container's full id goes with the answer: what is hijacked next is that container's output.
  d.reply(
    req,
    101,
    {
      Id: c.id,
      ...(c.tty === true ? { Tty: true } : {}),
      ...(c.openStdin === true ? { OpenStdin: true } : {}),
      ...(c.stdinOnce === true ? { StdinOnce: true } : {}),
    },
    { narration: 'api.containers.attach.reply' },
  );
  yield* [];
}

/** `GET /events?since=…&until=…`: past events from the daemon's ring buffer. */
export function* events(d: Daemon, req: Message): OperationProgram {
  const { query } = apiRequest(req);
  const since = query.since === undefined ? 0 : Number(query.since);
  const until = query.until === undefined ? Number.POSITIVE_INFINITY : Number(query.until);
  const list = d.events.filter((e) => e.time >= since && e.time <= until);
  d.reply(req, 200, list as unknown as JsonValue, { params: { count: list.length } });
  yield* [];
}

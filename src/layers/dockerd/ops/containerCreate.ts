import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { PortBinding } from '../../../ports/network.ts';
import type { OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord } from '../records.ts';
import { createdConfig } from './createdConfig.ts';
import { lookupImage, normalise } from './imageLookup.ts';
import { mountsConfigError, mountsJson, registerMountPoints } from './mounts.ts';
import { attachVolumes, bindSourcesError } from './volumeMounts.ts';
import { apiRequest, asMessage } from './request.ts';
import { deleteLease } from './rootfs.ts';
import { restartPolicyError, restartPolicyOf } from '../restartManager.ts';

export const VALID_NAME = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/**
 * `POST /containers/create` (moby daemon/create.go): check HostConfig.Mounts, the image, reserve
 * the name, create the container's read-write layer, register its mount points (a bad `-v`
 * spec fails here, and the layer is removed again), write its config. No containerd object is
 * made here — the containerd container and task appear at start.
 */
export function* containerCreate(d: Daemon, req: Message): OperationProgram {
  const { query, body } = apiRequest(req);
  const host = (body.HostConfig ?? {}) as JsonObject;
  const mountsError = mountsConfigError((host.Mounts ?? []) as JsonObject[]);
  if (mountsError) return d.error(req, mountsError.code, mountsError.message);
  const missingSource = yield* bindSourcesError(d, (host.Mounts ?? []) as JsonObject[]);
  if (missingSource) return d.error(req, 400, missingSource);
  // verifyContainerSettings → validateRestartPolicy (moby daemon/container.go), before the image.
  const portError = portBindingsError(host.PortBindings);
  if (portError) return d.error(req, 400, portError);
  const policyError = restartPolicyError(restartPolicyOf(host));
  if (policyError) return d.error(req, 400, policyError);
  // verifyPlatformContainerSettings, still before the image (u-create-refusals.txt).
  const memory = Number(host.Memory ?? 0) || 0;
  if (memory > 0 && memory < 6 * 1024 * 1024) return d.error(req, 400, 'Minimum memory limit allowed is 6MB');
  const imageRef = String(body.Image ?? '');
  const image = yield* lookupImage(d, imageRef);
  if (!image) return d.error(req, 404, `No such image: ${shortRef(imageRef)}`);
  const name = query.name ?? freeName(d);
  if (query.name !== undefined && !VALID_NAME.test(name)) {
    return d.error(req, 400, `Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  }
  const clash = d.findContainer(name);
  if (clash && clash.name === name) {
    return d.error(
      req,
      409,
      `Conflict. The container name "/${name}" is already in use by container "${clash.id}". You have to remove (or rename) that container to be able to reuse that name.`,
    );
  }
  const id = d.ports.ids.id64();
  const record = newRecord(d, id, name, imageRef, image, body);
  d.containers.set(id, record);
  yield* createRwLayer(d, record);
  const points = registerMountPoints(record.binds, record.mountSpecs);
  if ('message' in points) {
    yield* cleanupFailedCreate(d, record);
    return d.error(req, points.code, points.message);
  }
  record.mounts = points;
  const volumeFailure = yield* attachVolumes(d, record, body);
  if (volumeFailure) {
    yield* cleanupFailedCreate(d, record);
    return d.error(req, volumeFailure.code, volumeFailure.message);
  }
  if (points.length > 0)
    d.self(
      'dockerd.mountPoints',
      `register mount points: ${points.map((p) => `${p.Source} → ${p.Destination}${p.RW ? '' : ' (ro)'}`).join(', ')}`,
      { params: { count: points.length, first: points[0]?.Source ?? '' }, payload: mountsJson(points) },
    );
  d.self(
    'dockerd.writeConfig',
    `write /var/lib/docker/containers/${short(id)}…/config.v2.json, hostconfig.json`,
    { params: { id: short(id) } },
  );
  d.containerEvent(record, 'create');
  d.reply(req, 201, { Id: id, Warnings: [] }, { params: { id: short(id) } });
}

/**
 * A generated name no container has (moby daemon/names.go generateNewName: up to six draws, a
 * digit added from the second on; then the short id, which the caller's new id gives).
 */
function freeName(d: Daemon): string {
  for (let i = 0; i < 6; i++) {
    const name = `${d.ports.ids.name()}${i > 0 ? String(Number.parseInt(d.ports.ids.hex(2), 16) % 10) : ''}`;
    if (d.findContainer(name)?.name !== name) return name;
  }
  return short(d.ports.ids.id64());
}

/**
 * validatePortBindings (moby daemon/container.go): each container port a number (nat.ParsePort),
 * each host port empty, a number or a range (nat.NewPort).
 */
function portBindingsError(bindings: unknown): string | undefined {
  if (typeof bindings !== 'object' || bindings === null || Array.isArray(bindings)) return undefined;
  const port = /^(\d+)$/;
  const range = /^(\d+)(-(\d+))?$/;
  const inRange = (p: string, re: RegExp) =>
    p === '' || (re.test(p) && p.split('-').every((n) => Number(n) <= 65_535));
  for (const [key, list] of Object.entries(bindings)) {
    const containerPort = key.split('/')[0] ?? '';
    if (!inRange(containerPort, port)) return `invalid port specification: "${containerPort}"`;
    for (const b of Array.isArray(list) ? (list as unknown[]) : []) {
      const hostPort =
        typeof b === 'object' && b !== null ? (b as Record<string, unknown>).HostPort : undefined;
      const text = typeof hostPort === 'string' ? (hostPort.split('/')[0] ?? '') : '';
      if (!inRange(text, range))
        return `invalid port specification: "${typeof hostPort === 'string' ? hostPort : ''}"`;
    }
  }
  return undefined;
}

function shortRef(ref: string): string {
  const full = normalise(ref);
  return full.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '');
}

export function newRecord(
  d: Daemon,
  id: string,
  name: string,
  imageRef: string,
  image: ContainerRecord['image'],
  body: Record<string, unknown>,
): ContainerRecord {
  const cfg = image.config.config ?? {};
  const host = (body.HostConfig ?? {}) as Record<string, unknown>;
  const config = createdConfig(body, cfg);
  const argv = [...(config.entrypoint ?? []), ...(config.cmd ?? [])];
  const actor = d.spawnContainer(id);
  return {
    id,
    name,
    imageRef,
    image,
    path: argv[0] ?? '',
    args: argv.slice(1),
    env: [...(cfg.Env ?? []), ...((body.Env as string[] | undefined) ?? [])],
    autoRemove: host.AutoRemove === true,
    memory: Number(host.Memory ?? 0),
    ports: portBindings(host.PortBindings),
    binds: (host.Binds as string[] | undefined) ?? [],
    mountSpecs: (host.Mounts as JsonObject[] | undefined) ?? [],
    mounts: [],
    networkMode: String(host.NetworkMode ?? 'bridge'),
    aliases: aliasesOf(body, String(host.NetworkMode ?? 'bridge')),
    connected: [],
    endpoints: {},
    stopSignal: String(body.StopSignal ?? cfg.StopSignal ?? 'SIGTERM'),
    stopSignalSet: (body.StopSignal ?? cfg.StopSignal ?? '') !== '',
    stopTimeout: typeof body.StopTimeout === 'number' ? body.StopTimeout : undefined,
    createdMs: d.now(),
    startedMs: 0,
    finishedMs: 0,
    pid: 0,
    exitCode: 0,
    oomKilled: false,
    error: '',
    restartCount: 0,
    restartPolicy: restartPolicyOf(host),
    hasBeenManuallyStopped: false,
    rwKey: id,
    spec: undefined,
    ip: '',
    actor,
    stopping: false,
    attached: false,
    ...stdioOf(body),
    config,
  };
}

/** Config.Tty, OpenStdin, StdinOnce and AttachStd* as the create body set them. */
function stdioOf(
  body: Record<string, unknown>,
): Pick<ContainerRecord, 'tty' | 'openStdin' | 'stdinOnce' | 'attachStd'> {
  return {
    ...(body.Tty === true ? { tty: true } : {}),
    ...(body.OpenStdin === true ? { openStdin: true } : {}),
    ...(body.StdinOnce === true ? { stdinOnce: true } : {}),
    attachStd: {
      stdin: body.AttachStdin === true,
      stdout: body.AttachStdout === true,
      stderr: body.AttachStderr === true,
    },
  };
}

/**
 * HostConfig.PortBindings as the Engine API has it (`{"80/tcp": [{"HostIp": "", "HostPort":
 * "8080"}]}`, moby api/types/container/hostconfig.go nat.PortMap), or already as bindings.
 */
export function portBindings(value: unknown): PortBinding[] {
  if (Array.isArray(value)) return value as PortBinding[];
  if (typeof value !== 'object' || value === null) return [];
  const out: PortBinding[] = [];
  for (const [key, list] of Object.entries(value as Record<string, unknown>)) {
    const [port = '', proto = 'tcp'] = key.split('/');
    for (const b of Array.isArray(list) ? (list as Record<string, unknown>[]) : []) {
      out.push({
        hostIp: typeof b.HostIp === 'string' ? b.HostIp : '',
        hostPort: Number(b.HostPort ?? 0),
        containerPort: Number(port),
        protocol: proto === 'udp' ? 'udp' : 'tcp',
      });
    }
  }
  return out;
}

/**
 * daemon.create's deferred cleanupContainer: the new layer goes again, the name is free, and the
 * removal is logged as any removal is — a `destroy` with no `create` before it (dockerd 20.10,
 * u-create-refusals.txt: `-v /tmp:relative`, `-v /tmp:/x:badmode`).
 */
function* cleanupFailedCreate(d: Daemon, c: ContainerRecord): OperationProgram {
  if (d.profile === 'v29') yield* deleteLease(d, c);
  else
    yield d.call('Storage', 'storage.remove', `overlay2 Remove(${short(c.id)}…)`, {
      payload: { driver: 'overlay2', key: c.rwKey },
    });
  c.actor.stop();
  d.containers.delete(c.id);
  d.containerEvent(c, 'destroy');
}

/** What initlayer.Setup puts in the init layer, so the container's own files can be bind-mounted over them. */
const INIT_PATHS =
  '/dev/pts, /dev/shm, /proc, /sys, /.dockerenv, /etc/resolv.conf, /etc/hosts, /etc/hostname, /dev/console, /etc/mtab';

/**
 * The container's writable layer, on an init layer on top of the image's top layer (moby
 * daemon/initlayer Setup). Classic: the layer store's graphdriver makes `<id>-init` and the
 * container's layer on it (v20.10.24 layer/layer_store.go initMount, CreateRWLayer). v29: dockerd
 * prepares `<id>-init-key`, sets it up in a temporary mount, commits it as `<id>-init` and prepares
 * the container's snapshot on it, all under a lease named after the container (docker-v29.0.0
 * daemon/containerd/image_snapshot.go createLayer, prepareInitLayer).
 */
export function* createRwLayer(d: Daemon, c: ContainerRecord): OperationProgram {
  const top = c.image.layers[c.image.layers.length - 1]?.chainId;
  const parentText = `${top?.slice(7, 19) ?? '-'}…`;
  if (d.profile === 'v29') {
    const init = `${c.id}-init`;
    const initKey: JsonObject = { key: `${init}-key` };
    if (top !== undefined) initKey.parent = top;
    yield d.call(
      'containerd',
      'ctrd.Snapshots.Prepare',
      `Snapshots.Prepare(key=${short(c.id)}…-init-key, parent=${parentText})`,
      { payload: initKey },
    );
    d.self(
      'dockerd.initLayer',
      `mount ${short(c.id)}…-init-key in a temp dir; initlayer.Setup: ${INIT_PATHS}`,
    );
    yield d.call(
      'containerd',
      'ctrd.Snapshots.Commit',
      `Snapshots.Commit(${short(c.id)}…-init, key=…-init-key)`,
      {
        payload: { key: `${init}-key`, name: init },
      },
    );
    yield d.call(
      'containerd',
      'ctrd.Snapshots.Prepare',
      `Snapshots.Prepare(key=${short(c.id)}…, parent=${short(c.id)}…-init)`,
      { payload: { key: c.id, parent: init } },
    );
    return;
  }
  const payload: JsonObject = { driver: 'overlay2', key: c.id };
  if (top !== undefined) payload.parent = top;
  asMessage(
    yield d.call(
      'Storage',
      'storage.prepare',
      `overlay2 CreateReadWrite(${short(c.id)}…-init, parent=${parentText}) + initlayer.Setup; CreateReadWrite(${short(c.id)}…, parent=…-init)`,
      { payload },
    ),
  );
}

/** NetworkingConfig.EndpointsConfig[network].Aliases: the `--network-alias` names. */
function aliasesOf(body: Record<string, unknown>, network: string): string[] {
  const config = body.NetworkingConfig as
    { EndpointsConfig?: Record<string, { Aliases?: unknown }> } | undefined;
  const aliases = config?.EndpointsConfig?.[network]?.Aliases;
  return Array.isArray(aliases) ? aliases.map(String) : [];
}

import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { OciSpec } from '../../../model/oci.ts';
import type { Effect, OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord } from '../records.ts';
import { removeContainer } from './containerRemove.ts';
import { byDepth, ociBindMounts } from './mounts.ts';
import { daemonEnvironment } from './environment.ts';
import { apiRequest, asMessage } from './request.ts';

/**
 * The runtime options dockerd hands containerd, as `ctr events` shows them: a protobuf
 * `containerd.runc.v1.Options{binary_name: "runc", root: "/var/run/docker/runtime-runc"}`.
 * https://github.com/containerd/containerd/blob/main/api/types/runc/options/oci.proto
 */
const RUNC_OPTIONS: JsonObject = {
  type_url: 'containerd.runc.v1.Options',
  value: 'MgRydW5jOhwvdmFyL3J1bi9kb2NrZXIvcnVudGltZS1ydW5j',
};

/**
 * `POST /containers/{id}/start` (moby daemon/start.go): connect the network, generate the OCI
 * spec, create the containerd container and task (which starts the shim, which runs
 * `runc create`), then start the task (`runc start`). On a task-create failure everything made
 * so far is undone and the container stays *created* with the exit code the CLI will show.
 */
export function* containerStart(d: Daemon, req: Message): OperationProgram {
  const { target } = apiRequest(req);
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  if (!c.actor.getSnapshot().can({ type: 'START' })) return d.reply(req, 304);
  const failure = yield* startContainer(d, c);
  if (failure) {
    // A failed start still honours --rm: containerStart's deferred cleanup removes the container.
    if (c.autoRemove) yield* removeContainer(d, c);
    return d.error(req, failure.code, failure.message);
  }
  d.reply(req, 204);
}

/** The start sequence, shared by start and restart. Returns an error to report, if any. */
export function* startContainer(
  d: Daemon,
  c: ContainerRecord,
): Generator<Effect, { code: number; message: string } | undefined, unknown> {
  c.actor.send({ type: 'START' });
  c.oomKilled = false;
  const net = yield* connectNetwork(d, c);
  if (net) {
    // The recorded Engine: the endpoint is torn down (a `network disconnect` event with no
    // connect before it), and the container stays Created with exit code 128 and the error.
    d.networkEvent(c, 'disconnect');
    c.exitCode = 128;
    c.error = net;
    c.actor.send({ type: 'START_FAILED' });
    return { code: 500, message: net };
  }
  c.spec = buildSpec(d, c);
  d.self('dockerd.buildSpec', 'generate OCI runtime spec (config.json)', {
    payload: c.spec as unknown as JsonObject,
  });
  if (d.profile === 'classic') {
    yield d.call('Storage', 'storage.mount', `overlay2 Get(${short(c.id)}…): mount rootfs`, {
      payload: { driver: 'overlay2', key: c.rwKey, target: c.spec.root.path },
    });
  }
  const create: JsonObject = {
    id: c.id,
    snapshotKey: c.rwKey,
    spec: c.spec as unknown as JsonObject,
    runtimeOptions: RUNC_OPTIONS,
  };
  // Only the containerd image store names the image on the containerd container (moby start.go).
  if (d.profile === 'v29') create.image = c.image.name;
  yield d.call(
    'containerd',
    'ctrd.Containers.Create',
    `Containers.Create(${short(c.id)}…, runtime=io.containerd.runc.v2)`,
    { payload: create },
  );
  const created = asMessage(
    yield d.call('containerd', 'ctrd.Tasks.Create', `Tasks.Create(${short(c.id)}…, stdio fifos)`, {
      payload: { id: c.id },
    }),
  );
  if (!created?.ok)
    return yield* undoFailedStart(
      d,
      c,
      String((created?.payload as JsonObject | undefined)?.error ?? 'unknown'),
    );
  c.pid = Number((created.payload as JsonObject).pid ?? 0);
  yield d.call('containerd', 'ctrd.Tasks.Start', `Tasks.Start(${short(c.id)}…)`, { payload: { id: c.id } });
  c.startedMs = d.now();
  c.exitCode = 0;
  c.error = '';
  // moby containerStart: SetRunning, then CheckpointTo (config.v2.json written to disk), then the
  // `start` event. A process that exits at once often publishes /tasks/exit before that event;
  // its exit handling waits for the container lock, so `die` still comes after `start`.
  d.self(
    'dockerd.checkpoint',
    `write /var/lib/docker/containers/${short(c.id)}…/config.v2.json (running, pid ${c.pid})`,
    { params: { id: short(c.id) } },
  );
  yield { kind: 'sleep', ms: CHECKPOINT_MS };
  c.actor.send({ type: 'STARTED' });
  d.containerEvent(c, 'start');
  d.waiters.notify(`started:${c.id}`, c.pid);
  return undefined;
}

/** Virtual time dockerd spends writing the container's state before it logs `start`. */
const CHECKPOINT_MS = 2;

function* connectNetwork(
  d: Daemon,
  c: ContainerRecord,
): Generator<ReturnType<Daemon['call']>, string | undefined, unknown> {
  if (c.networkMode === 'none' || c.networkMode === 'host') return undefined;
  const reply = asMessage(
    yield d.call('Network', 'net.connect', `libnetwork bridge: CreateEndpoint + Join(${short(c.id)})`, {
      payload: { containerId: c.id, name: c.name, ports: c.ports as never },
    }),
  );
  if (!reply?.ok) return String((reply?.payload as JsonObject | undefined)?.error ?? 'network error');
  c.ip = String((reply.payload as JsonObject).ip ?? '');
  d.networkEvent(c, 'connect');
  return undefined;
}

function* undoFailedStart(
  d: Daemon,
  c: ContainerRecord,
  error: string,
): Generator<ReturnType<Daemon['call']>, { code: number; message: string }, unknown> {
  yield d.call('containerd', 'ctrd.Containers.Delete', `Containers.Delete(${short(c.id)}…)`, {
    payload: { id: c.id },
  });
  yield* disconnectNetwork(d, c);
  yield* unmountRootfs(d, c);
  const message = `failed to create shim task: OCI runtime create failed: ${error}: unknown`;
  c.exitCode = /permission denied/.test(error) ? 126 : 127;
  c.error = message;
  c.attached = false;
  c.actor.send({ type: 'START_FAILED' });
  return { code: 400, message };
}

/** daemon.Cleanup unmounts the rootfs after releasing the network (classic: overlay2 Put). */
export function* unmountRootfs(
  d: Daemon,
  c: ContainerRecord,
): Generator<ReturnType<Daemon['call']>, void, unknown> {
  if (d.profile !== 'classic') return;
  yield d.call('Storage', 'storage.umount', `overlay2 Put(${short(c.id)}…): umount rootfs`, {
    payload: { driver: 'overlay2', key: c.rwKey, target: 'merged' },
  });
}

export function* disconnectNetwork(
  d: Daemon,
  c: ContainerRecord,
): Generator<ReturnType<Daemon['call']>, void, unknown> {
  if (c.networkMode === 'none' || c.networkMode === 'host') return;
  yield d.call('Network', 'net.disconnect', `libnetwork bridge: Leave + DeleteEndpoint(${short(c.id)})`, {
    payload: { containerId: c.id },
  });
  d.networkEvent(c, 'disconnect');
}

function buildSpec(d: Daemon, c: ContainerRecord): OciSpec {
  const netns =
    c.networkMode === 'none'
      ? { type: 'network' as const }
      : { type: 'network' as const, path: `/var/run/docker/netns/${short(c.id)}` };
  const spec: OciSpec = {
    ociVersion: '1.1.0',
    process: {
      terminal: false,
      user: { uid: 0, gid: 0 },
      args: [c.path, ...c.args],
      env: daemonEnvironment(c),
      cwd: c.image.config.config?.WorkingDir || '/',
    },
    root: {
      path: d.profile === 'v29' ? 'rootfs' : `/var/lib/docker/overlay2/${short(c.id)}…/merged`,
      readonly: false,
    },
    hostname: short(c.id),
    // The OCI base-image annotation names where a built image's programs come from.
    annotations: {
      'org.opencontainers.image.ref.name': c.image.name,
      ...(c.image.base ? { 'org.opencontainers.image.base.name': c.image.base } : {}),
    },
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
      {
        destination: '/dev',
        type: 'tmpfs',
        source: 'tmpfs',
        options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'],
      },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
      // The container's own mounts (its bind mounts, then dockerd's per-container files), by depth.
      ...byDepth([
        ...ociBindMounts(c.mounts),
        {
          destination: '/etc/hosts',
          type: 'bind',
          source: `/var/lib/docker/containers/${c.id}/hosts`,
          options: ['rbind', 'rprivate'],
        },
      ]),
    ],
    linux: {
      namespaces: [
        { type: 'mount' },
        netns,
        { type: 'uts' },
        { type: 'pid' },
        { type: 'ipc' },
        { type: 'cgroup' },
      ],
      cgroupsPath: `system.slice:docker:${c.id}`,
      resources: c.memory > 0 ? { memory: { limit: c.memory } } : {},
      maskedPaths: ['/proc/kcore', '/proc/keys', '/sys/firmware'],
      readonlyPaths: ['/proc/bus', '/proc/sys', '/proc/sysrq-trigger'],
    },
  };
  return spec;
}

import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { OciNamespace, OciSpec } from '../../../model/oci.ts';
import type { Effect, OperationProgram } from '../../operation.ts';

/** A program step that returns a value to its caller. */
type OperationProgramOf<T> = Generator<Effect, T, unknown>;
import { short } from '../../post.ts';
import { cgroupHost } from '../../../model/cgroupHost.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord, NetworkRecord } from '../records.ts';
import { removeContainer } from './containerRemove.ts';
import { byDepth, ociBindMounts } from './mounts.ts';
import { setupMounts } from './volumeMounts.ts';
import { specUser } from './specUser.ts';
import { daemonEnvironment } from './environment.ts';
import { apiRequest, asMessage } from './request.ts';
import { resetRestartManager } from './restartPolicy.ts';
import { mountGraphdriver, mountSnapshot, unmountSnapshot, v29RootfsPath } from './rootfs.ts';
import { attachmentsOf, joinNetwork, leaveNetwork } from './networkConnect.ts';

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
 * `POST /containers/{id}/start` (moby daemon/start.go): generate the OCI spec, create the
 * containerd container and task (which starts the shim, which runs `runc create`), then start the
 * task (`runc start`). The network is connected before the spec in classic (20.10
 * initializeNetworking → allocateNetwork), and after Tasks.Create in v29 (initializeCreatedTask:
 * SetKey on the init's netns, then allocateNetwork, before Tasks.Start). On a failure everything
 * made so far is undone and the container stays *created* with the exit code the CLI will show.
 */
export function* containerStart(d: Daemon, req: Message): OperationProgram {
  const { target } = apiRequest(req);
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  // A restarting container is running to dockerd: nothing to start (moby start.go IsRunning).
  const snap = c.actor.getSnapshot();
  if (snap.matches('running') || !snap.can({ type: 'START' })) return d.reply(req, 304);
  resetRestartManager(d, c);
  const failure = yield* startContainer(d, c);
  if (failure) {
    // A failed start still honours --rm: containerStart's deferred cleanup removes the container.
    if (c.autoRemove) yield* removeContainer(d, c, true);
    return d.error(req, failure.code, failure.message);
  }
  d.reply(req, 204);
}

/** The topic a start's end is told on, started or failed: what waited for its lock goes on. */
export const startEndedTopic = (c: ContainerRecord): string => `start-ended:${c.id}`;

/**
 * The start sequence, shared by start and restart. Returns an error to report, if any. The
 * whole start holds the container's lock (moby daemon/start.go containerStart), so a stop that
 * came meanwhile waits for its end, whichever way it ends.
 */
export function* startContainer(
  d: Daemon,
  c: ContainerRecord,
): Generator<Effect, { code: number; message: string } | undefined, unknown> {
  const failure = yield* startSteps(d, c);
  d.waiters.notify(startEndedTopic(c), failure === undefined ? c.pid : failure.message);
  return failure;
}

function* startSteps(
  d: Daemon,
  c: ContainerRecord,
): Generator<Effect, { code: number; message: string } | undefined, unknown> {
  c.actor.send({ type: 'START' });
  c.oomKilled = false;
  // A network the container names that does not exist ends the start before anything is made.
  const missing = attachmentsOf(d, c).find((a) => typeof a === 'string');
  if (missing !== undefined) {
    c.actor.send({ type: 'START_FAILED' });
    return { code: 404, message: `network ${missing} not found` };
  }
  // libnetwork's NewSandbox: a random sandbox id, which names the netns file. `none` and `host`
  // have one too, with no endpoint: a namespace of its own, or the host's (sandboxKey).
  const keyOf = d.ports.network.sandboxKey?.bind(d.ports.network);
  const sandboxId = bridged(c) || keyOf !== undefined ? d.ports.ids.id64() : '';
  if (sandboxId !== '') c.sandboxId = sandboxId;
  if (!bridged(c) && keyOf !== undefined) c.sandboxKey = keyOf(sandboxId, c.networkMode === 'host');
  // Engine 29 mounts the snapshot before the network and the spec (moby start.go conditionalMountOnStart).
  if (d.profile === 'v29') yield* mountSnapshot(d, c);
  const net = d.profile === 'classic' ? yield* connectNetwork(d, c, { sandboxId }) : undefined;
  if (net) return networkFailed(d, c, net);
  c.spec = buildSpec(d, c);
  const userFailure = yield* specUser(d, c);
  if (userFailure !== undefined) return { code: 500, message: userFailure };
  const mountFailure = yield* setupMounts(d, c);
  if (mountFailure !== undefined) return { code: 500, message: mountFailure };
  d.self('dockerd.buildSpec', 'generate OCI runtime spec (config.json)', {
    payload: c.spec as unknown as JsonObject,
  });
  if (d.profile === 'classic') yield* mountGraphdriver(d, c, c.spec.root.path);
  yield* createCtrdContainer(d, c, c.spec);
  const created = asMessage(
    yield d.call('containerd', 'ctrd.Tasks.Create', `Tasks.Create(${short(c.id)}…, stdio fifos)`, {
      // libcontainerd's Create makes a stdin FIFO when the container keeps stdin open (withStdin).
      payload: { id: c.id, ...(c.openStdin === true ? { stdin: true } : {}) },
    }),
  );
  if (!created?.ok)
    return yield* undoFailedStart(
      d,
      c,
      String((created?.payload as JsonObject | undefined)?.error ?? 'unknown'),
    );
  c.pid = Number((created.payload as JsonObject).pid ?? 0);
  const failed = d.profile === 'v29' ? yield* connectNetwork(d, c, { sandboxId, pid: c.pid }) : undefined;
  if (failed) return yield* undoCreatedTask(d, c, failed);
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

/** The containerd container: metadata only, and no snapshot key in either profile (rootfs.ts). */
function* createCtrdContainer(d: Daemon, c: ContainerRecord, spec: OciSpec): OperationProgramOf<void> {
  const create: JsonObject = { id: c.id, spec: spec as unknown as JsonObject, runtimeOptions: RUNC_OPTIONS };
  // Only the containerd image store names the image on the containerd container (moby start.go).
  if (d.profile === 'v29') create.image = c.image.name;
  yield d.call(
    'containerd',
    'ctrd.Containers.Create',
    `Containers.Create(${short(c.id)}…, runtime=io.containerd.runc.v2)`,
    { payload: create },
  );
}

/** Virtual time dockerd spends writing the container's state before it logs `start`. */
const CHECKPOINT_MS = 2;

/** On a bridge network: the container gets a sandbox and endpoints (not with none or host). */
const bridged = (c: ContainerRecord): boolean => c.networkMode !== 'none' && c.networkMode !== 'host';

/**
 * Connect the container to each network it is on. v29: its init exists (Tasks.Create), in the
 * network namespace runc made; libnetwork takes `/proc/<pid>/ns/net` as the sandbox's key
 * (SetKey, bind-mounted under the sandbox id), then makes the endpoints. Classic: the endpoints
 * are made first, and the prestart hook `libnetwork-setkey` gives them the namespace during runc
 * create. The first refusal stops the start: the recorded Engine tears the endpoint down (a
 * `network disconnect` event with no connect before it), and the container stays Created with
 * exit code 128 and the error.
 */
function* connectNetwork(
  d: Daemon,
  c: ContainerRecord,
  sandbox: { sandboxId: string; pid?: number },
): OperationProgramOf<NetworkFailure | undefined> {
  for (const a of attachmentsOf(d, c)) {
    if (typeof a === 'string') return { code: 404, message: `network ${a} not found` };
    const failed = yield* joinNetwork(d, c, a, sandbox);
    if (failed) return { code: 500, message: failed, network: a.network };
  }
  return undefined;
}

type NetworkFailure = { code: number; message: string; network?: NetworkRecord };

/**
 * The recorded Engine (classic): the endpoint is torn down (a `network disconnect` event with no
 * connect before it), and the container stays Created with exit code 128 and the error.
 */
function networkFailed(
  d: Daemon,
  c: ContainerRecord,
  failure: NetworkFailure,
): { code: number; message: string } {
  if (failure.network !== undefined) {
    d.networkEvent(c, 'disconnect', failure.network);
    c.exitCode = 128;
    c.error = failure.message;
  }
  c.actor.send({ type: 'START_FAILED' });
  return { code: failure.code, message: failure.message };
}

/**
 * v29: the network failed after Tasks.Create (a host port already bound, say: dockerd binds it
 * itself). containerStart's deferred cleanups run: the task is force-deleted (its init, which
 * never ran the program, is killed), the containerd container is deleted, then daemon.Cleanup
 * unmounts the root file system (moby daemon/start.go). initializeCreatedTask names the step
 * (docker-v29.0.0 daemon/start_linux.go: "failed to set up container networking").
 */
function* undoCreatedTask(
  d: Daemon,
  c: ContainerRecord,
  error: NetworkFailure,
): Generator<ReturnType<Daemon['call']>, { code: number; message: string }, unknown> {
  yield d.call('containerd', 'ctrd.Tasks.Delete', `Tasks.Delete(${short(c.id)}…, force)`, {
    payload: { id: c.id },
  });
  yield d.call('containerd', 'ctrd.Containers.Delete', `Containers.Delete(${short(c.id)}…)`, {
    payload: { id: c.id },
  });
  c.pid = 0;
  yield* unmountRootfs(d, c);
  return networkFailed(d, c, {
    ...error,
    message: `failed to set up container networking: ${error.message}`,
  });
}

function* undoFailedStart(
  d: Daemon,
  c: ContainerRecord,
  error: string,
): OperationProgramOf<{ code: number; message: string }> {
  yield d.call('containerd', 'ctrd.Containers.Delete', `Containers.Delete(${short(c.id)}…)`, {
    payload: { id: c.id },
  });
  // v29 had made the sandbox but no endpoint yet (that comes after Tasks.Create): releaseNetwork
  // deletes the sandbox and logs `network disconnect` with no driver call.
  if (d.profile === 'v29') {
    if (bridged(c)) d.networkEvent(c, 'disconnect');
  } else yield* disconnectNetwork(d, c);
  yield* unmountRootfs(d, c);
  const message = `failed to create shim task: OCI runtime create failed: ${error}: unknown`;
  c.exitCode = /permission denied/.test(error) ? 126 : 127;
  c.error = message;
  c.attached = false;
  c.actor.send({ type: 'START_FAILED' });
  return { code: 400, message };
}

/** daemon.Cleanup unmounts the rootfs after releasing the network (rootfs.ts). */
export const unmountRootfs = unmountSnapshot;

export function* disconnectNetwork(d: Daemon, c: ContainerRecord): OperationProgramOf<void> {
  for (const name of Object.keys(c.endpoints)) yield* leaveNetwork(d, c, name);
}

/**
 * The spec's network namespace (moby daemon/oci_linux.go WithNamespaces): for the bridge (and
 * none) no path, so runc creates a new one; the host's for `--network host` (20.10: the default
 * sandbox's key; v29: no network namespace in the spec at all).
 */
function networkNamespace(d: Daemon, c: ContainerRecord): OciNamespace[] {
  if (c.networkMode !== 'host') return [{ type: 'network' }];
  return d.profile === 'classic' ? [{ type: 'network', path: '/var/run/docker/netns/default' }] : [];
}

/**
 * 20.10's `libnetwork-setkey` prestart hook (moby v20.10.24 daemon/oci_linux.go WithLibnetwork),
 * for a network namespace runc creates: runc runs dockerd's own binary during `runc create`, which
 * hands the new namespace to libnetwork (SetKey). dockerd names itself `/proc/<its pid>/exe`; the
 * simulated dockerd names its binary. The controller id is drawn from the bridge network id, so it
 * costs no random draw and stays the same.
 */
function setKeyHook(d: Daemon, c: ContainerRecord): NonNullable<OciSpec['hooks']> {
  const controller = d.ports.network.bridge.id.slice(-12);
  const args = ['libnetwork-setkey', '-exec-root=/var/run/docker', c.id, controller];
  return { prestart: [{ path: '/usr/sbin/dockerd', args }] };
}

function buildSpec(d: Daemon, c: ContainerRecord): OciSpec {
  const spec: OciSpec = {
    ociVersion: '1.1.0',
    process: {
      terminal: c.tty === true,
      user: { uid: 0, gid: 0 },
      args: [c.path, ...c.args],
      env: daemonEnvironment(c, c.tty === true),
      // `-w`, else the image's WORKDIR (createdConfig.ts), else the root.
      cwd: (c.config?.workingDir ?? c.image.config.config?.WorkingDir) || '/',
    },
    root: {
      path: d.profile === 'v29' ? v29RootfsPath(c.id) : `/var/lib/docker/overlay2/${short(c.id)}…/merged`,
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
    ...(d.profile === 'classic' && c.networkMode !== 'host' ? { hooks: setKeyHook(d, c) } : {}),
    linux: {
      namespaces: [
        { type: 'mount' },
        ...networkNamespace(d, c),
        { type: 'uts' },
        { type: 'pid' },
        { type: 'ipc' },
        { type: 'cgroup' },
      ],
      cgroupsPath: cgroupHost(d.profile).path(c.id),
      resources: c.memory > 0 ? { memory: { limit: c.memory } } : {},
      maskedPaths: ['/proc/kcore', '/proc/keys', '/sys/firmware'],
      readonlyPaths: ['/proc/bus', '/proc/sys', '/proc/sysrq-trigger'],
    },
  };
  return spec;
}

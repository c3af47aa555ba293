import type { JsonObject } from '../../model/json.ts';
import type { OciSpec } from '../../model/oci.ts';
import { builtLayer } from '../dockerd/ops/buildImage.ts';
import { asMessage } from '../dockerd/ops/request.ts';
import type { ImageRecord } from '../dockerd/records.ts';
import type { CachedResult } from './builder.ts';
import type { SolveJob } from './buildkit.ts';
import type { Vertex } from './llb.ts';

/**
 * BuildKit's ops on containerd snapshots. A file op (WORKDIR's mkdir, COPY) mounts a new
 * snapshot on its input and writes into it in-process; an exec op (RUN) mounts one as the root
 * of a container that BuildKit's runc executor runs with `runc run` from its own executor
 * directory — no containerd task and no shim, so no task events and no docker events — with its
 * output read from the pipes runc was given. Either way the snapshot is committed as the op's
 * result, named by its layer's chain id.
 * https://github.com/moby/buildkit/blob/master/executor/runcexecutor/executor.go
 */
type Gen<T> = Generator<ReturnType<SolveJob['b']['call']>, T, unknown>;
type Failure = { error: string };

const EXECUTOR = '/var/lib/docker/buildkit/executor';

function* prepare(job: SolveJob, key: string, parent: string | undefined): Gen<void> {
  yield job.b.call(
    'containerd',
    'ctrd.Snapshots.Prepare',
    `Snapshots.Prepare(${key.slice(0, 12)}, parent=${parent?.slice(7, 19) ?? '-'})`,
    { payload: { key, ...(parent ? { parent } : {}) }, narration: 'buildkit.Snapshots.Prepare' },
  );
}

function* commit(job: SolveJob, key: string, name: string): Gen<void> {
  yield job.b.call(
    'containerd',
    'ctrd.Snapshots.Commit',
    `Snapshots.Commit(${name.slice(7, 19)}…, ${key.slice(0, 12)})`,
    { payload: { key, name }, narration: 'buildkit.Snapshots.Commit' },
  );
}

function* fileOp(job: SolveJob, vertex: Vertex, parent: string | undefined): Gen<CachedResult> {
  const key = job.b.id();
  yield* prepare(job, key, parent);
  const files =
    vertex.kind === 'COPY'
      ? (vertex.copy?.files ?? []).map((f) => ({ path: f.dest, size: f.size }))
      : [{ path: vertex.config.WorkingDir ?? '/', size: 0 }];
  const what =
    vertex.kind === 'COPY'
      ? `copy ${(vertex.copy?.files ?? [])
          .map((f) => f.src)
          .join(' ')
          .slice(0, 30)} → ${vertex.copy?.files[0]?.dest ?? ''}`
      : `mkdir -p ${vertex.config.WorkingDir ?? '/'}`;
  yield job.b.call('Storage', 'storage.write', `file op: ${what} (in the mounted snapshot)`, {
    payload: { driver: 'overlayfs', key, files },
  });
  // COPY keeps the files' mtimes, so the same files give the same layer.
  const layer = builtLayer(parent, `${vertex.kind} ${vertex.cacheKey}`, files, 0);
  yield* commit(job, key, layer.chainId);
  return { layer, createdMs: job.b.now() };
}

function execSpec(id: string, vertex: Vertex, base: ImageRecord, netns: string): OciSpec {
  return {
    ociVersion: '1.1.0',
    process: {
      terminal: false,
      user: { uid: 0, gid: 0 },
      args: vertex.args ?? [],
      env: vertex.config.Env ?? [],
      cwd: vertex.config.WorkingDir || '/',
    },
    root: { path: `${EXECUTOR}/${id}/rootfs`, readonly: false },
    hostname: 'buildkitsandbox',
    annotations: { 'org.opencontainers.image.base.name': base.base ?? base.name },
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
      {
        destination: '/dev',
        type: 'tmpfs',
        source: 'tmpfs',
        options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'],
      },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    ],
    linux: {
      namespaces: [
        { type: 'mount' },
        { type: 'network', path: netns },
        { type: 'uts' },
        { type: 'pid' },
        { type: 'ipc' },
      ],
      // BuildKit's runc executor: <cgroup parent>/buildkit/<id>, dockerd's parent being `docker`.
      cgroupsPath: `/docker/buildkit/${id}`,
      resources: {},
      maskedPaths: ['/proc/kcore', '/proc/keys', '/sys/firmware'],
      readonlyPaths: ['/proc/bus', '/proc/sys', '/proc/sysrq-trigger'],
    },
  };
}

function* execOp(
  job: SolveJob,
  vertex: Vertex,
  parent: string | undefined,
  base: ImageRecord,
  index: number,
): Gen<CachedResult | Failure> {
  const id = job.b.id();
  yield* prepare(job, id, parent);
  const net = asMessage(
    yield job.b.call(
      'Network',
      'net.connect',
      `libnetwork: bridge endpoint + sandbox for ${id.slice(0, 12)}`,
      { payload: { containerId: id }, narration: 'buildkit.net.connect' },
    ),
  );
  const netns = String(
    ((net?.payload ?? {}) as JsonObject).sandbox ?? `/var/run/docker/netns/${id.slice(0, 12)}`,
  );
  job.b.self('buildkit.executor', `mount the snapshot at ${EXECUTOR}/${id}/rootfs; write config.json`, {
    params: { id: id.slice(0, 12) },
  });
  job.b.pipes.set(id, (_stream, text) => job.progress.log(index, text));
  const spec = execSpec(id, vertex, base, netns);
  const ran = asMessage(
    yield job.b.call(
      'runc',
      'runc.run',
      `runc --log ${EXECUTOR}/runc-log.json --log-format json run --bundle ${EXECUTOR}/${id.slice(0, 12)}… ${id.slice(0, 12)}`,
      { payload: { id, bundle: `${EXECUTOR}/${id}`, spec: spec as unknown as JsonObject } },
    ),
  );
  job.b.pipes.delete(id);
  yield job.b.call(
    'Network',
    'net.disconnect',
    `libnetwork: leave + delete the sandbox of ${id.slice(0, 12)}`,
    { payload: { containerId: id }, narration: 'buildkit.net.disconnect' },
  );
  const p = (ran?.payload ?? {}) as JsonObject;
  const code = ran?.ok ? Number(p.exitStatus ?? 0) : Number(p.exitCode ?? 1);
  if (!ran?.ok || code !== 0) {
    yield job.b.call('containerd', 'ctrd.Snapshots.Remove', `Snapshots.Remove(${id.slice(0, 12)})`, {
      payload: { key: id },
      narration: 'buildkit.Snapshots.Remove',
    });
    const why = ran?.ok ? `exit code: ${code}` : String(p.error ?? 'runc run failed');
    return { error: `process "${(vertex.args ?? []).join(' ')}" did not complete successfully: ${why}` };
  }
  // What the process wrote is in the snapshot's upper dir (recorded as the kernel saw the writes).
  const changes = job.b.ports.snapshotter.changes(id);
  const layer = builtLayer(parent, `exec ${id}`, changes, job.b.now());
  yield* commit(job, id, layer.chainId);
  return { layer, createdMs: job.b.now() };
}

/** One LLB vertex: its cache key looked up in cache.db, else the op run. */
export function* runVertex(
  job: SolveJob,
  vertex: Vertex,
  parent: string | undefined,
  base: ImageRecord,
): Gen<CachedResult | Failure> {
  const index = job.progress.vertex(vertex.name);
  const hit = job.noCache ? undefined : job.b.cache.get(vertex.cacheKey);
  job.b.self(
    'buildkit.cache',
    `solver: cache key ${vertex.cacheKey.slice(7, 19)}… ${job.noCache ? 'not looked up (--no-cache)' : hit ? 'found in cache.db' : 'not in cache.db'}`,
    {
      params: { key: vertex.cacheKey.slice(7, 19) },
      narration: hit ? 'buildkit.cache.hit' : 'buildkit.cache.miss',
    },
  );
  if (hit) {
    job.progress.cached(index);
    return hit;
  }
  job.progress.flush();
  const result =
    vertex.kind === 'RUN'
      ? yield* execOp(job, vertex, parent, base, index)
      : yield* fileOp(job, vertex, parent);
  if ('error' in result) {
    job.progress.error(index, result.error);
    return result;
  }
  job.b.cache.set(vertex.cacheKey, result);
  job.progress.done(index);
  return result;
}

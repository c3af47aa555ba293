import type { Effect } from '../../operation.ts';
import type { Daemon } from '../daemon.ts';
import type { VolumeRecord } from './volumes.ts';

/**
 * The local volume driver as dockerd runs it in its own process (moby v20.10.24 volume/service
 * service.go, volume/local/local.go): no other layer is asked. A volume is the directory
 * `<data-root>/volumes/NAME/_data`; making one that exists gives it again, and each create is
 * logged (`volume create`), even of an existing name (q-volumes-prune.txt). The directory work
 * is dockerd's `work` effect: the simulation answers with Docker's path, real mode makes or
 * removes the engine's own (engine/real/volumes.ts).
 */
export const simMountpoint = (name: string): string => `/var/lib/docker/volumes/${name}/_data`;

/** The volume NAME, made when missing; a failure is the driver's text. */
export function* createVolume(
  d: Daemon,
  name: string,
  o: { anonymous?: boolean; labels?: Record<string, string> } = {},
): Generator<Effect, VolumeRecord | string, unknown> {
  let v = d.volumes.get(name);
  if (v === undefined) {
    const createdMs = Math.floor(d.now() / 1000) * 1000;
    const labels = o.labels ?? {};
    // What the volume store keeps beside the directory (its metadata.db): read back at the next start.
    const input = { name, createdMs, labels, anonymous: o.anonymous === true };
    const made = yield* d.work('volumeCreate', input, () => ({ mountpoint: simMountpoint(name) }));
    if (!made.ok) return `create ${name}: ${made.error}`;
    const mountpoint =
      typeof made.output.mountpoint === 'string' ? made.output.mountpoint : simMountpoint(name);
    d.self('dockerd.volumeCreate', `local volume driver: mkdir -p ${mountpoint}`, { params: { name } });
    v = {
      name,
      driver: 'local',
      createdMs,
      mountpoint,
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
      ...(o.anonymous === true ? { anonymous: true } : {}),
    };
    d.volumes.set(name, v);
  }
  d.emit('volume', 'create', name, { driver: v.driver });
  return v;
}

/** The directory goes, then the record; `destroy` is logged unless a prune removes it (it logs none). */
export function* removeVolume(
  d: Daemon,
  v: VolumeRecord,
  o: { event?: boolean } = {},
): Generator<Effect, string | undefined, unknown> {
  const removed = yield* d.work('volumeRemove', { name: v.name, mountpoint: v.mountpoint }, () => ({}));
  if (!removed.ok) return `remove ${v.name}: ${removed.error}`;
  d.self('dockerd.volumeRemove', `local volume driver: rm -rf ${v.mountpoint.replace(/\/_data$/, '')}`, {
    params: { name: v.name },
  });
  d.volumes.delete(v.name);
  if (o.event !== false) d.emit('volume', 'destroy', v.name, { driver: v.driver });
  return undefined;
}

/** The containers (running or not) whose mount points name the volume: it is in use. */
export function volumeUsers(d: Daemon, name: string): string[] {
  return [...d.containers.values()]
    .filter((c) => c.mounts.some((m) => m.Type === 'volume' && m.Name === name))
    .map((c) => c.id);
}

/** One volume as the `loadVolumes` work read it back; anything malformed is skipped. */
function storedVolume(value: unknown): VolumeRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = new Map<string, unknown>(Object.entries(value));
  const [name, mountpoint, createdMs, labels] = ['name', 'mountpoint', 'createdMs', 'labels'].map((k) =>
    v.get(k),
  );
  if (typeof name !== 'string' || typeof mountpoint !== 'string') return undefined;
  const pairs = typeof labels === 'object' && labels !== null ? Object.entries(labels) : [];
  const strings = pairs.filter((e): e is [string, string] => typeof e[1] === 'string');
  return {
    name,
    driver: 'local',
    createdMs: typeof createdMs === 'number' ? createdMs : 0,
    mountpoint,
    ...(strings.length > 0 ? { labels: Object.fromEntries(strings) } : {}),
    ...(v.get('anonymous') === true ? { anonymous: true } : {}),
  };
}

/**
 * The volume store's start (moby v20.10.24 volume/service/store.go restore, volume/local/local.go
 * New): the local driver lists the directories under `<data-root>/volumes`, the store gives each
 * the labels its metadata kept. A process that kept its volumes in memory (the simulation's
 * dockerd) reads nothing new.
 */
export function* loadVolumes(d: Daemon): Generator<Effect, void, unknown> {
  const read = yield* d.work('loadVolumes', {}, () => ({ volumes: [] }));
  const found = read.ok && Array.isArray(read.output.volumes) ? read.output.volumes : [];
  const fresh = found.map(storedVolume).filter((v) => v !== undefined && !d.volumes.has(v.name));
  for (const v of fresh) if (v !== undefined) d.volumes.set(v.name, v);
  if (fresh.length === 0) return;
  d.self('dockerd.restore.volumes', `local volume driver: read ${fresh.length} × volumes/<name>`, {
    params: { count: fresh.length },
  });
}

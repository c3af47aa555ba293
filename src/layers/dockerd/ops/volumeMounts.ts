import type { JsonObject } from '../../../model/json.ts';
import { cleanPath } from '../../../model/paths.ts';
import type { Effect } from '../../operation.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord } from '../records.ts';
import { volumePoint, type MountError } from './mounts.ts';
import { createVolume, removeVolume, volumeUsers } from './volumeStore.ts';

type Program<T> = Generator<Effect, T, unknown>;

/**
 * The volumes of a new container (moby v20.10.24 daemon/create_unix.go
 * createContainerOSSpecificSettings, daemon/volumes_unix.go populateVolumes): an anonymous
 * volume for each VOLUME of the image and of the create's Config.Volumes (`-v /dst`) whose
 * destination no bind or volume already takes; then every volume is made (or found), and an
 * empty one is filled with what the image has at its destination unless `nocopy` was asked
 * (container.CopyImagePathContent). Recorded: test/fixtures/real-engine/u-volumes-in-containers.txt.
 */
export function* attachVolumes(
  d: Daemon,
  c: ContainerRecord,
  body: JsonObject,
): Program<MountError | undefined> {
  const declared = [
    ...Object.keys(c.image.config.config?.Volumes ?? {}),
    ...Object.keys(isObject(body.Volumes) ? body.Volumes : {}),
  ];
  for (const path of declared) {
    const destination = cleanPath(path);
    if (c.mounts.some((m) => m.Destination === destination)) continue;
    c.mounts.push(volumePoint('', destination, '', true, { copyData: true, anonymous: true }));
  }
  for (const point of c.mounts) {
    if (point.Type !== 'volume') continue;
    const name = point.Name === undefined || point.Name === '' ? d.ports.ids.id64() : point.Name;
    const v = yield* createVolume(d, name, point.anonymous === true ? { anonymous: true } : {});
    if (typeof v === 'string') return { code: 500, message: v };
    point.Name = name;
    point.Source = v.mountpoint;
    if (point.copyData !== true) continue;
    const input = { key: c.rwKey, destination: point.Destination, mountpoint: v.mountpoint };
    const copied = yield* d.work('volumePopulate', input, () => ({ copied: false }));
    if (!copied.ok) return { code: 500, message: copied.error };
  }
  return undefined;
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A start's setupMounts (daemon/volumes_unix.go, volume/mounts MountPoint.Setup): a `-v` bind's
 * missing host directory is made (0755, as dockerd's MkdirAllAndChown), each volume is logged as
 * mounted. A failure is the text dockerd wraps as `error while creating mount source path`.
 */
export function* setupMounts(d: Daemon, c: ContainerRecord): Program<string | undefined> {
  const paths = c.mounts.filter((m) => m.Type === 'bind' && m.createHostDir === true).map((m) => m.Source);
  if (paths.length > 0) {
    const made = yield* d.work('bindSourcesCreate', { paths }, () => ({}));
    if (!made.ok) {
      c.actor.send({ type: 'START_FAILED' });
      return `error while creating mount source path '${paths.join(', ')}': ${made.error}`;
    }
  }
  volumeEvents(d, c, 'mount');
  return undefined;
}

/**
 * `--mount type=bind` of a source that is not there is refused at create (volume/mounts
 * validateMountConfigImpl: `bind source path does not exist`); the simulation has every path.
 */
export function* bindSourcesError(d: Daemon, mounts: readonly JsonObject[]): Program<string | undefined> {
  const paths = mounts.filter((m) => m.Type === 'bind').map((m) => String(m.Source ?? ''));
  if (paths.length === 0) return undefined;
  const seen = yield* d.work('bindSourcesMissing', { paths }, () => ({ missing: '' }));
  if (!seen.ok || typeof seen.output.missing !== 'string' || seen.output.missing === '') return undefined;
  return `invalid mount config for type "bind": bind source path does not exist: ${seen.output.missing}`;
}

/**
 * `volume mount` as a started container's volumes are set up (daemon/volumes_unix.go setupMounts),
 * `volume unmount` as they are released after its exit (container.UnmountVolumes).
 */
export function volumeEvents(d: Daemon, c: ContainerRecord, action: 'mount' | 'unmount'): void {
  for (const m of c.mounts) {
    if (m.Type !== 'volume' || m.Name === undefined) continue;
    const driver = m.Driver ?? 'local';
    const attributes: Record<string, string> =
      action === 'mount'
        ? {
            container: c.id,
            destination: m.Destination,
            driver,
            propagation: m.Propagation,
            'read/write': String(m.RW),
          }
        : { container: c.id, driver };
    d.emit('volume', action, m.Name, attributes);
  }
}

/**
 * `rm -v` (and an auto-remove): the container's anonymous volumes go with it, once no other
 * container uses them; named volumes always stay (daemon/mounts.go removeMountPoints).
 */
export function* removeAnonymousVolumes(d: Daemon, c: ContainerRecord): Program<void> {
  for (const m of c.mounts) {
    if (m.Type !== 'volume' || m.anonymous !== true || m.Name === undefined) continue;
    const v = d.volumes.get(m.Name);
    if (v === undefined || volumeUsers(d, v.name).some((id) => id !== c.id)) continue;
    yield* removeVolume(d, v);
  }
}

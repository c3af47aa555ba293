import { isJsonObject, type JsonObject, type JsonValue } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import type { Daemon } from '../daemon.ts';
import { removeContainer } from './containerRemove.ts';
import { apiRequest } from './request.ts';
import { createVolume, removeVolume, volumeUsers } from './volumeStore.ts';

/**
 * Volumes with dockerd's `local` driver (moby v20.10.24 volume/service, volume/local): a volume
 * is a directory /var/lib/docker/volumes/NAME/_data that dockerd makes itself, with no other
 * layer involved; `volume create` of an existing name answers it again (and logs `create`
 * again); a nameless one is named with 64 random hex digits. And `POST /containers/prune`
 * (daemon/prune.go ContainersPrune): every container that is not running is removed, then one
 * `prune` event. Recorded: test/fixtures/real-engine/q-volumes-prune.txt.
 */
export interface VolumeRecord {
  name: string;
  driver: string;
  createdMs: number;
  /** Where the local driver keeps its data (`<data-root>/volumes/NAME/_data`). */
  mountpoint: string;
  /** Made for one container (`-v /dst`, an image's VOLUME): `rm -v` and a default prune remove it. */
  anonymous?: boolean;
  /** `docker volume create --label k=v`: kept in the volume store's metadata. */
  labels?: Record<string, string>;
}

export function volumeJson(v: VolumeRecord): JsonObject {
  return {
    CreatedAt: new Date(v.createdMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    Driver: v.driver,
    Labels: v.labels ?? null,
    Mountpoint: v.mountpoint,
    Name: v.name,
    Options: null,
    Scope: 'local',
  };
}

/** The create body's Labels, strings only (moby api/types/volume CreateOptions.Labels: map[string]string). */
function labelsOf(value: JsonValue | undefined): Record<string, string> {
  if (!isJsonObject(value)) return {};
  return Object.fromEntries(
    Object.entries(value).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as const] : [])),
  );
}

const noSuchVolume = (name: string) => `get ${name}: no such volume`;

export function* volumeCreate(d: Daemon, req: Message): OperationProgram {
  const { body } = apiRequest(req);
  const name = typeof body.Name === 'string' && body.Name !== '' ? body.Name : d.ports.ids.id64();
  const driver = typeof body.Driver === 'string' && body.Driver !== '' ? body.Driver : 'local';
  if (driver !== 'local')
    return d.error(req, 404, `error looking up volume plugin ${driver}: plugin "${driver}" not found`);
  const v = yield* createVolume(d, name, { labels: labelsOf(body.Labels) });
  if (typeof v === 'string') return d.error(req, 500, v);
  d.reply(req, 201, volumeJson(v), { params: { name } });
}

export function* volumeList(d: Daemon, req: Message): OperationProgram {
  const list = [...d.volumes.values()].map(volumeJson);
  d.reply(req, 200, { Volumes: list, Warnings: null }, { params: { count: list.length } });
  yield* [];
}

export function* volumeInspect(d: Daemon, req: Message): OperationProgram {
  const { target } = apiRequest(req);
  const v = d.volumes.get(target);
  if (!v) return d.error(req, 404, noSuchVolume(target));
  d.reply(req, 200, volumeJson(v), { params: { name: v.name } });
  yield* [];
}

export function* volumeDelete(d: Daemon, req: Message): OperationProgram {
  const { target } = apiRequest(req);
  const v = d.volumes.get(target);
  if (!v) return d.error(req, 404, noSuchVolume(target));
  // volume/service Remove: a volume any container references (running or not) stays.
  const users = volumeUsers(d, v.name);
  if (users.length > 0) return d.error(req, 409, `remove ${v.name}: volume is in use - [${users.join(' ')}]`);
  const failed = yield* removeVolume(d, v);
  if (failed !== undefined) return d.error(req, 500, failed);
  d.reply(req, 204, undefined, { params: { name: v.name } });
}

export function* containersPrune(d: Daemon, req: Message): OperationProgram {
  const stopped = [...d.containers.values()].filter((c) => {
    const snap = c.actor.getSnapshot();
    return snap.matches('exited') || snap.matches('created');
  });
  const deleted: string[] = [];
  for (const c of stopped) {
    yield* removeContainer(d, c);
    deleted.push(c.id);
  }
  // The writable layers' sizes: the simulation's containers write nothing that counts here.
  d.emit('container', 'prune', '', { reclaimed: '0' });
  d.reply(
    req,
    200,
    { ContainersDeleted: deleted.length > 0 ? deleted : null, SpaceReclaimed: 0 },
    {
      params: { count: deleted.length },
    },
  );
}

/**
 * `POST /volumes/prune` (moby v20.10.24 volume/service/service.go Prune): every local volume no
 * container references (running or not) goes, each removed by the local driver, without a
 * `destroy` event each, then one `volume prune` event. Below API 1.42 (dockerd 20.10: the
 * classic profile's CLI speaks 1.41) that is every unused volume, named or not; from 1.42
 * (Engine 29) only the anonymous ones unless the filter `all=true` asks for all (moby
 * docker-v29.0.0 daemon/server/router/volume/volume_routes.go postVolumesPrune): the ones
 * `docker volume create` made stay. Recorded on 20.10: u-volumes-in-containers.txt,
 * w-search-prune.txt.
 */
export function* volumesPrune(d: Daemon, req: Message): OperationProgram {
  const { query } = apiRequest(req);
  const payload = isJsonObject(req.payload) ? req.payload : {};
  const version = /^\/v(\d+)\.(\d+)\//.exec(typeof payload.path === 'string' ? payload.path : '');
  const old = version !== null && Number(version[1]) === 1 && Number(version[2]) < 42;
  const all = old || /"all":\{"(true|1)":true\}/.test(query.filters ?? '');
  const deleted: string[] = [];
  for (const v of [...d.volumes.values()]) {
    if (volumeUsers(d, v.name).length > 0 || (!all && v.anonymous !== true)) continue;
    const failed = yield* removeVolume(d, v, { event: false });
    if (failed === undefined) deleted.push(v.name);
  }
  d.emit('volume', 'prune', '', { reclaimed: '0' });
  d.reply(
    req,
    200,
    { VolumesDeleted: deleted.length > 0 ? deleted : null, SpaceReclaimed: 0 },
    { params: { count: deleted.length } },
  );
}

import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import type { Daemon } from '../daemon.ts';
import { removeContainer } from './containerRemove.ts';
import { apiRequest } from './request.ts';

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
}

export function volumeJson(v: VolumeRecord): JsonObject {
  return {
    CreatedAt: new Date(v.createdMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    Driver: v.driver,
    Labels: null,
    Mountpoint: `/var/lib/docker/volumes/${v.name}/_data`,
    Name: v.name,
    Options: null,
    Scope: 'local',
  };
}

const noSuchVolume = (name: string) => `get ${name}: no such volume`;

export function* volumeCreate(d: Daemon, req: Message): OperationProgram {
  const { body } = apiRequest(req);
  const name = typeof body.Name === 'string' && body.Name !== '' ? body.Name : d.ports.ids.id64();
  const driver = typeof body.Driver === 'string' && body.Driver !== '' ? body.Driver : 'local';
  if (driver !== 'local')
    return d.error(req, 404, `error looking up volume plugin ${driver}: plugin "${driver}" not found`);
  const v = d.volumes.get(name) ?? { name, driver, createdMs: Math.floor(d.now() / 1000) * 1000 };
  if (!d.volumes.has(name)) {
    d.self('dockerd.volumeCreate', `local volume driver: mkdir -p /var/lib/docker/volumes/${name}/_data`, {
      params: { name },
    });
    d.volumes.set(name, v);
  }
  d.emit('volume', 'create', name, { driver });
  d.reply(req, 201, volumeJson(v), { params: { name } });
  yield* [];
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
  d.self('dockerd.volumeRemove', `local volume driver: rm -rf /var/lib/docker/volumes/${v.name}`, {
    params: { name: v.name },
  });
  d.volumes.delete(v.name);
  d.emit('volume', 'destroy', v.name, { driver: v.driver });
  d.reply(req, 204, undefined, { params: { name: v.name } });
  yield* [];
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
 * container uses, named or not, each removed by the local driver; one `prune` event, no
 * `destroy` per volume. Engine 29 (API 1.42 and later) removes only anonymous volumes unless the
 * `all` filter is set (moby docker-v29.0.0 daemon/server/router/volume/volume_routes.go
 * postVolumesPrune, volume/service/service.go Prune): the ones `docker volume create` made stay.
 * The simulation's containers mount no volumes, so every volume is unused and none anonymous.
 * Recorded: w-search-prune.txt.
 */
export function* volumesPrune(d: Daemon, req: Message): OperationProgram {
  const { query } = apiRequest(req);
  const all = d.profile === 'classic' || (query.filters ?? '').includes('"all"');
  const gone = all ? [...d.volumes.values()] : [];
  for (const v of gone) {
    d.self('dockerd.volumeRemove', `local volume driver: rm -rf /var/lib/docker/volumes/${v.name}`, {
      params: { name: v.name },
    });
    d.volumes.delete(v.name);
  }
  d.emit('volume', 'prune', '', { reclaimed: '0' });
  const names = gone.map((v) => v.name);
  d.reply(
    req,
    200,
    { VolumesDeleted: names.length > 0 ? names : null, SpaceReclaimed: 0 },
    {
      params: { count: names.length },
    },
  );
  yield* [];
}

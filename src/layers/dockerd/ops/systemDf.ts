import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import type { Daemon } from '../daemon.ts';
import { listImages } from './imageLookup.ts';

/**
 * `GET /system/df` (moby v20.10.24 daemon/disk_usage.go SystemDiskUsage): the images with the
 * number of containers using each, the layers' total size counted once per layer, each
 * container's writable layer, each volume with its reference count. The simulation's
 * containers write nothing that counts toward SizeRw, and no volume is mounted yet (0 refs).
 * Recorded: test/fixtures/real-engine/q-volumes-prune.txt.
 */
export function* systemDf(d: Daemon, req: Message): OperationProgram {
  const records = yield* listImages(d);
  const byId = new Map(records.map((r) => [r.id, r]));
  const layers = new Map<string, number>();
  for (const r of byId.values()) for (const l of r.layers) layers.set(l.chainId, l.uncompressedSize);
  const containers = [...d.containers.values()];
  const images: JsonObject[] = [...byId.values()].map((r) => ({
    Id: r.id,
    Size: r.layers.reduce((n, l) => n + l.uncompressedSize, 0),
    SharedSize: -1,
    Containers: containers.filter((c) => c.image.id === r.id).length,
  }));
  const body: JsonObject = {
    LayersSize: [...layers.values()].reduce((a, b) => a + b, 0),
    Images: images,
    Containers: containers.map((c) => ({
      Id: c.id,
      Names: [`/${c.name}`],
      State: c.actor.getSnapshot().matches('running') ? 'running' : 'exited',
      SizeRw: 0,
    })),
    Volumes: [...d.volumes.values()].map((v) => ({ Name: v.name, UsageData: { Size: 0, RefCount: 0 } })),
    BuildCache: [],
  };
  d.reply(req, 200, body, { params: { images: images.length, containers: containers.length } });
}

import type { JsonObject } from '../../../model/json.ts';
import type { OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord, ImageRecord } from '../records.ts';
import { recordFields, storedState, type ContainerFiles } from './containerFiles.ts';
import { disconnectNetwork, unmountRootfs } from './containerStart.ts';
import { listImages } from './imageLookup.ts';
import { asMessage } from './request.ts';

/**
 * restore's first step (moby v20.10.24 daemon/daemon.go restore → daemon.load): every
 * `containers/<id>/config.v2.json` and `hostconfig.json` is read back into a container, its
 * image found by the id the file names, its state as last written. A process that kept its
 * containers in memory (the simulation's dockerd, whose death keeps its table) reads nothing new.
 * A container whose image is gone is skipped, as moby skips one it cannot load.
 */
export function* loadContainers(d: Daemon): OperationProgram {
  const read = yield* d.work('loadContainers', {}, () => ({ containers: [] }));
  const files = read.ok ? ((read.output.containers ?? []) as ContainerFiles[]) : [];
  const fresh = files.filter((f) => !d.containers.has(String(f.config.ID ?? '')));
  if (fresh.length === 0) return;
  const images = yield* listImages(d);
  for (const f of fresh) {
    const image = imageOf(
      images,
      String(f.config.Image ?? ''),
      String((f.config.Config as JsonObject).Image),
    );
    if (image === undefined) continue;
    d.containers.set(String(f.config.ID), loaded(d, f, image));
  }
}

function imageOf(images: ImageRecord[], id: string, ref: string): ImageRecord | undefined {
  return images.find((i) => i.id === id) ?? images.find((i) => i.name === ref);
}

function loaded(d: Daemon, files: ContainerFiles, image: ImageRecord): ContainerRecord {
  const fields = recordFields(files);
  const actor = d.spawnContainer(fields.id);
  const state = storedState(files);
  if (state !== 'created') actor.send({ type: 'START' });
  if (state === 'exited') actor.send({ type: 'EXITED' });
  else if (state !== 'created') actor.send({ type: 'STARTED' });
  if (state === 'paused') actor.send({ type: 'PAUSE' });
  return { ...fields, image, actor };
}

/**
 * A container the files say runs, whose task is gone or stopped: its exit status is what the
 * task's Delete gives (the shim reaped it, or containerd's cleanup of a dead shim killed it), and
 * it is marked stopped and cleaned up without a `die` event (moby restore: `!alive` →
 * process.Delete, SetStopped, daemon.Cleanup).
 */
export function* restoreStopped(d: Daemon, c: ContainerRecord, taskFound: boolean): OperationProgram {
  let status = 0;
  if (taskFound) {
    const reply = asMessage(
      yield d.call('containerd', 'ctrd.Tasks.Delete', `Tasks.Delete(${short(c.id)}…)`, {
        payload: { id: c.id },
      }),
    );
    status = Number(((reply?.payload ?? {}) as JsonObject).exitStatus ?? 0);
  }
  c.exitCode = status;
  c.finishedMs = d.now();
  c.pid = 0;
  c.actor.send({ type: 'EXITED' });
  d.self('dockerd.restore.stopped', `${c.name}: task gone while dockerd was down: exited (${status})`, {
    params: { name: c.name, status },
  });
  if (taskFound)
    yield d.call('containerd', 'ctrd.Containers.Delete', `Containers.Delete(${short(c.id)}…)`, {
      payload: { id: c.id },
    });
  yield* disconnectNetwork(d, c);
  yield* unmountRootfs(d, c);
}

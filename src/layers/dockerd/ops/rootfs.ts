import type { JsonObject } from '../../../model/json.ts';
import type { Mount } from '../../../ports/snapshotter.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord } from '../records.ts';
import { asMessage } from './request.ts';

/**
 * The container's root file system in Engine 29: dockerd mounts the snapshot itself, at
 * /var/lib/docker/rootfs/overlayfs/<id>, and gives the runtime that absolute path; containerd
 * gets no snapshot key (docker-v29.0.0 daemon/containerd/image_snapshot.go rwLayer.Mount,
 * daemon/snapshotter/mount.go). Classic has the overlay2 graphdriver mount it (Driver.Get).
 */
export const v29RootfsPath = (id: string): string => `/var/lib/docker/rootfs/overlayfs/${id}`;

type Gen = Generator<ReturnType<Daemon['call']>, void, unknown>;

/** v29: the snapshot's mounts from containerd, then dockerd's own mount (conditionalMountOnStart). */
export function* mountSnapshot(d: Daemon, c: ContainerRecord): Gen {
  const reply = asMessage(
    yield d.call('containerd', 'ctrd.Snapshots.Mounts', `Snapshots.Mounts(${short(c.id)}…)`, {
      payload: { key: c.rwKey },
    }),
  );
  const mounts = ((reply?.payload as JsonObject | undefined)?.mounts ?? []) as unknown as Mount[];
  const type = mounts[0]?.type ?? 'overlay';
  d.self('dockerd.mountRootfs', `mount -t ${type} ${type} ${v29RootfsPath(c.id)}`, {
    payload: { mounts: mounts as unknown as JsonObject[], target: v29RootfsPath(c.id) },
    params: { id: short(c.id) },
  });
}

/** Classic: the overlay2 graphdriver mounts the layers on the layer's merged dir (Driver.Get). */
export function* mountGraphdriver(d: Daemon, c: ContainerRecord, target: string): Gen {
  yield d.call('Storage', 'storage.mount', `overlay2 Get(${short(c.id)}…): mount rootfs`, {
    payload: { driver: 'overlay2', key: c.rwKey, target },
  });
}

/** daemon.Cleanup's Unmount: v29 unmounts what it mounted; classic asks overlay2 (Driver.Put). */
export function* unmountSnapshot(d: Daemon, c: ContainerRecord): Gen {
  if (d.profile === 'v29') {
    d.self('dockerd.umountRootfs', `umount ${v29RootfsPath(c.id)}`, { params: { id: short(c.id) } });
    return;
  }
  yield d.call('Storage', 'storage.umount', `overlay2 Put(${short(c.id)}…): umount rootfs`, {
    payload: { driver: 'overlay2', key: c.rwKey, target: 'merged' },
  });
}

/**
 * v29's ReleaseLayer: the lease named after the container is deleted synchronously, and
 * containerd's garbage collector removes what only it held, the container's snapshot and its
 * init layer (image_snapshot.go ReleaseLayer).
 */
export function* deleteLease(d: Daemon, c: ContainerRecord): Gen {
  yield d.call('containerd', 'ctrd.Leases.Delete', `Leases.Delete(${short(c.id)}…, sync)`, {
    payload: { id: c.rwKey, sync: true },
  });
}

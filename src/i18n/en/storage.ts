import type { Catalogue } from '../index.ts';

/**
 * The storage driver: overlayfs layers on disk. {from} is containerd (its overlayfs snapshotter,
 * Engine v29) or dockerd (the overlay2 graphdriver, classic).
 */
export const storage: Catalogue = {
  'storage.prepare':
    '{from} asks the storage driver for a new layer directory on top of its parent layer, if it has one: an empty upper directory plus overlayfs’s work directory. For a pull the next layer is unpacked into it; for a container it is the writable layer.',
  'storage.prepare.reply':
    'The storage driver created the directories (in {dir}); they are empty until something is written to them.',
  'storage.apply':
    '{from} has the storage driver unpack a downloaded layer: gunzip and untar into the prepared directory, where whiteout files (.wh.*) record deletions from lower layers.',
  'storage.apply.reply': 'Unpacked: the layer’s {size} compressed bytes are now files on disk.',
  'storage.commit':
    '{from} has the storage driver commit the layer under its chain id: it becomes read-only, shared by every image and container that stacks on it.',
  'storage.commit.reply': 'Committed: the directory is now a read-only lower layer.',
  'storage.mount':
    'Classic overlay2: dockerd has the graphdriver mount the container’s root filesystem, with the image layers as lowerdir and the container’s layer as upperdir, merged into one directory.',
  'storage.mount.reply':
    'The overlay mount is in place: the container sees the merged view, and writing to a file from a lower layer first copies it up into the upper directory (copy-on-write).',
  'storage.mounts':
    'containerd asks the overlayfs snapshotter for the snapshot’s mounts: the snapshotter describes the overlay (the parent layers as lowerdir, the snapshot’s own directory as upperdir) without mounting anything.',
  'storage.mounts.reply': 'The snapshotter answers with the overlay to mount; whoever asked will mount it.',
  'storage.umount':
    'The container has exited, so dockerd has the overlay2 driver unmount its merged root filesystem; the layer directories stay on disk until `docker rm`.',
  'storage.umount.reply': 'Unmounted; what the container wrote is still kept in its upper directory.',
  'storage.remove':
    '{from} has the storage driver delete a layer directory: for `docker rm`, the container’s writable layer and everything it wrote. The image’s read-only layers stay.',
  'storage.remove.reply':
    'The storage driver answers “{call}”: a layer that another layer still stacks on is kept.',
};

import type { Catalogue } from '../index.ts';

/** Bind mounts (`-v HOST:CONTAINER`, `--mount type=bind`): dockerd's mount points, runc's mount(2). */
export const binds: Catalogue = {
  'dockerd.mountPoints':
    'dockerd registers {count} bind mount(s), the first from {first} (daemon/volumes.go registerMountPoints). A bind source is a path on the machine dockerd runs on (under Docker Desktop, the Linux VM), used as it is: nothing is copied.',
  'kernel.bindMount':
    'Before pivot_root, runc bind-mounts {source} onto {destination} inside the container’s root filesystem (MS_BIND|MS_REC, then a read-only remount for :ro): the container sees that very directory, not a copy.',
  'view.bindMount': 'bind mount',
};

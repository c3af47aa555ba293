import type { Catalogue } from '../index.ts';

/** Volumes of dockerd's local driver, `docker container prune`, and a container's files (`docker cp`). */
export const volumes: Catalogue = {
  'api.volumes.create':
    'The CLI asks dockerd for a volume: `POST /volumes/create` with its name (none: dockerd makes one up) and its driver, `local`.',
  'api.volumes.create.reply':
    'dockerd answers {status} with volume {name}: a directory under /var/lib/docker/volumes that outlives every container that mounts it. Asking again for the same name answers the same volume.',
  'dockerd.volumeCreate':
    'The local volume driver is part of dockerd: it makes the directory /var/lib/docker/volumes/{name}/_data itself, with no containerd, no storage driver.',
  'api.volumes.list': 'The CLI asks for every volume: `GET /volumes`. The CLI sorts them by name.',
  'api.volumes.list.reply': 'dockerd answers with {count} volume(s), from its own volume store.',
  'api.volumes.inspect': 'The CLI asks for one volume: `GET /volumes/…`.',
  'api.volumes.inspect.reply':
    'dockerd answers with volume {name}: its driver, its mount point, when it was made.',
  'api.volumes.delete': 'The CLI asks dockerd to remove the volume: `DELETE /volumes/…`.',
  'dockerd.restore.volumes':
    'The starting dockerd’s volume store reads back its volumes: the local driver lists the directories under /var/lib/docker/volumes, the store’s metadata gives each its labels. Volumes outlive dockerd as they outlive containers.',
  'dockerd.restore.networks':
    'The starting dockerd’s libnetwork reads back the user-defined networks from its store and has the bridge driver set up each bridge again: networks outlive dockerd as volumes do.',
  'dockerd.restore.endpoints':
    'libnetwork releases the endpoints of containers that are not running (a start the last dockerd died in the middle of): their veths leave the bridge and their addresses go back to the pool, as its sandbox clean-up does at every start.',
  'dockerd.volumeRemove':
    'The local driver deletes /var/lib/docker/volumes/{name} and everything written in it: a volume’s data goes only this way.',
  'api.volumes.delete.reply': 'dockerd answers {status}: volume {name} is gone.',
  'api.containers.prune':
    'The CLI asks dockerd to remove every container that is not running: `POST /containers/prune`.',
  'api.containers.prune.reply':
    'dockerd removed {count} container(s), each as `docker rm` would (a `destroy` event each), then logged one `prune` event.',
  'api.system.df':
    'The CLI asks dockerd how much disk Docker uses: `GET /system/df`. The CLI adds it up per type.',
  'api.system.df.reply':
    'dockerd answers with its {images} image(s) and the containers using each, its {containers} container(s) with their writable layers, and its volumes. The layers shared by several images count once.',
  'api.containers.rename':
    'The CLI asks dockerd to rename the container: `POST /containers/…/rename?name=…`.',
  'api.containers.rename.reply': 'dockerd answers {status}.',
  'dockerd.rename':
    'dockerd reserves the name /{name} as a create would, releases /{old}, and writes the new name to config.v2.json; containerd and the running process know nothing of names.',
  'api.containers.changes': 'The CLI asks which files the container changed: `GET /containers/…/changes`.',
  'api.containers.changes.reply':
    'dockerd answers {count} change(s): the container’s own layer compared with its image — what `docker commit` would keep.',
  'api.plugins.inspect':
    'Nothing else had that name, so the CLI asks whether a plugin has it: `GET /plugins/…/json`. It is the CLI’s last try before `No such object`.',
};

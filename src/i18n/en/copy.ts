import type { Catalogue } from '../index.ts';

/** `docker cp`, `docker export` and `docker commit`: a container's root file system, out and in. */
export const copy: Catalogue = {
  'api.containers.archive.head':
    'Before it reads the local file, the CLI asks what is at the destination in the container: `{call}`.',
  'api.containers.archive.head.reply':
    'dockerd answers {status}: the path exists (its stat comes back in a header). A 404 would make the CLI copy into the parent directory under the new name.',
  'api.containers.archive.put':
    'The CLI sends a tar of the local file: `{call}`. The file is renamed inside the tar when the destination did not exist yet.',
  'api.containers.archive.put.reply':
    'dockerd answers {status} and logs `extract-to-dir`. Neither containerd nor runc took part: the container does not need to run.',
  'api.containers.archive.get': 'The CLI asks for a path of the container as a tar: `{call}`.',
  'api.containers.archive.get.reply':
    'dockerd answers {status} with the tar and logs `archive-path`; the CLI unpacks it on the host.',
  'storage.stat.reply':
    'The storage driver answers with the path’s stat ({size} bytes, its mode and time, a link’s target inside the container): dockerd needs nothing else to answer a stat, and only that one path was looked at — no walk of the container’s layer.',
  'storage.stat.missing.reply':
    'Nothing is at {path} in the container’s root file system (its links followed inside it, never out of it): dockerd will answer 404.',
  'storage.statPath':
    'dockerd mounts the container’s root file system (its own layer over the image’s) and looks up {path} there.',
  'storage.extractToDir':
    'dockerd untars {count} file(s) into {dir}: they land in the container’s own writable layer, the same upper directory its processes write to — `docker diff` will show them.',
  'dockerd.archivePath': 'dockerd packs {path} from the mounted root file system into the answer.',
  'api.containers.export': 'The CLI asks for the container’s whole file system as one tar: `{call}`.',
  'api.containers.export.reply':
    'dockerd answers {status}, streams the tar into the CLI’s file and logs `export`. Unlike an image, the tar is flat: no layers, no config.',
  'dockerd.import':
    'dockerd reads the tar to import (the request’s body, or what the URL answers) itself and hashes it as it comes: the layer’s digest, and its diff id once uncompressed.',
  'dockerd.export':
    'dockerd mounts the container’s root file system and tars all of it: the {layers} image layer(s) and the container’s own, merged as overlayfs shows them.',
  'api.commit':
    'The CLI asks dockerd to turn the container into an image: `{call}`. A running container is paused while its layer is read, so the files do not change under the copy.',
  'api.commit.reply':
    'dockerd answers {status} with the new image’s id: the image’s layers plus the container’s own as one more (none if it changed nothing), a config with the changes, a history entry; `tag` and `commit` events, then `unpause`.',
  'ctrd.Diff.Diff':
    'Engine 29: dockerd asks containerd’s diff service to compare the container’s snapshot with its parent; the walking differ writes the changes as a layer blob into the content store.',
};

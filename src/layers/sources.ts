import type { Profile } from '../model/trace.ts';
import { API_SOURCES } from './sources/api.ts';
import { BUILD_SOURCES } from './sources/build.ts';
import { CONTAINERD_SOURCES } from './sources/containerd.ts';
import { DAEMON_SOURCES } from './sources/daemon.ts';
import {
  apiRoute,
  both,
  CLI,
  CTRD16,
  CTRD21,
  ctrdService,
  MOBY20,
  moby,
  runc,
  RUNC11,
  RUNC13,
  shimTask,
  type Pair,
  type Source,
} from './sources/refs.ts';
import { RUNTIME_SOURCES } from './sources/runtime.ts';

export type { CodeSource, DocSource, Pair, Source } from './sources/refs.ts';

/**
 * Where the real code does what an op shows, per profile: repository, release tag, file and
 * function. Classic is dockerd 20.10.24 with containerd 1.6.20 and runc 1.1.5 (the engine the
 * fixtures recorded); v29 is Engine 29.0.0 with containerd 2.1.5 and runc 1.3.3 (its Dockerfile).
 * The docker CLI is 28.2.2 in both. A view links a message to `sourceUrl(sourceOf(op, profile))`.
 *
 * This table holds the ops `docker run -d nginx` uses; the tables under sources/ hold the rest,
 * each checked at its tag (test/unit/sources.test.ts fails for an op without a source in a
 * profile it runs in).
 */
export const OP_SOURCES: Record<string, Pair> = {
  'cli.command': {
    classic: { ...CLI, file: 'cmd/docker/docker.go', func: 'runDocker' },
    v29: { ...CLI, file: 'cmd/docker/docker.go', func: 'runDocker' },
  },
  'api.ping': apiRoute('system', 'system_routes.go', '(*systemRouter).pingHandler'),
  'api.containers.create': apiRoute(
    'container',
    'container_routes.go',
    '(*containerRouter).postContainersCreate',
  ),
  'api.containers.wait': apiRoute(
    'container',
    'container_routes.go',
    '(*containerRouter).postContainersWait',
  ),
  'api.containers.start': apiRoute(
    'container',
    'container_routes.go',
    '(*containerRouter).postContainersStart',
  ),
  'api.images.create': apiRoute('image', 'image_routes.go', '(*imageRouter).postImagesCreate'),
  'dockerd.imageStore.get': {
    classic: { ...MOBY20, file: 'daemon/images/image.go', func: '(*ImageService).GetImage' },
  },
  'dockerd.imageStore.create': { classic: { ...MOBY20, file: 'image/store.go', func: '(*store).Create' } },
  'dockerd.writeConfig': both('daemon/create.go', '(*Daemon).create'),
  'dockerd.buildSpec': both('daemon/oci_linux.go', '(*Daemon).createSpec'),
  'dockerd.checkpoint': both(
    'container/container.go',
    '(*Container).CheckpointTo',
    'daemon/container/container.go',
  ),
  'net.connect': both('daemon/container_operations.go', '(*Daemon).allocateNetwork'),
  'fifo.output': both('daemon/logger/copier.go', '(*Copier).copySrc'),
  'registry.get': {
    classic: { ...MOBY20, file: 'distribution/pull_v2.go', func: '(*v2Puller).pullV2Tag' },
    v29: { ...CTRD21, file: 'core/remotes/docker/fetcher.go', func: 'dockerFetcher.Fetch' },
  },
  // In v29 the same op is the push's existence check too (containerd pusher.go dockerPusher.push).
  'registry.head': {
    classic: {
      ...MOBY20,
      file: 'vendor/github.com/docker/distribution/registry/client/repository.go',
      func: '(*tags).Get',
    },
    v29: { ...CTRD21, file: 'core/remotes/docker/resolver.go', func: '(*dockerResolver).Resolve' },
  },
  'storage.prepare': {
    classic: { ...MOBY20, file: 'daemon/graphdriver/overlay2/overlay.go', func: '(*Driver).Create' },
    v29: { ...CTRD21, file: 'plugins/snapshots/overlay/overlay.go', func: '(*snapshotter).Prepare' },
  },
  'storage.apply': {
    classic: { ...MOBY20, file: 'daemon/graphdriver/overlay2/overlay.go', func: '(*Driver).ApplyDiff' },
    v29: { ...CTRD21, file: 'core/diff/apply/apply.go', func: '(*fsApplier).Apply' },
  },
  'storage.commit': {
    classic: { ...MOBY20, file: 'layer/layer_store.go', func: '(*layerStore).registerWithDescriptor' },
    v29: { ...CTRD21, file: 'plugins/snapshots/overlay/overlay.go', func: '(*snapshotter).Commit' },
  },
  'storage.mount': {
    classic: { ...MOBY20, file: 'daemon/graphdriver/overlay2/overlay.go', func: '(*Driver).Get' },
    v29: { ...CTRD21, file: 'plugins/snapshots/overlay/overlay.go', func: '(*snapshotter).Mounts' },
  },
  'ctrd.Images.Get': ctrdService('images', 'local.go', '(*local).Get'),
  'ctrd.Images.Create': ctrdService('images', 'local.go', '(*local).Create'),
  'ctrd.Content.Write': ctrdService('content', 'contentserver/contentserver.go', '(*service).Write'),
  'ctrd.Snapshots.Prepare': ctrdService('snapshots', 'service.go', '(*service).Prepare'),
  'ctrd.Snapshots.Commit': ctrdService('snapshots', 'service.go', '(*service).Commit'),
  'ctrd.Diff.Apply': ctrdService('diff', 'local.go', '(*local).Apply'),
  'ctrd.Containers.Create': ctrdService('containers', 'local.go', '(*local).Create'),
  'ctrd.Tasks.Create': ctrdService('tasks', 'local.go', '(*local).Create'),
  'ctrd.Tasks.Start': ctrdService('tasks', 'local.go', '(*local).Start'),
  'shim.start': {
    classic: { ...CTRD16, file: 'runtime/v2/binary.go', func: '(*binary).Start' },
    v29: { ...CTRD21, file: 'core/runtime/v2/binary.go', func: '(*binary).Start' },
  },
  'shim.Create': shimTask('(*service).Create'),
  'shim.Start': shimTask('(*service).Start'),
  'shim.event': shimTask('(*service).forward'),
  'kernel.output': {
    classic: { ...CTRD16, file: 'pkg/process/io.go', func: 'copyPipes' },
    v29: { ...CTRD21, file: 'cmd/containerd-shim-runc-v2/process/io.go', func: 'copyPipes' },
  },
  'runc.create': runc('create.go', 'createCommand'),
  'runc.start': runc('start.go', 'startCommand'),
  'kernel.clone': runc('libcontainer/nsenter/nsexec.c', 'nsexec'),
  'kernel.setns': runc('libcontainer/nsenter/nsexec.c', 'join_namespaces'),
  'kernel.cgroup': runc('libcontainer/process_linux.go', '(*initProcess).start'),
  'kernel.pivotRoot': runc('libcontainer/rootfs_linux.go', 'pivotRoot'),
  'kernel.execFifo': runc('libcontainer/standard_init_linux.go', '(*linuxStandardInit).Init'),
  'kernel.execve': runc('libcontainer/standard_init_linux.go', '(*linuxStandardInit).Init'),
  // docker top: the pids from the task, then ps on the host.
  'api.containers.top': apiRoute('container', 'container_routes.go', '(*containerRouter).getContainersTop'),
  'ctrd.Tasks.ListPids': ctrdService('tasks', 'local.go', '(*local).ListPids'),
  'shim.Pids': shimTask('(*service).Pids'),
  'runc.ps': runc('ps.go', 'psCommand'),
  'kernel.cgroupProcs': {
    classic: { ...RUNC11, file: 'libcontainer/container_linux.go', func: '(*linuxContainer).Processes' },
    v29: { ...RUNC13, file: 'libcontainer/container_linux.go', func: '(*Container).Processes' },
  },
  'dockerd.ps': both('daemon/top_unix.go', '(*Daemon).ContainerTop'),
  // docker update: stored, then handed to the live task.
  'api.containers.update': apiRoute(
    'container',
    'container_routes.go',
    '(*containerRouter).postContainerUpdate',
  ),
  'dockerd.updateConfig': both('daemon/update.go', '(*Daemon).update'),
  'ctrd.Tasks.Update': ctrdService('tasks', 'local.go', '(*local).Update'),
  'shim.Update': shimTask('(*service).Update'),
  'runc.update': runc('update.go', 'updateCommand'),
  // docker stats: the collector's metrics, read by the shim from the cgroup.
  'api.containers.stats': apiRoute(
    'container',
    'container_routes.go',
    '(*containerRouter).getContainersStats',
  ),
  'ctrd.Tasks.Metrics': ctrdService('tasks', 'local.go', '(*local).Metrics'),
  'shim.Stats': shimTask('(*service).Stats'),
  'kernel.cgroupStats': {
    classic: { ...CTRD16, file: 'runtime/v2/runc/task/service.go', func: '(*service).Stats' },
    v29: { ...CTRD21, file: 'cmd/containerd-shim-runc-v2/task/service.go', func: '(*service).Stats' },
  },
  // docker cp and docker export: dockerd mounts the container's rootfs itself.
  'api.containers.archive.head': apiRoute(
    'container',
    'copy_routes.go',
    '(*containerRouter).headContainersArchive',
  ),
  'api.containers.archive.put': apiRoute(
    'container',
    'copy_routes.go',
    '(*containerRouter).putContainersArchive',
  ),
  'api.containers.archive.get': apiRoute(
    'container',
    'copy_routes.go',
    '(*containerRouter).getContainersArchive',
  ),
  'api.containers.export': apiRoute(
    'container',
    'container_routes.go',
    '(*containerRouter).getContainersExport',
  ),
  'dockerd.archivePath': both('daemon/archive.go', '(*Daemon).containerArchivePath'),
  'dockerd.export': both('daemon/export.go', '(*Daemon).containerExport'),
  'dockerd.import': moby(
    ['daemon/images/image_import.go', '(*ImageService).ImportImage'],
    ['daemon/containerd/image_import.go', '(*ImageService).ImportImage'],
  ),
  // docker search: dockerd asks the index; docker logout is the CLI's alone.
  'api.images.search': apiRoute('image', 'image_routes.go', '(*imageRouter).getImagesSearch'),
  'cli.logout': {
    classic: { ...CLI, file: 'cli/command/registry/logout.go', func: 'runLogout' },
    v29: { ...CLI, file: 'cli/command/registry/logout.go', func: 'runLogout' },
  },
  // docker save, load and login: dockerd's tar exporter (20.10) or its containerd image service
  // (29); login's check is dockerd's, the credentials are the CLI's.
  'api.images.get': apiRoute('image', 'image_routes.go', '(*imageRouter).getImagesGet'),
  'api.images.load': apiRoute('image', 'image_routes.go', '(*imageRouter).postImagesLoad'),
  'dockerd.load.read': moby(
    ['image/tarexport/load.go', '(*tarexporter).Load'],
    ['daemon/containerd/image_exporter.go', '(*ImageService).LoadImage'],
  ),
  'ctrd.Content.Read': ctrdService('content', 'contentserver/contentserver.go', '(*service).Read'),
  'cli.save.write': {
    classic: { ...CLI, file: 'cli/command/image/save.go', func: 'runSave' },
    v29: { ...CLI, file: 'cli/command/image/save.go', func: 'runSave' },
  },
  'api.auth': apiRoute('system', 'system_routes.go', '(*systemRouter).postAuth'),
  'cli.login.store': {
    classic: { ...CLI, file: 'cli/command/registry/login.go', func: 'storeCredentials' },
    v29: { ...CLI, file: 'cli/command/registry/login.go', func: 'storeCredentials' },
  },
  'api.images.prune': apiRoute('image', 'image_routes.go', '(*imageRouter).postImagesPrune'),
  'api.commit': apiRoute('container', 'container_routes.go', '(*containerRouter).postCommit'),
  'api.volumes.prune': apiRoute('volume', 'volume_routes.go', '(*volumeRouter).postVolumesPrune'),
  'api.networks.prune': apiRoute('network', 'network_routes.go', '(*networkRouter).postNetworksPrune'),
  'api.build.prune': apiRoute('build', 'build_routes.go', '(*buildRouter).postPrune'),
  'kernel.cgroupUpdate': {
    classic: { ...RUNC11, file: 'libcontainer/container_linux.go', func: '(*linuxContainer).Set' },
    v29: { ...RUNC13, file: 'libcontainer/container_linux.go', func: '(*Container).Set' },
  },
};

const ALL_SOURCES: Record<string, Pair> = {
  ...API_SOURCES,
  ...DAEMON_SOURCES,
  ...CONTAINERD_SOURCES,
  ...RUNTIME_SOURCES,
  ...BUILD_SOURCES,
  ...OP_SOURCES,
};

/** The source of an op in a profile, when a table has it. */
export function sourceOf(op: string, profile: Profile): Source | undefined {
  return ALL_SOURCES[op]?.[profile];
}

/** Every op, profile and source the tables hold. */
export function allSources(): [op: string, profile: Profile, source: Source][] {
  return Object.entries(ALL_SOURCES).flatMap(([op, pair]) =>
    Object.entries(pair).map(([profile, s]): [string, Profile, Source] => [op, profile as Profile, s]),
  );
}

/** A link to the file at its release tag, or to the page that documents closed code. */
export function sourceUrl(s: Source): string {
  return 'doc' in s ? s.doc : `https://github.com/${s.repo}/blob/${s.tag}/${s.file}`;
}

/** How a view names it: `moby/moby v20.10.24 daemon/create.go (*Daemon).create`. */
export function sourceLabel(s: Source): string {
  return 'doc' in s ? s.title : `${s.repo} ${s.tag} ${s.file} ${s.func}`;
}

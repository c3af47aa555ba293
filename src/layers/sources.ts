import type { Profile } from '../model/trace.ts';

/**
 * Where the real code does what an op shows, per profile: repository, release tag, file and
 * function. Classic is dockerd 20.10.24 with containerd 1.6.20 and runc 1.1.5 (the engine the
 * fixtures recorded); v29 is Engine 29.0.0 with containerd 2.1.5 and runc 1.3.3 (its Dockerfile).
 * The docker CLI is 28.2.2 in both. A view links a message to `sourceUrl(sourceOf(op, profile))`.
 *
 * The table starts with the ops `docker run -d nginx` uses (test/unit/sources.test.ts fails for
 * one without a source in a profile it runs in); others are added as they are checked.
 */
export interface Source {
  repo: string;
  tag: string;
  file: string;
  /** The function or method, as the source names it (`(*Daemon).createSpec`). */
  func: string;
}

type Pair = Partial<Record<Profile, Source>>;

const MOBY20 = { repo: 'moby/moby', tag: 'v20.10.24' };
const MOBY29 = { repo: 'moby/moby', tag: 'docker-v29.0.0' };
const CTRD16 = { repo: 'containerd/containerd', tag: 'v1.6.20' };
const CTRD21 = { repo: 'containerd/containerd', tag: 'v2.1.5' };
const RUNC11 = { repo: 'opencontainers/runc', tag: 'v1.1.5' };
const RUNC13 = { repo: 'opencontainers/runc', tag: 'v1.3.3' };
const CLI = { repo: 'docker/cli', tag: 'v28.2.2' };

/** The same file and function in both profiles' moby, whose API router moved in 29. */
function apiRoute(router: string, file: string, func: string): Pair {
  return {
    classic: { ...MOBY20, file: `api/server/router/${router}/${file}`, func },
    v29: { ...MOBY29, file: `daemon/server/router/${router}/${file}`, func },
  };
}

function both(file: string, func: string, v29File = file): Pair {
  return { classic: { ...MOBY20, file, func }, v29: { ...MOBY29, file: v29File, func } };
}

/** containerd's services moved under plugins/ in 2.0. */
function ctrdService(service: string, file: string, func: string): Pair {
  return {
    classic: { ...CTRD16, file: `services/${service}/${file}`, func },
    v29: { ...CTRD21, file: `plugins/services/${service}/${file}`, func },
  };
}

function shimTask(func: string): Pair {
  return {
    classic: { ...CTRD16, file: 'runtime/v2/runc/task/service.go', func },
    v29: { ...CTRD21, file: 'cmd/containerd-shim-runc-v2/task/service.go', func },
  };
}

function runc(file: string, func: string): Pair {
  return { classic: { ...RUNC11, file, func }, v29: { ...RUNC13, file, func } };
}

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
  // docker search: dockerd asks the index; docker logout is the CLI's alone.
  'api.images.search': apiRoute('image', 'image_routes.go', '(*imageRouter).getImagesSearch'),
  'cli.logout': {
    classic: { ...CLI, file: 'cli/command/registry/logout.go', func: 'runLogout' },
    v29: { ...CLI, file: 'cli/command/registry/logout.go', func: 'runLogout' },
  },
  'api.commit': apiRoute('container', 'container_routes.go', '(*containerRouter).postCommit'),
  'api.volumes.prune': apiRoute('volume', 'volume_routes.go', '(*volumeRouter).postVolumesPrune'),
  'api.networks.prune': apiRoute('network', 'network_routes.go', '(*networkRouter).postNetworksPrune'),
  'api.build.prune': apiRoute('build', 'build_routes.go', '(*buildRouter).postPrune'),
  'kernel.cgroupUpdate': {
    classic: { ...RUNC11, file: 'libcontainer/container_linux.go', func: '(*linuxContainer).Set' },
    v29: { ...RUNC13, file: 'libcontainer/container_linux.go', func: '(*Container).Set' },
  },
};

/** The source of an op in a profile, when the table has it. */
export function sourceOf(op: string, profile: Profile): Source | undefined {
  return OP_SOURCES[op]?.[profile];
}

/** A link to the file at its release tag. */
export function sourceUrl(s: Source): string {
  return `https://github.com/${s.repo}/blob/${s.tag}/${s.file}`;
}

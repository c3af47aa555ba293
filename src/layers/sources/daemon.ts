import { both, CTRD21, moby, MOBY20, MOBY29, type Pair } from './refs.ts';

const DISTRIBUTION = 'vendor/github.com/docker/distribution/registry/client';

/** Where the 20.10 libnetwork lived (vendored) and where 29 keeps it (in-tree). */
function libnetwork(file: string, classicFunc: string, v29File: string, v29Func: string): Pair {
  return moby(
    [`vendor/github.com/docker/libnetwork/${file}`, classicFunc],
    [`daemon/libnetwork/${v29File}`, v29Func],
  );
}

/** dockerd's own work between the API and the layers below it. */
export const DAEMON_SOURCES: Record<string, Pair> = {
  'dockerd.inspect': both('daemon/inspect.go', '(*Daemon).ContainerInspect'),
  'dockerd.listContainers': both('daemon/list.go', '(*Daemon).Containers'),
  'dockerd.listNetworks': both('daemon/network.go', '(*Daemon).GetNetworks'),
  'dockerd.readLogs': both('daemon/logger/jsonfilelog/read.go', '(*JSONFileLogger).ReadLogs'),
  'dockerd.removeDir': both('daemon/delete.go', '(*Daemon).cleanupContainer'),
  'dockerd.rename': both('daemon/rename.go', '(*Daemon).ContainerRename'),
  'dockerd.autoRemove': both('daemon/monitor.go', '(*Daemon).autoRemove'),
  'dockerd.graceExpired': both('daemon/stop.go', '(*Daemon).containerStop'),
  'dockerd.mountPoints': both('daemon/volumes.go', '(*Daemon).registerMountPoints'),
  'dockerd.restartBackoff': moby(
    ['restartmanager/restartmanager.go', '(*restartManager).ShouldRestart'],
    ['daemon/internal/restartmanager/restartmanager.go', '(*RestartManager).ShouldRestart'],
  ),
  'dockerd.restartNow': both('daemon/monitor.go', '(*Daemon).handleContainerExit'),
  'dockerd.restartCanceled': moby(
    ['restartmanager/restartmanager.go', '(*restartManager).Cancel'],
    ['daemon/internal/restartmanager/restartmanager.go', '(*RestartManager).Cancel'],
  ),
  'dockerd.volumeCreate': moby(
    ['volume/local/local.go', '(*Root).Create'],
    ['daemon/volume/local/local.go', '(*Root).Create'],
  ),
  'dockerd.restore.volumes': moby(
    ['volume/service/store.go', '(*VolumeStore).restore'],
    ['daemon/volume/service/store.go', '(*VolumeStore).restore'],
  ),
  'dockerd.restore.networks': libnetwork('controller.go', 'New', 'controller.go', 'New'),
  'dockerd.volumeRemove': moby(
    ['volume/local/local.go', '(*Root).Remove'],
    ['daemon/volume/local/local.go', '(*Root).Remove'],
  ),
  // The classic puller's ping of /v2/ has its own 15 s client deadline.
  'dockerd.registry.timeout': { classic: { ...MOBY20, file: 'registry/auth.go', func: 'PingV2Registry' } },
  // The graphdriver image store of 20.10: image/ holds configs, reference/ holds names.
  'dockerd.imageStore.list': {
    classic: { ...MOBY20, file: 'daemon/images/images.go', func: '(*ImageService).Images' },
  },
  'dockerd.imageStore.delete': { classic: { ...MOBY20, file: 'image/store.go', func: '(*store).Delete' } },
  'dockerd.imageStore.tag': { classic: { ...MOBY20, file: 'reference/store.go', func: '(*store).AddTag' } },
  'dockerd.imageStore.untag': { classic: { ...MOBY20, file: 'reference/store.go', func: '(*store).Delete' } },
  'net.createNetwork': libnetwork(
    'drivers/bridge/bridge.go',
    '(*driver).CreateNetwork',
    'drivers/bridge/bridge_linux.go',
    '(*driver).CreateNetwork',
  ),
  // A push: 20.10's docker/distribution client (POST, PATCH, PUT), or containerd's pusher
  // (HEAD, POST, one PUT with the whole blob; no PATCH, so registry.patch has no v29 source).
  'dockerd.layerStore.open': {
    classic: { ...MOBY20, file: 'distribution/config.go', func: '(*storeLayer).Open' },
  },
  'registry.post': {
    classic: { ...MOBY20, file: `${DISTRIBUTION}/repository.go`, func: '(*blobs).Create' },
    v29: { ...CTRD21, file: 'core/remotes/docker/pusher.go', func: '(dockerPusher).push' },
  },
  'registry.patch': {
    classic: { ...MOBY20, file: `${DISTRIBUTION}/blob_writer.go`, func: '(*httpBlobUpload).ReadFrom' },
  },
  'registry.put': {
    classic: { ...MOBY20, file: `${DISTRIBUTION}/blob_writer.go`, func: '(*httpBlobUpload).Commit' },
    v29: { ...CTRD21, file: 'core/remotes/docker/pusher.go', func: '(*pushWriter).Commit' },
  },
  'net.deleteNetwork': libnetwork(
    'drivers/bridge/bridge.go',
    '(*driver).DeleteNetwork',
    'drivers/bridge/bridge_linux.go',
    '(*driver).DeleteNetwork',
  ),
  'net.disconnect': libnetwork('endpoint.go', '(*endpoint).Leave', 'endpoint.go', '(*Endpoint).Leave'),
  // The embedded DNS server at 127.0.0.11 answers names of the container's networks itself.
  'dns.query': libnetwork('resolver.go', '(*resolver).ServeDNS', 'resolver.go', '(*Resolver).serveDNS'),
  'dns.answer': libnetwork('resolver.go', '(*resolver).ServeDNS', 'resolver.go', '(*Resolver).serveDNS'),
  'dns.query.host': libnetwork(
    'resolver.go',
    '(*resolver).ServeDNS',
    'resolver.go',
    '(*Resolver).forwardExtDNS',
  ),
  // The graphdriver's side of a container's layer (classic), or containerd's snapshotter (v29).
  'storage.remove': {
    classic: { ...MOBY20, file: 'daemon/graphdriver/overlay2/overlay.go', func: '(*Driver).Remove' },
    v29: { ...CTRD21, file: 'plugins/snapshots/overlay/overlay.go', func: '(*snapshotter).Remove' },
  },
  'storage.umount': {
    classic: { ...MOBY20, file: 'daemon/graphdriver/overlay2/overlay.go', func: '(*Driver).Put' },
  },
  // Engine 29: dockerd makes the init layer and mounts the container's snapshot itself.
  'dockerd.initLayer': {
    v29: { ...MOBY29, file: 'daemon/containerd/image_snapshot.go', func: '(*ImageService).prepareInitLayer' },
  },
  'dockerd.mountRootfs': {
    v29: { ...MOBY29, file: 'daemon/containerd/image_snapshot.go', func: '(*rwLayer).Mount' },
  },
  'dockerd.umountRootfs': {
    v29: { ...MOBY29, file: 'daemon/containerd/image_snapshot.go', func: '(*rwLayer).Unmount' },
  },
  'storage.diff': {
    classic: { ...MOBY20, file: 'daemon/graphdriver/overlay2/overlay.go', func: '(*Driver).Changes' },
    v29: { ...MOBY29, file: 'daemon/containerd/image_changes.go', func: '(*ImageService).Changes' },
  },
  // dockerd lstats one path in the container's mounted rootfs (docker cp's stat).
  'storage.stat': {
    classic: { ...MOBY20, file: 'container/archive.go', func: '(*Container).StatPath' },
    v29: { ...MOBY29, file: 'daemon/archive_unix.go', func: '(*Daemon).containerStatPath' },
  },
  'storage.write': {
    classic: { ...MOBY20, file: 'daemon/workdir.go', func: '(*Daemon).ContainerCreateWorkdir' },
    v29: {
      ...MOBY29,
      file: 'vendor/github.com/moby/buildkit/solver/llbsolver/file/backend.go',
      func: '(*Backend).Mkdir',
    },
  },
};

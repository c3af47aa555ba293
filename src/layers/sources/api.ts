import { apiRoute, both, moby, MOBY20, MOBY29, type Pair } from './refs.ts';

/** The Engine API's handlers (each router's `initRoutes` names them) and the daemon's process life. */
export const API_SOURCES: Record<string, Pair> = {
  'api.containers.list': apiRoute('container', 'container_routes.go', '(*containerRouter).getContainersJSON'),
  'api.containers.inspect': apiRoute('container', 'inspect.go', '(*containerRouter).getContainersByName'),
  'api.containers.logs': apiRoute('container', 'container_routes.go', '(*containerRouter).getContainersLogs'),
  'api.containers.changes': apiRoute(
    'container',
    'container_routes.go',
    '(*containerRouter).getContainersChanges',
  ),
  'api.containers.stop': apiRoute(
    'container',
    'container_routes.go',
    '(*containerRouter).postContainersStop',
  ),
  'api.containers.kill': apiRoute(
    'container',
    'container_routes.go',
    '(*containerRouter).postContainersKill',
  ),
  'api.containers.pause': apiRoute(
    'container',
    'container_routes.go',
    '(*containerRouter).postContainersPause',
  ),
  'api.containers.unpause': apiRoute(
    'container',
    'container_routes.go',
    '(*containerRouter).postContainersUnpause',
  ),
  'api.containers.restart': apiRoute(
    'container',
    'container_routes.go',
    '(*containerRouter).postContainersRestart',
  ),
  'api.containers.attach': apiRoute(
    'container',
    'container_routes.go',
    '(*containerRouter).postContainersAttach',
  ),
  'api.containers.rename': apiRoute(
    'container',
    'container_routes.go',
    '(*containerRouter).postContainerRename',
  ),
  'api.containers.delete': apiRoute(
    'container',
    'container_routes.go',
    '(*containerRouter).deleteContainers',
  ),
  'api.containers.prune': apiRoute(
    'container',
    'container_routes.go',
    '(*containerRouter).postContainersPrune',
  ),
  'api.containers.exec': apiRoute('container', 'exec.go', '(*containerRouter).postContainerExecCreate'),
  'api.exec.start': apiRoute('container', 'exec.go', '(*containerRouter).postContainerExecStart'),
  'api.exec.inspect': apiRoute('container', 'exec.go', '(*containerRouter).getExecByID'),
  'api.images.list': apiRoute('image', 'image_routes.go', '(*imageRouter).getImagesJSON'),
  'api.images.history': apiRoute('image', 'image_routes.go', '(*imageRouter).getImagesHistory'),
  'api.images.tag': apiRoute('image', 'image_routes.go', '(*imageRouter).postImagesTag'),
  'api.images.push': apiRoute('image', 'image_routes.go', '(*imageRouter).postImagesPush'),
  'api.images.delete': apiRoute('image', 'image_routes.go', '(*imageRouter).deleteImages'),
  'api.networks.list': apiRoute('network', 'network_routes.go', '(*networkRouter).getNetworksList'),
  'api.networks.inspect': apiRoute('network', 'network_routes.go', '(*networkRouter).getNetwork'),
  'api.networks.create': apiRoute('network', 'network_routes.go', '(*networkRouter).postNetworkCreate'),
  'api.networks.connect': apiRoute('network', 'network_routes.go', '(*networkRouter).postNetworkConnect'),
  'api.networks.disconnect': apiRoute(
    'network',
    'network_routes.go',
    '(*networkRouter).postNetworkDisconnect',
  ),
  'api.networks.delete': apiRoute('network', 'network_routes.go', '(*networkRouter).deleteNetwork'),
  'api.volumes.list': apiRoute('volume', 'volume_routes.go', '(*volumeRouter).getVolumesList'),
  'api.volumes.inspect': apiRoute('volume', 'volume_routes.go', '(*volumeRouter).getVolumeByName'),
  'api.volumes.create': apiRoute('volume', 'volume_routes.go', '(*volumeRouter).postVolumesCreate'),
  'api.volumes.delete': apiRoute('volume', 'volume_routes.go', '(*volumeRouter).deleteVolumes'),
  'api.info': apiRoute('system', 'system_routes.go', '(*systemRouter).getInfo'),
  'api.version': apiRoute('system', 'system_routes.go', '(*systemRouter).getVersion'),
  'api.events': apiRoute('system', 'system_routes.go', '(*systemRouter).getEvents'),
  'api.system.df': apiRoute('system', 'system_routes.go', '(*systemRouter).getDiskUsage'),
  'api.build': apiRoute('build', 'build_routes.go', '(*buildRouter).postBuild'),
  'api.session': apiRoute('session', 'session_routes.go', '(*sessionRouter).startSession'),
  'api.grpc': apiRoute('grpc', 'grpc_routes.go', '(*grpcRouter).serveGRPC'),
  // A hijacked stream's frames: an 8-byte header (stream, length) before each chunk.
  'attach.output': moby(
    ['pkg/stdcopy/stdcopy.go', '(*stdWriter).Write'],
    ['daemon/internal/stdcopymux/writer.go', '(*stdWriter).Write'],
  ),
  // The daemon's process: systemd runs it, signals it and waits for its READY=1.
  'host.action': {
    classic: { ...MOBY20, file: 'contrib/init/systemd/docker.service', func: '[Service] ExecStart' },
    v29: { ...MOBY29, file: 'contrib/init/systemd/docker.service', func: '[Service] ExecStart' },
  },
  'host.exec': moby(['cmd/dockerd/docker.go', 'main'], ['cmd/dockerd/main.go', 'main']),
  'host.signal': moby(['pkg/signal/trap.go', 'Trap'], ['daemon/command/trap/trap.go', 'Trap']),
  'host.ready': moby(
    ['cmd/dockerd/daemon_linux.go', 'notifyReady'],
    ['daemon/command/daemon_linux.go', 'notifyReady'],
  ),
  'host.exited': moby(
    ['cmd/dockerd/daemon.go', '(*DaemonCli).start'],
    ['daemon/command/daemon.go', '(*daemonCLI).start'],
  ),
  'dockerd.boot': moby(
    ['cmd/dockerd/daemon.go', '(*DaemonCli).start'],
    ['daemon/command/daemon.go', '(*daemonCLI).start'],
  ),
  // The listeners exist before the restore: a command connects and waits in the backlog.
  'dockerd.listen.backlog': moby(
    ['cmd/dockerd/daemon.go', 'loadListeners'],
    ['daemon/command/daemon.go', 'loadListeners'],
  ),
  'dockerd.listen': moby(
    ['cmd/dockerd/daemon.go', '(*DaemonCli).start'],
    ['daemon/command/daemon.go', '(*daemonCLI).start'],
  ),
  'dockerd.restore.load': both('daemon/daemon.go', '(*Daemon).restore'),
  'dockerd.restore.start': both('daemon/daemon.go', '(*Daemon).restore'),
  'dockerd.restore.keep': both('daemon/daemon.go', '(*Daemon).restore'),
  'dockerd.restore.shutdown': both('daemon/daemon.go', '(*Daemon).restore'),
  'dockerd.shutdown': both('daemon/daemon.go', '(*Daemon).Shutdown'),
};

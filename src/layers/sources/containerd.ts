import { any, cri, ctrd, ctrdService, CTRD21, K8S, shimTask, type Pair } from './refs.ts';

/** containerd's services, the shim's task service, and the CRI plugin (Kubernetes, v29 only). */
export const CONTAINERD_SOURCES: Record<string, Pair> = {
  'ctrd.Containers.Delete': ctrdService('containers', 'local.go', '(*local).Delete'),
  'ctrd.Tasks.Get': ctrdService('tasks', 'local.go', '(*local).Get'),
  'ctrd.Tasks.Delete': ctrdService('tasks', 'local.go', '(*local).Delete'),
  'ctrd.Tasks.DeleteProcess': ctrdService('tasks', 'local.go', '(*local).DeleteProcess'),
  'ctrd.Tasks.Exec': ctrdService('tasks', 'local.go', '(*local).Exec'),
  'ctrd.Tasks.Kill': ctrdService('tasks', 'local.go', '(*local).Kill'),
  'ctrd.Tasks.Pause': ctrdService('tasks', 'local.go', '(*local).Pause'),
  'ctrd.Tasks.Resume': ctrdService('tasks', 'local.go', '(*local).Resume'),
  'ctrd.Images.List': ctrdService('images', 'local.go', '(*local).List'),
  'ctrd.Images.Delete': ctrdService('images', 'local.go', '(*local).Delete'),
  'ctrd.Snapshots.Remove': ctrdService('snapshots', 'service.go', '(*service).Remove'),
  'ctrd.Snapshots.Mounts': ctrdService('snapshots', 'service.go', '(*service).Mounts'),
  'ctrd.Content.Info': ctrdService('content', 'contentserver/contentserver.go', '(*service).Info'),
  'ctrd.Content.ReaderAt': ctrdService('content', 'contentserver/contentserver.go', '(*service).Read'),
  // Engine 29 holds a container's layers under a lease; deleting it with sync runs the collector.
  'ctrd.Leases.Delete': ctrd(
    ['services/leases/service.go', '(*service).Delete'],
    ['plugins/services/leases/service.go', '(*service).Delete'],
  ),
  'ctrd.Diff.Diff': ctrdService('diff', 'local.go', '(*local).Diff'),
  'ctrd.Events.Subscribe': ctrdService('events', 'service.go', '(*service).Subscribe'),
  'ctrd.event': ctrd(
    ['events/exchange/exchange.go', '(*Exchange).Publish'],
    ['core/events/exchange/exchange.go', '(*Exchange).Publish'],
  ),
  // containerd notices a client is gone when its event stream ends.
  'host.connClosed': ctrdService('events', 'service.go', '(*service).Subscribe'),
  'shim.Exec': shimTask('(*service).Exec'),
  'shim.Kill': shimTask('(*service).Kill'),
  'shim.Pause': shimTask('(*service).Pause'),
  'shim.Resume': shimTask('(*service).Resume'),
  'shim.Delete': shimTask('(*service).Delete'),
  'shim.Shutdown': shimTask('(*service).Shutdown'),
  // The shim is a child subreaper: it reaps what its container leaves behind.
  'kernel.exit': ctrd(['sys/reaper/reaper_unix.go', 'Reap'], ['pkg/sys/reaper/reaper_unix.go', 'Reap']),
  // cgroup v1 (classic's host): an eventfd on memory.oom_control; v2: inotify on memory.events.
  'kernel.oom': ctrd(['pkg/oom/v1/v1.go', '(*epoller).Add'], ['pkg/oom/v2/v2.go', '(*watcher).Add']),
  'kubelet.command': any({ ...K8S, file: 'pkg/kubelet/kubelet.go', func: '(*Kubelet).HandlePodAdditions' }),
  'cri.RunPodSandbox': cri('server/sandbox_run.go', '(*criService).RunPodSandbox'),
  'cri.PodSandboxStatus': cri('server/sandbox_status.go', '(*criService).PodSandboxStatus'),
  'cri.StopPodSandbox': cri('server/sandbox_stop.go', '(*criService).StopPodSandbox'),
  'cri.RemovePodSandbox': cri('server/sandbox_remove.go', '(*criService).RemovePodSandbox'),
  'cri.CreateContainer': cri('server/container_create.go', '(*criService).CreateContainer'),
  'cri.StartContainer': cri('server/container_start.go', '(*criService).StartContainer'),
  'cri.StopContainer': cri('server/container_stop.go', '(*criService).StopContainer'),
  'cri.RemoveContainer': cri('server/container_remove.go', '(*criService).RemoveContainer'),
  'cri.PullImage': cri('server/images/image_pull.go', '(*GRPCCRIImageService).PullImage'),
  'cri.ImageStatus': cri('server/images/image_status.go', '(*CRIImageService).ImageStatus'),
  'cri.container.spec': cri('server/container_create.go', '(*criService).buildLinuxSpec'),
  'cri.sandbox.reserve': cri('server/sandbox_run.go', '(*criService).RunPodSandbox'),
  'cri.sandbox.release': cri('server/sandbox_remove.go', '(*criService).RemovePodSandbox'),
  'cri.sandbox.files': cri('server/podsandbox/sandbox_run_linux.go', '(*Controller).setupSandboxFiles'),
  'cri.sandbox.files.cleanup': cri(
    'server/podsandbox/sandbox_run_linux.go',
    '(*Controller).cleanupSandboxFiles',
  ),
  'cri.transfer': {
    v29: { ...CTRD21, file: 'core/transfer/local/pull.go', func: '(*localTransferService).pull' },
  },
  'cri.content.write': {
    v29: { ...CTRD21, file: 'plugins/content/local/writer.go', func: '(*writer).Commit' },
  },
  'cri.images.create': cri('server/images/image_pull.go', '(*CRIImageService).PullImage'),
  'cni.add': cri('server/sandbox_run.go', '(*criService).setupPodNetwork'),
  'cni.del': cri('server/sandbox_stop.go', '(*criService).teardownPodNetwork'),
  'kernel.netns': { v29: { ...CTRD21, file: 'pkg/netns/netns_linux.go', func: 'NewNetNS' } },
  'kernel.netnsRemove': { v29: { ...CTRD21, file: 'pkg/netns/netns_linux.go', func: '(*NetNS).Remove' } },
};

import type { Catalogue } from '../index.ts';

/**
 * containerd's CRI plugin at work inside containerd (namespace k8s.io): its in-process calls to
 * containerd's services, the pull it makes itself, the CNI plugins it execs, the system calls it
 * makes for the pod's network namespace, and how the shim serves a whole pod.
 */
export const cri: Catalogue = {
  'cri.sandbox.reserve':
    'The CRI plugin reserves the sandbox name {name} (name_namespace_uid_attempt, so two sandboxes of one pod cannot race), and records the sandbox with a lease in containerd’s namespace k8s.io — Docker’s containers live in moby, apart.',
  'kernel.netns':
    'containerd itself creates the pod’s network namespace: unshare(CLONE_NEWNET) on a thread, then a bind mount to {path} keeps it alive with no process in it. The pause container will join it; it does not create its own.',
  'cni.add.loopback':
    'containerd execs the CNI loopback plugin (CNI_COMMAND=ADD, the network config on stdin), as go-cni always sets up lo first.',
  'cni.add.loopback.reply': 'lo is up in the pod’s namespace, with 127.0.0.1.',
  'cni.add.bridge':
    'containerd execs the CNI bridge plugin for the first network of /etc/cni/net.d, containerd’s example 10-containerd-net.conflist: bridge cni0, host-local addresses from 10.88.0.0/16. This is CNI, not Docker’s libnetwork: no docker0.',
  'cni.add.bridge.reply':
    'The bridge plugin answers as CNI plugins do, with a JSON result: veth {veth} on cni0 on the host, its peer eth0 in the pod with {ip}, a default route via the bridge, and masquerading for traffic that leaves the node.',
  'cni.add.portmap':
    'The conflist chains the portmap plugin after bridge; it gets bridge’s result as prevResult.',
  'cni.add.portmap.reply':
    'The pod asks for no hostPort, so portmap adds no DNAT rule and passes the result on.',
  'cni.del.loopback': 'Tearing down the pod’s network: go-cni runs DEL for each network, loopback first.',
  'cni.del.loopback.reply': 'lo is down.',
  'cni.del.portmap': 'For containerd-net, DEL runs the plugins in reverse order: portmap first.',
  'cni.del.portmap.reply': 'No DNAT rules to remove.',
  'cni.del.bridge': 'Then bridge: the veth pair and the address go.',
  'cni.del.bridge.reply':
    'The veth is deleted and host-local releases {ip}; it will not hand it out again at once (it continues after the last address it gave).',
  'kernel.netnsRemove':
    'containerd unmounts and deletes the pod’s network namespace {path}; with no process and no mount holding it, the kernel frees it.',

  'cri.transfer':
    'containerd pulls {ref} itself, with its transfer service (resolver, fetcher and unpacker in one): on a Kubernetes node there is no dockerd to pull, and the kubelet does not pull either.',
  'cri.registry.get':
    'containerd’s resolver asks the registry. Like Engine 29’s dockerd, which links the same resolver (dockerd 20.10 pings `GET /v2/` first), it sends no `GET /v2/`: it resolves the tag with HEAD, answers a 401 by fetching a token, and follows redirects (registry.k8s.io redirects every request to the mirror that serves it).',
  'cri.content.write':
    'The layer’s bytes, checked against their sha256, are committed to containerd’s content store ({size} bytes).',
  'cri.images.create':
    'containerd records the image in its image store in namespace k8s.io: {name}. The CRI plugin keeps three names for one image — the tag, the image id and the repo digest — so the kubelet can use any of them.',
  'cri.storage.prepare.sandbox':
    'The pause container gets a snapshot on top of the pause image’s single layer (it will be mounted read-only).',
  'cri.storage.prepare.container':
    'The container gets its writable snapshot on top of the image’s layers, in the k8s.io namespace.',
  'cri.ctrd.Containers.Create.sandbox':
    'The podsandbox controller creates the pause container in containerd: metadata only — the OCI spec (pause’s entrypoint, read-only root, the pod’s network namespace), the snapshot, runtime io.containerd.runc.v2.',
  'cri.ctrd.Containers.Create':
    'The CRI plugin creates the containerd container for the pod’s container: the OCI spec and the snapshot. Still no process.',
  'cri.sandbox.files':
    'The controller writes the files the pod’s containers will share: hostname and resolv.conf, and a tmpfs for /dev/shm.',
  'cri.ctrd.Tasks.Create.sandbox':
    'The controller creates the pause container’s task. containerd starts a shim for it; the shim runs `runc create`. The sandbox has no stdio.',
  'cri.ctrd.Tasks.Start.sandbox':
    'And starts it: `runc start`, and /pause runs as PID 1 of the pod’s PID namespace, doing nothing but holding the namespaces.',
  'cri.container.spec':
    'The container’s OCI spec joins the pod: network, IPC and UTS namespaces by path through the pause process (/proc/{pid}/ns/net, ipc, uts); a PID namespace of its own (the kubelet’s default), a mount namespace and, on cgroup v2, a cgroup namespace.',
  'cri.ctrd.Tasks.Create':
    'StartContainer: the CRI plugin creates the container’s task. Its stdout and stderr go to FIFOs the plugin itself reads into the pod’s log file, /var/log/pods/…/0.log.',
  'cri.ctrd.Tasks.Start': 'And starts it: the shim runs `runc start`.',
  'cri.ctrd.Tasks.Kill':
    'StopContainer: the plugin sends the stop signal, {signal} (the image’s STOPSIGNAL, else SIGTERM), and waits up to {seconds} s for the exit.',
  'cri.ctrd.Tasks.Kill.force': 'The grace period is over (or there was none): the plugin sends SIGKILL.',
  'cri.ctrd.Tasks.Kill.sandbox':
    'StopPodSandbox: the pause process gets SIGKILL at once (it would have handled SIGTERM, but containerd does not ask).',
  'cri.ctrd.Tasks.Delete':
    'The plugin’s event monitor saw /tasks/exit and deletes the task (`runc delete` in the shim); the container’s exit code, {code}, is recorded for the kubelet.',
  'cri.ctrd.Tasks.Delete.sandbox':
    'The event monitor saw the pause process exit ({code}) and deletes the sandbox’s task: now the shim has nothing left to serve.',
  'cri.sandbox.files.cleanup': 'The controller unmounts the pod’s /dev/shm and removes its files.',
  'cri.ctrd.Containers.Delete':
    'RemoveContainer: containerd deletes the container’s record (with its snapshot, next).',
  'cri.ctrd.Containers.Delete.reply':
    'containerd answers “{call}”: the container is gone from namespace k8s.io.',
  'cri.ctrd.Containers.Delete.sandbox':
    'RemovePodSandbox: containerd deletes the pause container’s record (with its snapshot, next).',
  'cri.ctrd.Containers.Delete.sandbox.reply': 'containerd answers “{call}”: the pause container is gone.',
  'cri.sandbox.release':
    'The plugin removes the sandbox’s directories, its record and lease, and releases the name {name}.',

  'shim.start.grouped':
    'containerd runs `containerd-shim-runc-v2 … start` for the pod’s container. The shim names its socket after the spec’s io.kubernetes.cri.sandbox-id, the pod’s sandbox, whose shim already listens there.',
  'shim.start.grouped.reply':
    'The socket is in use and answers, so the start command prints that address and exits: no new process. One shim serves the whole pod — the pause container and each container, each with its own task.',
  'shim.Shutdown.kept.reply':
    'The shim still serves another container of the pod, so Shutdown returns and the shim keeps running.',
  'shim.event.tasks.exit.cri':
    'The shim, as subreaper, collected the exit status and publishes /tasks/exit. The CRI plugin’s event monitor, inside containerd, acts on it; no dockerd is listening.',
  'fifo.output.cri':
    'The shim copies {bytes} byte(s) the container wrote to {stream} into its FIFO; containerd’s CRI plugin reads it and appends the line to the pod’s log file (what `kubectl logs` reads, through the kubelet).',
  'kernel.setns.pod':
    'runc joins the pod’s {ns} namespace through the pause process, {path}, with setns(): every container of the pod shares it, and it outlives them as long as pause runs.',
};

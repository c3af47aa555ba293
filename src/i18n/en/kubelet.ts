import type { Catalogue } from '../index.ts';

/**
 * The kubelet and kubectl: the lines you type, and the CRI calls the kubelet makes to
 * containerd's CRI plugin over /run/containerd/containerd.sock (runtime.v1.RuntimeService and
 * runtime.v1.ImageService), with the plugin's answers.
 */
export const kubelet: Catalogue = {
  'phase.cri.sandbox': 'pod sandbox (pause)',
  'phase.cri.image': 'image',
  'phase.cri.container': 'container creation and start',
  'phase.cri.stop': 'container stop',
  'phase.cri.sandboxStop': 'sandbox stop',
  'phase.cri.remove': 'removal',

  'kubelet.command':
    'You type `{line}`. kubectl only talks to the API server; the scheduler binds a new pod to a node, and that node’s kubelet learns of it through its watch on the API server. Neither the API server nor the scheduler is drawn: this arrow stands for that whole path, and the kubelet answers in the API server’s place.',
  'kubectl.run.reply':
    'kubectl prints `pod/… created` and exits {code} as soon as the API server has stored the pod: it does not wait for anything to run. Everything that follows is the kubelet’s work on the node.',
  'kubectl.delete.reply':
    'kubectl printed “deleted” as soon as the API server accepted the deletion, then waited until the pod was gone: that is now, after the kubelet stopped its container and its sandbox. It exits {code}; the clean-up that follows happens without it.',
  'kubectl.get.reply':
    'kubectl gets the pod list from the API server, which knows each pod’s status from what the kubelet reported; no CRI call is made, as `docker ps` makes no containerd call. It exits {code}.',
  'kubectl.error.reply':
    'kubectl exits with status {code}: it rejected the line itself, or the API server refused the request. Nothing reached the node.',

  'cri.RunPodSandbox':
    'A new pod: the kubelet’s SyncPod first asks the runtime for the pod sandbox, over CRI: `runtime.v1.RuntimeService/RunPodSandbox` with the PodSandboxConfig (name, namespace, UID, hostname, log directory, DNS, cgroup parent). No dockerd anywhere: containerd’s own CRI plugin answers.',
  'cri.RunPodSandbox.reply':
    'containerd’s CRI plugin answers with the sandbox’s id: the pod’s network namespace has its address, and the pause process (host pid {pid}) holds the pod’s namespaces open. The pod has no container of its own yet.',
  'cri.PodSandboxStatus':
    'The kubelet asks for the sandbox’s status, to learn the IP address CNI gave the pod (it goes into the containers’ environment and the pod’s status).',
  'cri.PodSandboxStatus.reply': 'containerd answers {state}: the pod’s address is {ip}.',
  'cri.ImageStatus':
    'Before the container, the kubelet’s image manager asks whether {image} is on the node (`ImageService/ImageStatus`). The name has `:latest` added but no docker.io: the CRI stays neutral about registries.',
  'cri.ImageStatus.user':
    'Once more ImageStatus, for {image} as the pod spec names it: the kubelet reads the image’s USER (uid or user name) to enforce runAsNonRoot before it creates the container.',
  'cri.ImageStatus.reply':
    'containerd answers with the image record: its id, tags and size, from the CRI plugin’s image store in the k8s.io namespace.',
  'cri.ImageStatus.missing.reply':
    'containerd answers with an empty image: {image} is not on this node. That is an answer, not an error.',
  'cri.PullImage':
    'The kubelet asks the runtime to pull {image} (`ImageService/PullImage`, with the sandbox config). The pull policy is {policy}: with the `:latest` tag the API server defaults it to Always, so the kubelet would pull even if the image were there. containerd pulls, not the kubelet.',
  'cri.PullImage.reply':
    'containerd answers with the image reference, the config’s digest {ref}: the kubelet names the image by it from now on.',
  'cri.CreateContainer':
    'The kubelet asks containerd to create the container {name} inside the sandbox (`RuntimeService/CreateContainer`), with its ContainerConfig: image, command and args, environment (including the `kubernetes` Service’s variables), mounts, log path, resources.',
  'cri.CreateContainer.reply':
    'containerd answers with the container’s id. Only metadata exists: the spec, the snapshot, the containerd container. No process yet.',
  'cri.StartContainer':
    'The kubelet asks containerd to start the container (`RuntimeService/StartContainer`).',
  'cri.StartContainer.reply':
    'The container runs (host pid {pid}), in the pod’s shared network, IPC and UTS namespaces. From here the kubelet follows it through PLEG, its periodic relist of the runtime’s pods and containers (not drawn).',
  'cri.StopContainer':
    'The pod is being deleted: the kubelet stops its container with the pod’s grace period, {seconds} s (terminationGracePeriodSeconds, 30 by default) — `RuntimeService/StopContainer`.',
  'cri.StopContainer.reply':
    'The container has exited and its task is deleted: StopContainer returns only then.',
  'cri.StopPodSandbox':
    'With the containers stopped, the kubelet stops the sandbox (`RuntimeService/StopPodSandbox`): the pause process, and the pod’s network.',
  'cri.StopPodSandbox.reply':
    'The sandbox is stopped: the pause process is gone, CNI has released the address, the network namespace is removed.',
  'cri.RemoveContainer':
    'The kubelet’s pod container deletor removes the exited container (`RuntimeService/RemoveContainer`), prompted by PLEG’s ContainerDied event for a pod that is being deleted.',
  'cri.RemoveContainer.reply': 'The container and its writable layer are gone.',
  'cri.RemovePodSandbox':
    'The kubelet’s garbage collector removes the sandbox of a pod that no longer exists (`RuntimeService/RemovePodSandbox`). It runs once a minute; that wait is not drawn.',
  'cri.RemovePodSandbox.reply': 'The sandbox and everything the runtime kept for it are gone.',
  'cri.error.reply':
    'The CRI call fails with a gRPC error: “{message}”. The kubelet records it in the pod’s status (and would retry later with a back-off, not drawn).',
};

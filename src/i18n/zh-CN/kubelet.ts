import type { Catalogue } from '../index.ts';

/**
 * kubelet 与 kubectl：你输入的命令，以及 kubelet 通过 /run/containerd/containerd.sock 向 containerd
 * 的 CRI 插件发出的 CRI 调用（runtime.v1.RuntimeService 与 runtime.v1.ImageService）和插件的回复。
 */
export const kubelet: Catalogue = {
  'phase.cri.sandbox': 'Pod 沙箱（pause）',
  'phase.cri.image': '镜像',
  'phase.cri.container': '容器的创建与启动',
  'phase.cri.stop': '容器停止',
  'phase.cri.sandboxStop': '沙箱停止',
  'phase.cri.remove': '清除',

  'kubelet.command':
    '你输入 `{line}`。kubectl 只和 API server 通信；调度器把新 Pod 绑定到某个节点，该节点上的 kubelet 通过对 API server 的 watch 得知此事。图中没有画出 API server 和调度器：这一个箭头代表整条路径，kubelet 也代替 API server 作答。',
  'kubectl.run.reply':
    'API server 一存下 Pod 对象，kubectl 就打印 `pod/… created` 并以 {code} 退出：它不等任何东西运行起来。接下来的一切都是 kubelet 在节点上完成的。',
  'kubectl.delete.reply':
    'API server 一接受删除请求，kubectl 就打印了“deleted”，然后一直等到 Pod 消失——也就是现在，kubelet 停掉了容器和沙箱之后。它以 {code} 退出；之后的清理在它退出后进行。',
  'kubectl.get.reply':
    'kubectl 从 API server 取得 Pod 列表，API server 根据 kubelet 上报的状态知道每个 Pod 的情况；这里没有任何 CRI 调用，就像 `docker ps` 不会调用 containerd 一样。它以 {code} 退出。',
  'kubectl.error.reply':
    'kubectl 以状态码 {code} 退出：要么是它自己拒绝了这行命令，要么是 API server 拒绝了请求。节点上什么都没有发生。',

  'cri.RunPodSandbox':
    '一个新 Pod：kubelet 的 SyncPod 首先通过 CRI 向运行时请求 Pod 沙箱：`runtime.v1.RuntimeService/RunPodSandbox`，附带 PodSandboxConfig（名称、命名空间、UID、主机名、日志目录、DNS、cgroup 父路径）。这里没有 dockerd：回答它的是 containerd 自带的 CRI 插件。',
  'cri.RunPodSandbox.reply':
    'containerd 的 CRI 插件回复沙箱的 id：Pod 的网络命名空间已有地址，pause 进程（宿主机 pid {pid}）让 Pod 的各个命名空间保持存在。此时 Pod 还没有自己的容器。',
  'cri.PodSandboxStatus':
    'kubelet 查询沙箱状态，以得知 CNI 分配给 Pod 的 IP 地址（它会写进容器的环境变量和 Pod 的状态）。',
  'cri.PodSandboxStatus.reply': 'containerd 回复 {state}：Pod 的地址是 {ip}。',
  'cri.ImageStatus':
    '创建容器之前，kubelet 的镜像管理器先问 {image} 是否已在节点上（`ImageService/ImageStatus`）。名字补上了 `:latest`，却没有加 docker.io：CRI 对镜像仓库保持中立。',
  'cri.ImageStatus.user':
    '再一次 ImageStatus，查询 Pod spec 中写的 {image}：kubelet 读取镜像的 USER（uid 或用户名），以便在创建容器前执行 runAsNonRoot 检查。',
  'cri.ImageStatus.reply':
    'containerd 回复镜像记录：id、标签和大小，来自 CRI 插件在 k8s.io 命名空间中的镜像存储。',
  'cri.ImageStatus.missing.reply':
    'containerd 回复一个空镜像：{image} 不在这个节点上。这是一个回答，而不是错误。',
  'cri.PullImage':
    'kubelet 请运行时拉取 {image}（`ImageService/PullImage`，附带沙箱配置）。拉取策略为 {policy}：对 `:latest` 标签，API server 默认设为 Always，所以即使镜像已在，kubelet 也会拉取。拉取镜像的是 containerd，而不是 kubelet。',
  'cri.PullImage.reply': 'containerd 回复镜像引用，即配置的摘要 {ref}：此后 kubelet 用它来指代这个镜像。',
  'cri.CreateContainer':
    'kubelet 请 containerd 在沙箱中创建容器 {name}（`RuntimeService/CreateContainer`），附带 ContainerConfig：镜像、命令与参数、环境变量（包括 `kubernetes` Service 的变量）、挂载、日志路径和资源。',
  'cri.CreateContainer.reply':
    'containerd 回复容器的 id。此时只有元数据：spec、快照和 containerd 容器，还没有进程。',
  'cri.StartContainer': 'kubelet 请 containerd 启动容器（`RuntimeService/StartContainer`）。',
  'cri.StartContainer.reply':
    '容器已在运行（宿主机 pid {pid}），身处 Pod 共享的网络、IPC 和 UTS 命名空间中。此后 kubelet 通过 PLEG——定期重新列出运行时中的 Pod 和容器——来跟踪它（图中未画出）。',
  'cri.StopContainer':
    'Pod 正在被删除：kubelet 以 Pod 的宽限期 {seconds} 秒（terminationGracePeriodSeconds，默认 30）停止它的容器——`RuntimeService/StopContainer`。',
  'cri.StopContainer.reply': '容器已经退出，它的任务也已删除：StopContainer 要到这时才返回。',
  'cri.StopPodSandbox':
    '容器停止后，kubelet 停止沙箱（`RuntimeService/StopPodSandbox`）：包括 pause 进程和 Pod 的网络。',
  'cri.StopPodSandbox.reply': '沙箱已停止：pause 进程不在了，CNI 已释放地址，网络命名空间也已删除。',
  'cri.RemoveContainer':
    'kubelet 的 Pod 容器删除器移除已退出的容器（`RuntimeService/RemoveContainer`），触发它的是 PLEG 对一个正在删除的 Pod 报告的 ContainerDied 事件。',
  'cri.RemoveContainer.reply': '容器及其可写层都已删除。',
  'cri.RemovePodSandbox':
    'kubelet 的垃圾回收器移除一个已不存在的 Pod 的沙箱（`RuntimeService/RemovePodSandbox`）。它每分钟运行一次；这段等待没有画出。',
  'cri.RemovePodSandbox.reply': '沙箱以及运行时为它保存的一切都已删除。',
  'cri.error.reply':
    'CRI 调用以 gRPC 错误失败：“{message}”。kubelet 把它记入 Pod 的状态（之后会按退避策略重试，图中未画出）。',
};

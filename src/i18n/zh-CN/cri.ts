import type { Catalogue } from '../index.ts';

/**
 * containerd 的 CRI 插件在 containerd 内部的工作（命名空间 k8s.io）：它在进程内对 containerd 各服务的调用、
 * 它自己完成的镜像拉取、它执行的 CNI 插件、它为 Pod 网络命名空间所做的系统调用，以及 shim 如何为整个 Pod 服务。
 */
export const cri: Catalogue = {
  'cri.sandbox.reserve':
    'CRI 插件预留沙箱名 {name}（名称_命名空间_uid_次数，防止同一 Pod 的两个沙箱相互竞争），并在 containerd 的命名空间 k8s.io 中记下沙箱和一个 lease——Docker 的容器在 moby 命名空间里，互不相干。',
  'kernel.netns':
    'containerd 亲自创建 Pod 的网络命名空间：在一个线程上调用 unshare(CLONE_NEWNET)，再把它 bind mount 到 {path}，这样即使没有进程，它也会一直存在。pause 容器之后会加入它，而不是自己新建一个。',
  'cni.add.loopback':
    'containerd 执行 CNI 的 loopback 插件（环境变量 CNI_COMMAND=ADD，网络配置从标准输入传入）：go-cni 总是先配置 lo。',
  'cni.add.loopback.reply': 'Pod 命名空间中的 lo 已启用，地址 127.0.0.1。',
  'cni.add.bridge':
    'containerd 为 /etc/cni/net.d 中的第一个网络执行 CNI 的 bridge 插件，即 containerd 的示例配置 10-containerd-net.conflist：网桥 cni0，由 host-local 从 10.88.0.0/16 分配地址。这是 CNI，不是 Docker 的 libnetwork：没有 docker0。',
  'cni.add.bridge.reply':
    'bridge 插件照 CNI 的规矩以 JSON 结果作答：宿主机上挂在 cni0 上的 veth {veth}，它在 Pod 中的另一端 eth0 获得 {ip}，一条经网桥的默认路由，以及对离开节点的流量做地址伪装（MASQUERADE）。',
  'cni.add.portmap':
    '这个 conflist 在 bridge 之后串接了 portmap 插件；它以 prevResult 的形式拿到 bridge 的结果。',
  'cni.add.portmap.reply': 'Pod 没有要求 hostPort，所以 portmap 不添加任何 DNAT 规则，把结果原样传下去。',
  'cni.del.loopback': '拆除 Pod 的网络：go-cni 对每个网络执行 DEL，先是 loopback。',
  'cni.del.loopback.reply': 'lo 已停用。',
  'cni.del.portmap': '对 containerd-net，DEL 按相反的顺序执行插件：先是 portmap。',
  'cni.del.portmap.reply': '没有需要删除的 DNAT 规则。',
  'cni.del.bridge': '然后是 bridge：veth 对和地址都要去掉。',
  'cni.del.bridge.reply':
    'veth 已删除，host-local 释放了 {ip}；它不会马上再把这个地址分出去（它从上次分配的地址之后继续分配）。',
  'kernel.netnsRemove':
    'containerd 卸载并删除 Pod 的网络命名空间 {path}；既没有进程也没有挂载再引用它，内核便把它释放。',

  'cri.transfer':
    'containerd 用它的 transfer 服务（解析、获取、解包合为一体）亲自拉取 {ref}：Kubernetes 节点上没有 dockerd 来拉取，kubelet 也不拉取。',
  'cri.registry.get':
    'containerd 的解析器向镜像仓库发请求。和链接了同一个解析器的 Engine 29 dockerd 一样（dockerd 20.10 会先发 `GET /v2/` 探测），它不会先发 `GET /v2/`：它用 HEAD 解析标签，遇到 401 就去获取令牌，并跟随重定向（registry.k8s.io 会把每个请求重定向到实际提供内容的镜像站点）。',
  'cri.content.write': '该层的字节经 sha256 校验后，提交到 containerd 的内容存储（{size} 字节）。',
  'cri.images.create':
    'containerd 在命名空间 k8s.io 的镜像存储中记下镜像：{name}。CRI 插件为同一个镜像保存三个名字——标签、镜像 id 和仓库摘要——kubelet 用哪一个都可以。',
  'cri.storage.prepare.sandbox': 'pause 容器在 pause 镜像唯一的一层之上获得一个快照（它将以只读方式挂载）。',
  'cri.storage.prepare.container': '容器在镜像各层之上获得自己的可写快照，位于 k8s.io 命名空间中。',
  'cri.ctrd.Containers.Create.sandbox':
    'podsandbox 控制器在 containerd 中创建 pause 容器：只是元数据——OCI spec（pause 的入口程序、只读根目录、Pod 的网络命名空间）、快照，以及运行时 io.containerd.runc.v2。',
  'cri.ctrd.Containers.Create':
    'CRI 插件为 Pod 中的容器创建 containerd 容器：OCI spec 和快照。仍然没有进程。',
  'cri.sandbox.files':
    '控制器写好 Pod 中各容器将共享的文件：hostname 和 resolv.conf，以及一个用作 /dev/shm 的 tmpfs。',
  'cri.ctrd.Tasks.Create.sandbox':
    '控制器为 pause 容器创建任务。containerd 为它启动一个 shim，shim 执行 `runc create`。沙箱没有标准输入输出。',
  'cri.ctrd.Tasks.Start.sandbox':
    '然后启动它：`runc start`，/pause 作为 Pod 的 PID 命名空间中的 1 号进程运行，什么也不做，只是让这些命名空间保持存在。',
  'cri.container.spec':
    '容器的 OCI spec 加入这个 Pod：网络、IPC 和 UTS 命名空间通过 pause 进程的路径加入（/proc/{pid}/ns/net、ipc、uts）；PID 命名空间是自己的（kubelet 的默认设置），另有自己的挂载命名空间，在 cgroup v2 上还有 cgroup 命名空间。',
  'cri.ctrd.Tasks.Create':
    'StartContainer：CRI 插件为容器创建任务。容器的标准输出和标准错误进入 FIFO，由插件自己读出并写入 Pod 的日志文件 /var/log/pods/…/0.log。',
  'cri.ctrd.Tasks.Start': '然后启动它：shim 执行 `runc start`。',
  'cri.ctrd.Tasks.Kill':
    'StopContainer：插件发送停止信号 {signal}（镜像的 STOPSIGNAL，否则为 SIGTERM），并最多等待 {seconds} 秒让它退出。',
  'cri.ctrd.Tasks.Kill.force': '宽限期已过（或者根本没有宽限期）：插件发送 SIGKILL。',
  'cri.ctrd.Tasks.Kill.sandbox':
    'StopPodSandbox：pause 进程直接收到 SIGKILL（它本来能处理 SIGTERM，但 containerd 并不给它这个机会）。',
  'cri.ctrd.Tasks.Delete':
    '插件的事件监视器看到了 /tasks/exit，于是删除任务（shim 中执行 `runc delete`）；容器的退出码 {code} 被记录下来供 kubelet 读取。',
  'cri.ctrd.Tasks.Delete.sandbox':
    '事件监视器看到 pause 进程退出（{code}），于是删除沙箱的任务：至此 shim 已无事可做。',
  'cri.sandbox.files.cleanup': '控制器卸载 Pod 的 /dev/shm，并删除它的文件。',
  'cri.ctrd.Containers.Delete': 'RemoveContainer：containerd 删除容器的记录（接着删除它的快照）。',
  'cri.ctrd.Containers.Delete.reply': 'containerd 回复“{call}”：容器已从命名空间 k8s.io 中消失。',
  'cri.ctrd.Containers.Delete.sandbox':
    'RemovePodSandbox：containerd 删除 pause 容器的记录（接着删除它的快照）。',
  'cri.ctrd.Containers.Delete.sandbox.reply': 'containerd 回复“{call}”：pause 容器已删除。',
  'cri.sandbox.release': '插件删除沙箱的目录、记录和 lease，并释放名字 {name}。',

  'shim.start.grouped':
    'containerd 为 Pod 中的容器运行 `containerd-shim-runc-v2 … start`。shim 按 spec 中的 io.kubernetes.cri.sandbox-id（即 Pod 的沙箱）给套接字命名，而沙箱的 shim 早已在那里监听。',
  'shim.start.grouped.reply':
    '套接字已被占用并且能够应答，于是 start 命令打印出这个地址就退出了：没有新进程。一个 shim 为整个 Pod 服务——pause 容器和每个容器，各有各的任务。',
  'shim.Shutdown.kept.reply': 'shim 仍在为 Pod 中的其他容器服务，所以 Shutdown 直接返回，shim 继续运行。',
  'shim.event.tasks.exit.cri':
    'shim 作为 subreaper 回收了退出状态，并发布 /tasks/exit。处理它的是 containerd 内部 CRI 插件的事件监视器；没有 dockerd 在监听。',
  'fifo.output.cri':
    'shim 把容器写到 {stream} 的 {bytes} 字节拷贝进对应的 FIFO；containerd 的 CRI 插件读出这一行，追加到 Pod 的日志文件（`kubectl logs` 经由 kubelet 读取的就是它）。',
  'kernel.setns.pod':
    'runc 通过 pause 进程的 {path} 用 setns() 加入 Pod 的 {ns} 命名空间：Pod 中的每个容器都共享它，只要 pause 还在运行，它就比这些容器活得更久。',
};

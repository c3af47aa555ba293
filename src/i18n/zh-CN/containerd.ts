import type { Catalogue } from '../index.ts';

/**
 * containerd：dockerd 通过 gRPC 调用的各项服务（命名空间 moby）——镜像、内容、快照、diff
 * （Engine v29 的 containerd 镜像存储）、容器和任务——以及它转给 dockerd 的事件。
 */
export const containerd: Catalogue = {
  'ctrd.Images.Get':
    'containerd 镜像存储（Engine v29）：dockerd 通过 gRPC 向 containerd 的镜像服务查询 {ref}。镜像现在归 containerd 管，不再由 dockerd 自己保存。',
  'ctrd.Images.Get.reply':
    'containerd 回复“{call}”。镜像存在时，应答里带着它的摘要；不存在（NotFound）时，就得先拉取（对 `docker run`，dockerd 向 CLI 回 404，CLI 随即去拉取）。',
  'ctrd.Images.List': 'dockerd 向 containerd 的镜像服务查询 moby 命名空间里的所有镜像。',
  'ctrd.Images.List.reply':
    'containerd 返回 {count} 条镜像记录：每条都是一个名字，指向内容存储里某个清单的摘要。',
  'ctrd.Images.Create':
    'dockerd 在 containerd 里登记一个镜像名（拉取之后，或执行 `docker tag` 时）：一条记录，指向内容存储里清单（或索引）的摘要。',
  'ctrd.Images.Create.reply':
    'containerd 已保存镜像记录并发布 /images/create（名字已存在时是 /images/update），`docker images` 现在能列出它。',
  'ctrd.Images.Delete': 'dockerd 请 containerd 删除镜像记录；不再被引用的 blob 和快照随后会被垃圾回收。',
  'ctrd.Images.Delete.reply': 'containerd 回复“{call}”：这个镜像名已被删除。',

  'ctrd.Content.Read':
    'dockerd 按摘要从 containerd 的内容存储读取一个 blob（content.ReaderAt）；字节直接写进归档，不会放进消息。',
  'ctrd.Content.Read.reply': 'containerd 回复“{call}”：与该摘要下存储的内容逐字节一致。',
  'ctrd.Content.Write':
    'dockerd 把一个 blob 写进 containerd 的内容存储，containerd 校验它的 sha256 后存到 blobs/sha256/ 下：按内容寻址，相同的镜像层只存一份。',
  'ctrd.Content.Write.reply': 'blob 已提交：摘要校验通过，它现在以自己的 sha256 为名保存在内容存储里。',
  'ctrd.Snapshots.Prepare':
    'dockerd 请 containerd 的快照器在某个父快照之上建一个新的可写快照：拉取时用来解压下一层，新建容器时就成为容器的读写层。',
  'ctrd.Snapshots.Prepare.reply': '快照已就绪：一个空目录，叠在父快照的各层之上。',
  'ctrd.Diff.Apply':
    'dockerd 请 containerd 的 diff 服务把压缩的镜像层解压（gunzip 再 untar）到刚准备好的快照里，并把 whiteout 文件变成删除操作。',
  'ctrd.Diff.Apply.reply': '镜像层的文件已在快照中，内容也与镜像配置里登记的 diff id 一致。',
  'ctrd.Snapshots.Commit':
    'dockerd 以该层的 chain id 提交快照：从此它是只读层，其他镜像层和容器都可以叠在它上面。',
  'ctrd.Snapshots.Commit.reply': '已提交：这是一个只读层，所有包含它的镜像共用这一份。',
  'ctrd.Snapshots.Remove':
    'dockerd 请 containerd 删除容器的可写快照：容器写下的一切都随之丢失，镜像的只读层保留。',
  'ctrd.Snapshots.Remove.reply': 'containerd 回复“{call}”：容器的读写层已删除。',
  'ctrd.Snapshots.Mounts':
    'Engine 29 向 containerd 询问如何挂载容器的快照：得到的是挂载描述（overlay 及其 lowerdir、upperdir、workdir），并没有真正挂载。',
  'ctrd.Snapshots.Mounts.reply': 'containerd 回复要做的挂载：由 dockerd 自己去挂载。',
  'ctrd.Leases.Delete':
    'dockerd 删除创建容器时为其各层建立的租约（lease）；带 `sync` 时，containerd 的垃圾回收立即删除只被这个租约持有的东西：容器的快照和它的 init 层。',
  'ctrd.Leases.Delete.reply': 'containerd 回复“{call}”：容器的读写层和 init 层都已删除，镜像的各层保留。',

  'ctrd.Containers.Create':
    '直到启动这一刻，containerd 里才有了这个容器：dockerd 创建一个 containerd 容器，它只是元数据（OCI 规范、运行时 io.containerd.runc.v2），不指定快照：规范里的根目录是 dockerd 已经挂载好的路径。还没有进程。',
  'ctrd.Containers.Create.reply': 'containerd 回复“{call}”：容器元数据已保存，并发布了 /containers/create。',
  'ctrd.Containers.Delete':
    'dockerd 删除 containerd 里的容器：在 Docker 中它只在容器运行期间存在，下次 `docker start` 时会重新创建。',
  'ctrd.Containers.Delete.reply':
    'containerd 回复“{call}”。`docker ps -a` 仍能看到这个容器：删掉的只是 containerd 的那份，dockerd 自己还留着一份。',

  'ctrd.Tasks.Create':
    'dockerd 请 containerd 创建任务，也就是容器的运行实例：containerd 为容器启动一个 shim，由 shim 执行 `runc create`。容器的标准输入输出接到 dockerd 读取的 FIFO 上。',
  'ctrd.Tasks.Create.reply':
    'containerd 回复“{call}”。OK 表示容器的命名空间和控制组已经建好，init 进程正在等待；若是错误，则是 runc 报的，经 shim 一路传上来。',
  'ctrd.Tasks.Start':
    'dockerd 请 containerd 启动任务；带 exec_id 时，启动的是登记在任务里的 exec 进程。containerd 转给 shim：容器本身用 `runc start`，exec 进程用 `runc exec`。',
  'ctrd.Tasks.Start.reply':
    'containerd 回复“{call}”。OK 表示进程已在运行，这是它在宿主机上的 PID（容器的主进程在自己的 PID 命名空间里是 1 号进程）；若是错误，则是 runc 报的，经 shim 传上来。',
  'ctrd.Tasks.Kill':
    'dockerd 请 containerd 向容器主进程发送信号 {signal}；containerd 转给 shim，由 shim 执行 `runc kill`。',
  'ctrd.Tasks.Kill.reply':
    'containerd 回复“{call}”：信号已发出。这不代表进程已经退出，退出消息稍后会以 /tasks/exit 事件的形式到来。',
  'ctrd.Tasks.Pause': 'dockerd 请 containerd 暂停任务；shim 执行 `runc pause`，冻结容器的控制组。',
  'ctrd.Tasks.Pause.reply': 'containerd 回复“{call}”：任务已暂停。',
  'ctrd.Tasks.Resume': 'dockerd 请 containerd 恢复任务；shim 执行 `runc resume`，解冻容器的控制组。',
  'ctrd.Tasks.Resume.reply': 'containerd 回复“{call}”：任务重新运行。',
  'ctrd.Tasks.Exec':
    'dockerd 请 containerd 往运行中的任务里加一个 exec 进程。shim 只是把它登记下来（/tasks/exec-added），真正启动它的是随后的 Tasks.Start。',
  'ctrd.Tasks.Exec.reply': 'containerd 回复“{call}”：exec 进程已登记，但还没有运行。',
  'ctrd.Tasks.Delete':
    '任务已经退出，dockerd 把它删除：shim 执行 `runc delete` 释放控制组和 runc 的状态，并交回退出状态。',
  'ctrd.Tasks.Delete.reply': 'containerd 回复“{call}”：任务已删除，它的 shim 可以退出了。',

  'ctrd.event.tasks.exit':
    'containerd 把 shim 发布的 /tasks/exit 转给订阅了其事件流的 dockerd：容器里有个进程结束了。如果是主进程，dockerd 就开始清理资源。',
  'ctrd.event.tasks.oom':
    'containerd 把 /tasks/oom 转给 dockerd：内核的 OOM killer 在容器的控制组里杀死了进程，dockerd 将记下 OOMKilled: true。',
  'ctrd.event.tasks.paused':
    'containerd 把 /tasks/paused 转给 dockerd：容器的所有进程都已被 cgroup freezer 冻结，dockerd 把容器标为暂停并记录 pause 事件。',
  'ctrd.event.tasks.resumed':
    'containerd 把 /tasks/resumed 转给 dockerd：cgroup freezer 已解冻容器的进程，dockerd 把容器重新标为运行中并记录 unpause 事件。',
  'ctrd.Tasks.DeleteProcess':
    'exec 进程已经退出（或没能启动），dockerd 请 containerd 把它从任务中删除；容器本身继续运行。',
  'ctrd.Tasks.DeleteProcess.reply': 'containerd 回复“{call}”：shim 已经清除了这个 exec 进程的记录。',
  'ctrd.Content.Info':
    '上传 blob 之前，dockerd 先向 containerd 的内容存储查询它（{call}）：它必须在本地，它的大小会写进上传请求。',
  'ctrd.Content.Info.reply': 'containerd 回复“{call}”：内容存储里有这个 blob，以它的 sha256 为名。',
  'ctrd.Content.ReaderAt':
    'dockerd 从内容存储读出清单的原始字节（{call}）：推送时原样发送，镜像仓库才能算出同一个摘要。',
  'ctrd.Content.ReaderAt.reply': 'containerd 回复“{call}”：交出清单的原始字节，与存储时一字不差。',
};

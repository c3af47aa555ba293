import type { Catalogue } from '../index.ts';

/** dockerd：对 CLI 的应答（`api.*.reply`）、守护进程内部的工作（`dockerd.*`），以及转发给 CLI 的输出。 */
export const dockerd: Catalogue = {
  'api.ping.reply':
    'dockerd 回复 200 OK，并带上 `Api-Version: {version}` 头；CLI 取它与自己的版本（docker CLI 28.2 是 1.50）中较低的那个，此后在每个请求路径里都使用它（/v1.NN/…）。',
  'api.version.reply':
    'dockerd 返回自己的版本 {version}、API 版本以及各组件（containerd、runc）的版本；CLI 把它们列在 Server 下，和客户端版本并排。',
  'api.info.reply':
    'dockerd 返回系统信息：{containers} 个容器，以及镜像、存储驱动、cgroup 驱动和内核；CLI 把它打印成 `docker info` 的样子。',

  'api.containers.create.reply':
    'dockerd 回复 201 Created，附上新容器的 ID（{id}…）。这时容器只是一些文件加上 dockerd 内存里的一条记录：没有进程，containerd 里也还没有对应的容器和任务。',
  'api.containers.start.reply':
    'dockerd 回复 {call}：204 表示容器里的程序已经运行起来；304 Not Modified 表示它本来就在运行，什么也没做。',
  'api.containers.stop.reply': 'dockerd 回复 {call}：容器退出后回 204；如果容器本来就没在运行，立即回 304。',
  'api.containers.kill.reply':
    'dockerd 回复 {call}：信号已经送达。进程会不会退出，取决于是什么信号、进程有没有处理它。',
  'api.containers.restart.reply':
    'dockerd 回复 {call}：容器已停止并重新启动，这是一个新的任务，主进程也是新的。',
  'api.containers.pause.reply': 'dockerd 回复 {call}：容器里的进程已被冻结，`docker ps` 会显示 Paused。',
  'api.containers.unpause.reply': 'dockerd 回复 {call}：容器里的进程从停下的地方继续运行。',
  'api.containers.delete.reply': 'dockerd 回复 {call}：容器的读写层、容器目录和日志都已永久删除。',
  'api.containers.list.reply': 'dockerd 以 JSON 返回 {count} 个容器，CLI 把它们排成 `docker ps` 的表格。',
  'api.containers.inspect.reply':
    'dockerd 返回容器的 JSON 记录：State（状态、PID、退出码、OOMKilled）、Config、HostConfig、NetworkSettings。',
  'api.containers.logs.reply':
    'dockerd 返回从容器的 json-file 日志中读出的 {lines} 行；CLI 把 stdout 的行打印到 stdout，stderr 的行打印到 stderr。',
  'api.containers.wait.reply':
    'wait 请求返回：容器以状态码 {code} 退出，`docker run` 或 `docker wait` 会原样传给你。',
  'api.containers.attach.reply':
    'dockerd 回复 101 并接管这条连接：此后它不再传 HTTP，而是传原始的 stdout/stderr 数据帧（8 字节帧头加数据）。',
  'api.containers.exec.reply':
    'dockerd 回复 201 Created，附上 exec 的 ID（{id}…）。到目前为止，这个进程只是 dockerd 里的一条记录。',
  'api.exec.start.reply':
    'dockerd 结束 exec 数据流：不加 -d 时等进程退出后才结束（输出早已以数据帧的形式到达 CLI）；加 -d 时立即结束，进程继续运行。',
  'api.exec.start.failed':
    'exec 没能启动：runc 无法在容器里运行这个程序。dockerd 把错误信息写进数据流；在 Engine 29 上，程序不存在时 `docker exec` 以 127 退出（程序无法运行时为 126；dockerd 20.10 两种情况都是 126）。',
  'api.exec.inspect.reply': 'dockerd 返回 exec 的记录，其中的 ExitCode 就是 `docker exec` 的退出状态。',

  'api.images.create.reply':
    '{ref} 拉取完成。dockerd 一路流式返回的进度行（Pulling fs layer、Download complete、Pull complete、Digest、Status）就是 CLI 打印出来的内容。',
  'api.images.create.failed':
    '拉取在进度流开始之后才失败，所以 HTTP 状态码仍是 200：错误作为数据流的最后一行 JSON 到达，由 CLI 打印出来。',
  'api.images.list.reply': 'dockerd 返回 {count} 个镜像，CLI 把它们排成 `docker images` 的表格。',
  'api.images.history.reply':
    'dockerd 返回 {count} 条历史记录，最新的在前。ENV、CMD 这类步骤显示 0B：它们只改了镜像配置，没有改文件。',
  'api.images.inspect.reply':
    'dockerd 返回镜像的 JSON：镜像 ID（经典存储里是配置的摘要；Engine 29 的 containerd 存储里是名字所指的索引或清单的摘要，也就是拉取时打印的那个）、标签、配置，以及 RootFS.Layers，也就是各镜像层内容的摘要。',
  'api.images.get.reply':
    'dockerd 回复 {call}：tar 以流的方式发出，每个 blob 都与存储的字节一致，最后是 index.json、manifest.json 和 repositories；每个镜像一个 save 事件。',
  'api.images.load.reply':
    'dockerd 回复 {call}：镜像已导入；它们的 blob 在 containerd 的内容存储里，各层已解包，每个镜像一个 load 事件。',
  'api.images.load.failed':
    '导入失败。dockerd 已经先回复了 200，所以错误是流的最后一行；这次导入写下而没有镜像需要的内容会被删除。',
  'dockerd.load.read':
    'dockerd 自己读取归档（containerd 的 Import 在 dockerd 进程里运行）：manifest.json 或 index.json 说明其中有哪些镜像、名字和 blob。',
  'api.images.prune.reply':
    'dockerd 回复 {call}：它删除的每个名字、随最后一个名字一起删除的镜像，以及被删除的层所占的空间；一个 prune 事件。',
  'api.images.delete.reply':
    'dockerd 返回 {count} 行删除结果：每个被删掉的名字一行 Untagged，每个不再被使用的镜像和镜像层一行 Deleted。',
  'api.events.reply': 'dockerd 从内存中的事件记录里返回 {count} 条过去的事件。',

  'dockerd.error.reply':
    'dockerd 以 {code} 拒绝：“{message}”。CLI 把它打印成 `Error response from daemon: …`。',
  'attach.output':
    'dockerd 把容器 {stream} 的一段输出打包成一个多路复用数据帧，转给已附加的 CLI；CLI 再把它写到你终端的 {stream}。',

  'dockerd.writeConfig':
    'dockerd 在 /var/lib/docker/containers/{id}… 下写入 config.v2.json 和 hostconfig.json；在 dockerd 眼里，这个目录就是容器。',
  'dockerd.buildSpec':
    'dockerd 把镜像配置和你的选项合成一份 OCI 运行时规范（config.json）：要运行的程序、环境变量、挂载、要创建的命名空间和控制组限制。',
  'dockerd.initLayer':
    '在容器自己的层之前，dockerd 先做一个 init 层：把新快照挂载到临时目录，创建容器将由 dockerd 提供的文件和挂载点（/etc/hosts、/etc/resolv.conf、/etc/hostname、/.dockerenv、/dev/pts…），再提交为 <id>-init。容器层叠在它上面，所以 `docker diff` 从不显示这些文件。',
  'dockerd.mountRootfs':
    'Engine 29 的 dockerd 自己挂载容器的快照，挂在 /var/lib/docker/rootfs/overlayfs/{id}… 下，并把这个绝对路径作为规范里的根目录交给运行时；containerd 不负责挂载任何快照。',
  'dockerd.umountRootfs':
    '容器已经停止：dockerd 卸载它自己挂载的根文件系统；快照和容器写下的内容一直保留到 `docker rm`。',
  'dockerd.listContainers.v29':
    'dockerd 用它自己内存里的容器表（状态、状态文字、端口）生成列表。对每个按镜像名创建的容器，Engine 29 接着向 containerd 的镜像存储确认这个名字是否仍指向同一个镜像（Images.Get）；容器本身并不经过 containerd 查询。',
  'dockerd.listContainers':
    'dockerd 直接用自己内存里的容器表（状态、状态描述、端口）生成列表，不去问 containerd。',
  'dockerd.inspect': 'dockerd 从自己的内存中读出容器记录，不涉及其他任何组件。',
  'dockerd.readLogs':
    'dockerd 从容器的 json-file 日志里读出 {lines} 行；这份日志是它自己写的：shim 把容器的输出写进 dockerd 创建的 FIFO，dockerd 读到时就记了下来。',
  'dockerd.graceExpired':
    '{seconds} 秒宽限期已到，容器仍在运行（通常是因为 1 号进程没有为 SIGTERM 设置处理函数，于是忽略了它），于是 dockerd 发出无法捕获、也无法忽略的 SIGKILL。',
  'dockerd.autoRemove':
    '这个容器是用 --rm（HostConfig.AutoRemove）运行的，它一退出，dockerd 就自动删除 {id}。',
  'dockerd.removeDir':
    'dockerd 删除 /var/lib/docker/containers/{id}…：配置文件和 json-file 日志随之消失，所以 `docker rm` 之后 `docker logs` 就看不到了。',
  'dockerd.imageStore.get':
    '经典镜像存储：dockerd 在自己的 repositories.json 和镜像数据库里查找 {ref}，不问 containerd。',
  'dockerd.imageStore.list':
    '经典镜像存储：dockerd 从 /var/lib/docker/image/overlay2 下自己的 repositories.json 列出镜像。',
  'dockerd.imageStore.create':
    '经典镜像存储：dockerd 把镜像配置存进 imagedb（以其 sha256 摘要命名），并在 repositories.json 里打上标签 {ref}。',
  'api.images.tag.reply': 'dockerd 回复 {call}：{ref} 现在指向同一个镜像 ID，没有复制任何数据。',
  'dockerd.imageStore.tag':
    '经典镜像存储：dockerd 在 repositories.json 里加入引用 {ref}，指向已有的镜像 ID。',
  'dockerd.imageStore.untag':
    '经典镜像存储：dockerd 从 repositories.json 删除引用 {ref}（Untagged）；只有引用和容器都没有了，镜像本身才会被删除。',
  'dockerd.imageStore.delete':
    '经典镜像存储：已没有任何东西引用镜像 {id}，dockerd 从 imagedb 删除它的配置（Deleted），接着释放它的镜像层。',
  'dockerd.checkpoint':
    'dockerd 把容器标记为运行中，并把这个状态连同 PID 写进 /var/lib/docker/containers/{id}…/config.v2.json，这样即使 dockerd 重启也不会丢失；随后发出 `start` 事件。',
  'api.cancel': '客户端在得到回答之前关闭了连接（Ctrl-C 或超时）：dockerd 这边取消了该请求的上下文。',
  'dockerd.cancelled':
    'dockerd 取消为该请求服务的操作：仍在等待的调用不再有回答，它在主机上真正开始的工作（下载、解包）被停止并清理。',
  'api.images.push.reply':
    'dockerd 回复 {call}：推送完成。镜像仓库缺少的每个 blob 都已上传，随后是打上标签的清单。最后几行给出镜像仓库为它算出的摘要，这就是镜像现在的仓库摘要。',
  'api.images.push.failed':
    '推送在进度流开始之后才失败，所以 HTTP 状态码仍是 200：错误作为数据流的最后一行 JSON 到达，由 CLI 打印出来。',
  'api.auth.reply':
    '镜像仓库接受了凭据：dockerd 回复 {call}，内容是“Login Succeeded”，CLI 把凭据保存在它的 config.json 里。',
  'dockerd.layerStore.open': '经典镜像存储：dockerd 从自己的层存储中打开要上传的镜像层（{call}）。',
};

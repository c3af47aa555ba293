import type { Catalogue } from '../index.ts';

/**
 * `docker build`：CLI 与构建上下文，dockerd 的 `/build` 与旧版构建器对 dockerd 的调用
 * （Engine 20.10，classic），BuildKit 的会话、求解器、runc 执行器与导出器（Engine 29，v29），
 * 以及下面各层为它们做的事。
 */
export const build: Catalogue = {
  'api.build':
    'CLI 把整个构建上下文——目录里的每个文件，打成一个 tar 流——放在 `POST /build` 的请求体里发出，查询参数带上 Dockerfile 的名字和标签。守护进程从不读取主机的磁盘。',
  'api.build.reply':
    '构建完成，镜像 {id} 已打上标签。这个 200 响应从头到尾都是一个流：每一步的输出一到，CLI 就打印出来。',
  'api.build.failed':
    '构建中止：流以一个错误结束，“{error}”。CLI 把它打印到 stderr，并以它的退出码退出（RUN 失败时就是命令的退出状态）。',
  'dockerd.build.context':
    'dockerd 把 {bytes} 字节的上下文解包到一个临时目录；构建器从那里读取 COPY 要的文件。',
  'builder.build':
    'dockerd 把上下文交给旧版构建器：它读取 {dockerfile}，一次执行一条指令，每一步都通过 dockerd 自己的后端完成。',
  'builder.build.reply':
    '所有指令都执行完了：最后一步留下的镜像 {id} 就是结果。接下来由 dockerd 给它打标签。',
  'builder.build.failed': '某一步失败了：“{error}”。之前建好的镜像都留在镜像存储里，失败那一步的容器也留着。',
  'builder.build.parseError': 'Dockerfile 无法解析：“{error}”。什么都不构建，dockerd 回答 400。',
  'build.output':
    '构建器把进度写进 /build 的响应里：“{line}”。每一步先是 `Step N/M`，然后是 ` ---> ` 和这一步留下的镜像 ID。',
  'build.output.run': 'RUN 命令打印的“{line}”进入了构建输出：构建器接上了容器的 stdout，把它复制进响应。',

  'backend.GetImage':
    'FROM：构建器向 dockerd 要 {ref}（GetImageAndReleasableLayer）。dockerd 在自己的镜像存储里找，找不到就先拉取。',
  'backend.GetImage.reply': '基础镜像是 {id}：第一步的结果，也是构建加上的一切的父镜像。',
  'backend.GetImage.failed': 'dockerd 拿不到基础镜像：{error}',
  'backend.GetCache':
    '执行一步之前，构建器先问镜像缓存：有没有一个父镜像是 {parent}、运行配置与这一步相同的镜像？配置里的 Cmd 写着这条指令；COPY 的还带着文件的校验和。',
  'backend.GetCache.reply':
    '缓存命中：以前的某次构建在同一个父镜像上、用同一步做出了 {id}。构建器直接拿它当这一步的结果，什么都不执行（`Using cache`）。',
  'backend.GetCache.miss': '未命中：没有镜像同时拥有这个父镜像和这个运行配置，所以这一步必须执行。',
  'backend.ContainerCreate':
    '构建器让 dockerd 用当前镜像和这一步的运行配置创建一个容器。对 ENV、CMD、WORKDIR 等指令，它的 Cmd 只是一条什么都不做的注释 `#(nop)`：这个容器永远不会运行。',
  'backend.ContainerCreate.reply':
    '容器 {id} 已创建（一个 `create` 事件）：当前镜像之上的一个可写层，没有任何进程在跑。',
  'backend.ContainerCreateWorkdir':
    'WORKDIR 在容器的可写层里建出它的目录，所以这一步会留下一层，哪怕里面只有一个目录。',
  'backend.ContainerCreateWorkdir.reply': '目录 {dir} 已在容器的可写层里。',
  'backend.ContainerAttachRaw': 'RUN：构建器先接上容器的 stdout 和 stderr，命令的输出一点都不会丢。',
  'backend.ContainerAttachRaw.reply': '已接上 {id}（一个 `attach` 事件）：命令打印的内容会进入构建输出。',
  'backend.ContainerStart':
    '构建器启动容器：和 `docker start` 走同一条路——网络、OCI 规范、containerd 容器与任务、shim、runc。RUN 的命令就是它的 PID 1。',
  'backend.ContainerStart.reply': '容器 {id} 在运行（一个 `start` 事件）。',
  'backend.ContainerWait': '构建器等待容器结束运行。',
  'backend.ContainerWait.reply': '命令以 {code} 退出。只要不是 0，构建就失败，容器会留下供排查。',
  'backend.CommitBuildStep':
    '构建器让 dockerd 提交这个容器：可写层里的改动成为这一步的层，一个新镜像在历史里记下这一步，并以前一个镜像为父镜像。',
  'backend.CommitBuildStep.reply':
    '这一步的镜像是 {id}。没改动任何文件的步骤不会加层：它的历史记录是一个空层。',
  'backend.ContainerRm':
    '中间容器完成了使命：构建器把它连同可写层一起删除（`Removing intermediate container`）。',
  'backend.ContainerRm.reply': '容器 {id} 已删除（一个 `destroy` 事件）；它的改动保留在刚提交的层里。',
  'backend.CreateImage': 'COPY 不需要容器：层由构建器自己做好，现在由 dockerd 写出把它叠在父镜像上的镜像。',
  'backend.CreateImage.reply': 'COPY 这一步的镜像是 {id}。',
  'backend.ImageNamed': 'BuildKit 告诉 dockerd：它导出的镜像有了名字，dockerd 于是记下这个镜像事件。',
  'backend.ImageNamed.reply': '{ref} 已在镜像存储里；`docker images` 会列出它。',
  'storage.write':
    '{from} 把文件写进一个它打开着的层：COPY 从上下文拿来的文件，或 WORKDIR 新建的目录。它们只落在这一层的 upper 目录里。',
  'storage.write.reply': '{count} 个文件、{bytes} 字节已在这一层的 upper 目录里。',
  'storage.diff':
    '{from} 让存储驱动列出这一层在父层之外多出来的内容——它的 upper 目录——作为生成新层的 tar 流。',
  'storage.diff.reply': '差异里有 {count} 项、{bytes} 字节。一项都没有，说明这一步什么都没改：不产生层。',
  'kernel.file':
    '进程向 {path} 写入 {bytes} 字节。写入落在容器可写层的 upper 目录里；下面只读的层不受影响。构建的一步正是把这些改动提交成它的层。',

  'api.session':
    'buildx 打开一个会话：`POST /session`，升级为 HTTP/2（h2c），报上它共享的目录（上下文目录和 Dockerfile 所在目录）以及它提供的调用。守护进程之后会通过它回调 CLI。',
  'api.session.reply': 'dockerd 回答 101，把连接交给 BuildKit 的会话管理器；从此 CLI 也是一个服务器。',
  'api.grpc': 'buildx 经由 dockerd 连上 BuildKit 的控制 API：`POST /grpc`，升级为 h2c。',
  'api.grpc.reply': 'dockerd 回答 101，把连接交给 BuildKit 的 gRPC 服务器：接下来的调用直接发给构建器。',
  'buildkit.Status': '`Control.Status`：CLI 在开始构建之前就订阅构建的进度流，一点都不会漏。',
  'buildkit.Status.reply': '构建结束，进度流随之关闭。',
  'buildkit.Solve':
    '`Control.Solve`：用 dockerfile 前端（dockerfile.v0）构建，用 moby 导出器导出。请求里不带任何文件，只带着去哪个会话取文件。',
  'buildkit.Solve.reply': '求解成功：导出器写出了镜像，索引为 {id}。',
  'buildkit.Solve.failed':
    '求解失败：“{error}”。buildx 打印出失败的步骤和 `ERROR: failed to solve: …`，以 1 退出。',
  'buildkit.status': 'Status 流上的进度：{vertex}。CLI 把它打印成纯文本，每一步一个 `#N` 块。',
  'session.DiffCopy':
    'BuildKit 通过会话回调 CLI（FileSync.DiffCopy），要 {dir} 目录里它需要的那些路径。上下文是守护进程一个文件一个文件拉过去的，而不是打成一个 tar 推过去。',
  'session.DiffCopy.reply':
    'CLI 从 {dir} 发送 {count} 个文件；守护进程已经有、又没变过的文件，只需传它们的元数据。',
  'buildkit.frontend':
    'dockerfile 前端解析 Dockerfile（{count} 条指令）并转换成 LLB：FROM 是源操作，WORKDIR 和 COPY 是文件操作，RUN 是执行操作。ENV、CMD 之类只改镜像配置。',
  'buildkit.Images.Get':
    '`load metadata`：BuildKit 在 containerd 的镜像存储里查 {ref}，取它的配置（环境变量、工作目录）和层。',
  'buildkit.pull':
    '本地没有基础镜像，于是 BuildKit 自己去取：`{call}`。blob 进入 containerd 的内容存储，层进入它的快照器，但不会为基础镜像建镜像记录。',
  'buildkit.cache.hit':
    '求解器在 cache.db 里查这一步的缓存键（{key}…），找到了：同样的操作、同样的输入。这一步是 CACHED——复用它的快照，什么都不执行。',
  'buildkit.cache.miss': '缓存键 {key}… 不在 cache.db 里（或者 --no-cache 要求不去查）：这个操作要执行。',
  'buildkit.Snapshots.Prepare':
    'BuildKit 在上一步的结果之上准备一个 containerd 快照：这个操作写入的根文件系统。',
  'buildkit.Snapshots.Commit':
    'BuildKit 提交这个快照：操作的结果，只读，以它那一层的 chain id 命名，并记进 cache.db。',
  'buildkit.Snapshots.Remove': '这一步失败了，BuildKit 丢弃它的快照。',
  'buildkit.net.connect':
    'BuildKit 通过 libnetwork 在 bridge 网络上给 RUN 这一步一个网络命名空间：是一个沙箱而不是容器，所以没有网络事件。',
  'buildkit.net.disconnect': '这一步结束了：BuildKit 删除它的网络沙箱。',
  'buildkit.executor':
    'BuildKit 的 runc 执行器把快照挂载为根文件系统，放在它自己的执行器目录（{id}…）下，并在那里写出 config.json。',
  'runc.run':
    'BuildKit 自己用 `runc run` 执行这一步：没有 containerd 任务，也没有 shim。runc 创建并启动容器，自己一直当它的父进程；进程的 stdout 和 stderr 是 BuildKit 读取的管道。',
  'runc.run.reply': '进程以 {code} 退出，runc 回收了它、删掉了容器，并以这个状态退出。',
  'kernel.runExec': '`runc run` 立刻放行 init：它调用 execve()，变成这一步的命令，新命名空间里的 PID 1。',
  'kernel.runCleanup': '进程被回收后，`runc run` 删除 cgroup 和自己的状态：容器没了。',
  'kernel.output.foreground': '命令把输出写进 BuildKit 持有的管道：这就是 RUN 这一步的日志。',
  'kernel.exit.foreground': '命令已退出；它的父进程是 runc（`runc run`），由 runc 回收它。',
  'buildkit.Diff.Diff':
    '导出：BuildKit 让 containerd 的差分器把这一步的快照和它的父快照比较，把差异 gzip 成内容存储里的一个层 blob。',
  'ctrd.Diff.Diff.reply': '层 blob 已写好；清单里用它的 sha256 来指代它。',
  'buildkit.Content.Write': '导出器把镜像的 {what} 写进 containerd 的内容存储。',
  'buildkit.Images.Create':
    '导出器给镜像命名：一条指向索引的 containerd 镜像记录 {ref}。层本来就是快照，所以解包这一步无事可做。',
};

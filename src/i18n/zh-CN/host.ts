import type { Catalogue } from '../index.ts';

/** Docker 之外的主机：课程输入的操作（pkill、systemctl、allocate），dockerd 的死亡、关闭与重启，以及课程注入的故障。 */
export const host: Catalogue = {
  'host.action': '在主机上以 root 身份执行：`{line}`。这不是 docker 命令，由内核和 init 系统来完成。',
  'host.action.reply': '命令返回退出码 {code}。',
  'host.signal.9':
    'kill(2)：内核用 {signal} 立即结束 dockerd（pid {pid}）。SIGKILL 无法被捕获，所以 dockerd 什么也来不及清理，正在处理的请求就此中断。容器照常运行：它们的父进程是各自的 shim，而不是 dockerd。',
  'host.signal.15': '内核把 {signal} 投递给 dockerd（pid {pid}）。dockerd 捕获它，开始优雅关闭。',
  'host.connClosed':
    'dockerd（pid {pid}）已经不在了，内核关闭它的套接字：containerd 看到 dockerd 的事件流（Events.Subscribe）结束。containerd 和各个 shim 是独立的进程，继续运行。',
  'host.exec':
    'systemd 再次启动 dockerd：fork 加 execve，一个 pid 为 {pid} 的新进程。它只知道旧进程写在 /var/lib/docker 下的内容。',
  'host.allocate': '{name} 的主进程再分配 {mib} MiB 内存并逐页写入：这些内存全部记在容器的内存 cgroup 上。',
  'host.refused':
    '没有进程在监听 /var/run/docker.sock，内核拒绝了连接（ECONNREFUSED）。在有 dockerd 重新监听之前，每条 docker 命令都会这样失败。（如果用 systemd 的 docker.socket，套接字会一直打开，并按需启动 dockerd。）',
  'host.exited':
    'dockerd 完成关闭并退出（exit_group(0)）：systemd 看到服务的主进程结束，`systemctl stop` 随之返回。',
  'host.ready': 'dockerd 告诉 systemd 自己已就绪（sd_notify READY=1）：直到这时 `systemctl start` 才返回。',
  'dockerd.shutdown':
    'dockerd 关闭 API 套接字；由于 live-restore 关闭，它并行停止 {count} 个运行中的容器：每个都先收到停止信号，宽限期过后再收到 SIGKILL。',
  'dockerd.shutdown.live': 'live-restore 已开启：dockerd 关闭 API 套接字后直接退出，把容器留给各自的 shim。',
  'dockerd.boot': '新的 dockerd（pid {pid}）读取 /etc/docker/daemon.json：live-restore 为 {live}。',
  'dockerd.restore.load':
    'dockerd 读回它写在磁盘上的内容：{count} 个容器的 config.v2.json。它之前内存里的东西（事件记录、exec）已随旧进程一起消失。',
  'dockerd.restore.keep':
    'live-restore：{name} 仍在运行（pid {pid}）；dockerd 重新连接它的任务和标准输入输出 FIFO，不去动它。',
  'dockerd.restore.shutdown':
    '{name} 在 dockerd 死后幸存下来：是它的 shim 让它继续运行。但 live-restore 关闭，于是正在恢复的 dockerd 在回答任何 API 请求之前先把它关掉——停止信号、宽限期，然后 SIGKILL。',
  'dockerd.restore.stopped':
    'dockerd 上次写下状态时这个容器还在运行，但它的任务已经不在或已停止：dockerd 从任务的 Delete 取得退出码，把它标记为已退出并清理——没有 `die` 事件，因为退出发生时没有 dockerd 在听。',
  'ctrd.restore.load':
    'containerd 启动时在状态目录里找到它以前运行的任务的 bundle：读取 bundle 中的 `address` 文件，重新连接那个让容器一直活着的 shim。',
  'ctrd.restored':
    'containerd 重新拿到了这个任务：它的 shim 已应答（或已被清理），等待它的 Tasks.Get 现在得到回答。',
  'shim.Connect':
    'containerd 重新连接一个比它活得久的 shim：Connect 给出 shim 和容器的 pid，State 给出任务的状态。',
  'shim.cleanup':
    'shim 已经死了（它的套接字不再应答）：containerd 在 bundle 中运行 `containerd-shim-runc-v2 … delete`，它杀掉容器剩下的进程，运行 `runc delete --force`，并给出退出码。',
  'dockerd.listen.backlog':
    'dockerd 先创建 API 套接字，然后才恢复任何东西：从这时起 docker 命令就能连上，它的请求在套接字的积压队列里等待，直到 API 开始服务。',
  'dockerd.listen':
    '恢复完成：直到这时 dockerd 才在 /var/run/docker.sock 上提供 API 服务。期间连上来的命令只是在等待，没有被拒绝。',
  'dockerd.registry.timeout':
    '镜像仓库始终没有回应 GET /v2/。dockerd 的探测请求有 {seconds} 秒的期限（http.Client 的 Timeout），于是它放弃，拉取失败。之后的请求没有这样的期限。',
  'ctrd.Events.Subscribe':
    'dockerd 打开 containerd 在 moby 命名空间的事件流：从此每个 /tasks/* 事件都会送到它这里。',
  'ctrd.Events.Subscribe.reply': 'containerd 保持这条流打开，事件一发生就发送过来。',
  'ctrd.Tasks.Get':
    'dockerd 询问 containerd：这个容器的任务是否还在、处于什么状态（containerd 去问任务的 shim）。',
  'ctrd.Tasks.Get.reply': 'containerd 回答 {status}：无论 dockerd 发生了什么，shim 一直让这个进程活着。',
  'ctrd.Tasks.Get.notFound': 'containerd 没有这个容器的任务：它的进程已经不在了。',
  'ctrd.storage.failed': 'containerd 把存储驱动的错误转回给 dockerd：{error}。',
  'net.connect.failed': '网络驱动无法接入这个容器：{error}。不会留下任何端点，容器停留在 Created 状态。',
  'storage.error.reply': '存储驱动失败：{error}。什么也没有提交；接下来会删除写了一半的目录。',
};

import type { Catalogue } from '../index.ts';

/**
 * containerd-shim-runc-v2：每个容器一个进程，通过 ttrpc 为 containerd 提供任务接口，每个操作都调用
 * runc 完成，持有容器的标准输入输出，并回收容器的退出状态。
 */
export const shim: Catalogue = {
  'shim.start':
    'containerd 运行 `containerd-shim-runc-v2 … start`。这条命令为该容器 fork 出一个常驻的 shim，shim 随即脱离 containerd（改由 1 号进程收养），并打印出自己的 ttrpc 套接字地址。',
  'shim.start.reply':
    'shim 已就绪：每个容器一个，而且不再是 containerd 的子进程。正因如此，重启 containerd 或 dockerd 不会影响正在运行的容器。',
  'shim.Create':
    'containerd 通过 ttrpc 调用 shim 的 Task/Create，交给它 bundle（config.json 和根文件系统）；shim 执行 `runc create`。',
  'shim.Create.reply':
    'shim 回复“{call}”。OK 表示 runc 已把容器搭好，init 进程在等待启动；若是错误，则什么都没有运行，shim 随后会被关闭。',
  'shim.Start':
    'containerd 调用 Task/Start：对容器的 init，shim 执行 `runc start`；对已登记的 exec 进程，执行 `runc exec`。',
  'shim.Start.reply':
    'shim 回复“{call}”。OK 表示进程已在运行，shim 作为它的父进程（subreaper）将负责回收它的退出状态；若是错误，则是 runc 报的。',
  'shim.Kill': 'containerd 调用 Task/Kill，shim 带着信号执行 `runc kill`。',
  'shim.Kill.reply': 'shim 回复“{call}”：runc 已把信号送到。',
  'shim.Pause': 'containerd 调用 Task/Pause，shim 执行 `runc pause`。',
  'shim.Pause.reply': 'shim 回复“{call}”：容器已被冻结。',
  'shim.Resume': 'containerd 调用 Task/Resume，shim 执行 `runc resume`。',
  'shim.Resume.reply': 'shim 回复“{call}”：容器已解冻。',
  'shim.Exec':
    'containerd 调用 Task/Exec，附上新进程的描述；shim 只把它记下来并发布 /tasks/exec-added，要到 Start 时才调用 runc。',
  'shim.Exec.reply':
    'shim 回复“{call}”：exec 进程已登记；之后 shim 会接管它的标准输入输出，并像报告容器退出一样报告它的退出。',
  'shim.Delete':
    'containerd 调用 Task/Delete。对容器本身，shim 执行 `runc delete` 并交回它收集到的退出状态；对 exec 进程，只需删掉它的记录。',
  'shim.Delete.reply': 'shim 回复“{call}”：shim 和 runc 里都不再留有这个进程的任何状态。',
  'shim.Shutdown': 'containerd 通知 shim 可以退出了：它的容器已经没有任务。',
  'shim.Shutdown.reply': 'shim 进程退出；宿主机上已没有任何属于这个容器的进程。',

  'fifo.output':
    'shim 把容器写到 {stream} 的 {bytes} 字节复制进 dockerd 读取的 FIFO；dockerd 把它追加到 json-file 日志，并转给已附加的客户端。',

  'shim.event.tasks.create': 'shim 在 containerd 的事件服务上发布 /tasks/create：runc 已创建好容器。',
  'shim.event.tasks.start': 'shim 发布 /tasks/start：容器里的程序已开始运行。',
  'shim.event.tasks.paused': 'shim 发布 /tasks/paused：容器的控制组已被冻结。',
  'shim.event.tasks.resumed': 'shim 发布 /tasks/resumed：容器的控制组已解冻。',
  'shim.event.tasks.exec-added': 'shim 发布 /tasks/exec-added：任务里登记了一个额外的进程。',
  'shim.event.tasks.exec-started': 'shim 发布 /tasks/exec-started：这个额外的进程已在容器里运行。',
  'shim.event.tasks.exit':
    'shim 作为 subreaper 回收了容器中某个进程的退出状态，并发布 /tasks/exit；containerd 会把它转给 dockerd。',
  'shim.event.tasks.oom':
    'shim 的 OOM 监视发现控制组记下了一次 OOM 杀进程（cgroup v2 上看 memory.events，v1 上是 memory.oom_control 的 eventfd），于是发布 /tasks/oom。',
  'shim.event.tasks.delete': 'shim 带着最终的退出状态发布 /tasks/delete：这个任务已不复存在。',
};

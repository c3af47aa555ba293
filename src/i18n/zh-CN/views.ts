import type { Catalogue } from '../index.ts';

/**
 * 视图在消息周围画出的文字：参与者名称、阶段注释、图中分组块的标签、忠实度说明（真实情况与常见示意图的
 * 不同之处）以及视图标签。阶段、分组块和视图文字没有隐含参数，只能用调用方传入的占位符（{line}、{n}……）。
 */
export const views: Catalogue = {
  'participant.User': '用户',
  'participant.kubelet': 'kubelet',
  'participant.CLI': 'docker CLI',
  'participant.VM': 'Docker Desktop 后端',
  'participant.dockerd': 'dockerd',
  'participant.Builder': '镜像构建器',
  'participant.Registry': '镜像仓库',
  'participant.containerd': 'containerd',
  'participant.shim': 'shim',
  'participant.runc': 'runc',
  'participant.Storage': '存储驱动',
  'participant.Network': '网络驱动',
  'participant.Kernel': 'Linux 内核',

  'phase.command': '命令：{line}',
  'phase.api.images.create': '镜像拉取阶段',
  'phase.api.images.list': '镜像列表查询',
  'phase.api.images.delete': '镜像删除阶段',
  'phase.api.containers.create': '容器创建阶段',
  'phase.api.containers.start': '容器启动阶段',
  'phase.api.containers.stop': '容器停止阶段',
  'phase.api.containers.kill': '发送信号',
  'phase.api.containers.delete': '容器删除阶段',
  'phase.api.containers.restart': '容器重启阶段',
  'phase.api.containers.pause': '容器暂停',
  'phase.api.containers.unpause': '容器恢复',
  'phase.api.containers.exec': 'exec：登记进程',
  'phase.api.exec.start': 'exec：运行进程',
  'phase.api.containers.logs': '日志读取',
  'phase.api.containers.list': '容器列表查询',
  'phase.cleanup': '资源清理阶段',

  'block.repeat': '× {count}：相同的调用重复（第 {first}–{last} 步），只画一遍',
  'block.repeatOpen': '× {count}：相同的调用重复（第 {first}–{last} 步），全部画出',
  'block.eachLayer': '逐层下载、解压并提交（共 {count} 层）',
  'block.imageMissing': '本地没有该镜像',
  'block.graceExpired': '{seconds} 秒后仍在运行',

  'fidelity.psNoContainerd':
    '常见示意图在这里画的是 dockerd 去问 containerd；真实的 Engine 直接用自己内存里的数据回答 `docker ps`，containerd 收不到任何请求。',
  'fidelity.logsNoShim':
    '常见示意图让日志请求经 containerd 和 shim 去读文件；实际上 dockerd 读的是自己的 json-file 日志，shim 只在容器运行时负责转交输出。',
  'fidelity.rmNoStop':
    '常见示意图画的是 `docker rm` 先优雅地停止容器；真实的 Engine 拒绝删除运行中的容器（409），除非加 -f，而 -f 会立即发 SIGKILL：没有 SIGTERM，也没有宽限期。',
  'fidelity.createNoContainerd':
    '`docker create` 不会在 containerd 里创建容器或任务（使用 containerd 镜像存储时，只会建好可写快照）：它们要到启动时才出现，任务退出后就被删除。',
  'fidelity.shimRunsRunc':
    '常见示意图画的是 runc 启动 shim；实际上是 containerd 启动 shim，shim 调用 runc，容器运行起来后 runc 就退出了。',

  'view.step': '第 {n} 步，共 {total} 步',
  'fidelity.unmodelled': '（这个程序不在进程模型里：它确实运行了，但它会做什么这里没有模拟。）',
  'absent.reply': '这一层尚未模拟：它以错误作答。',
  'note.stillRunning': '“{line}”仍在运行，而且不会有任何事件让它结束，所以运行继续执行下一条命令。',
  'view.unmodelled': '此程序未被模拟：它在运行，但它本来会做的事没有模拟出来',
  'view.notModelled': '未模拟',
  'view.frozen': '已冻结',
  'view.noContainers': '没有容器',
  'view.namespaces': '命名空间',
  'view.layer.driver': '存储驱动：{driver}',
  'view.layer.writable': '读写层（容器的）',
  'view.layer.readonly': '只读层 {n}',
  'view.layer.init': 'init 层（dockerd 提供的文件和挂载点）',
  'view.layer.shared': '与 {with} 共享',
  'view.status.created': '已创建',
  'view.status.starting': '启动中',
  'view.status.running': '运行中',
  'view.status.paused': '已暂停',
  'view.status.restarting': '重启中',
  'view.status.exited': '已退出',
  'view.status.removing': '删除中',
  'view.status.dead': '已失效',
};

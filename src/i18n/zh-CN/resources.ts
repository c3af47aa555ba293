import type { Catalogue } from '../index.ts';

/** `docker top`、`docker update` 与 `docker stats`：容器的进程、控制组限制与资源用量。 */
export const resources: Catalogue = {
  'api.containers.top': 'CLI 询问容器里运行着哪些进程：`{call}`。容器名之后的参数原样交给 `ps` 作为选项。',
  'api.containers.top.reply':
    'dockerd 回答 {status}，带回 {count} 个进程和 ps 的列标题；CLI 把它们排成每列至少 20 个字符宽的表格。',
  'ctrd.Tasks.ListPids':
    'dockerd 向 containerd 要任务的 pid 列表：只有 containerd 知道哪些进程属于这个容器。',
  'ctrd.Tasks.ListPids.reply': 'containerd 转交 shim 的回答：{call}。',
  'shim.Pids': 'containerd 调用 shim 的 Task/Pids；shim 去问 runc。',
  'shim.Pids.reply': 'shim 回答每个 pid，以及 ps 会显示的父进程：容器的第一个进程的父进程就是 shim 自己。',
  'runc.ps': 'shim 执行 `{call}`：runc 列出容器控制组里的进程。',
  'runc.ps.reply': 'runc 以 JSON 打印 {count} 个 pid 后退出。',
  'runc.ps.failed': 'runc 找不到这个容器：{call}。',
  'kernel.cgroupProcs':
    'runc 读取控制组的 cgroup.procs：容器的每个进程（包括子进程和 `docker exec` 启动的进程）都列在这里。',
  'dockerd.ps':
    'dockerd 在宿主机上亲自运行 `ps {args}`，只保留 PID 属于拿到的 {count} 个 pid 的那些行：这些是宿主机的 pid，而不是容器内的（容器里第一个进程是 PID 1）。',
  'api.containers.update': 'CLI 提交新的限制：`{call}`。请求体包含所有资源字段；0 表示“保持不变”。',
  'api.containers.update.reply':
    'dockerd 回答 {status}。它找到容器，检查了这些限制，保存下来，并记录了 `update` 事件。',
  'dockerd.updateConfig':
    'dockerd 把新的限制和重启策略写入 /var/lib/docker/containers/{id}…/hostconfig.json：已停止的容器会在下次启动时用上它们。',
  'ctrd.Tasks.Update': '容器正在运行，所以 dockerd 通过任务让 containerd 修改它当前的限制（{limits}）。',
  'ctrd.Tasks.Update.reply': 'containerd 回答 {call}：新限制立即生效，无需重启。',
  'shim.Update': 'containerd 带着资源调用 shim 的 Task/Update；shim 通过标准输入把它们交给 runc。',
  'shim.Update.reply': 'shim 回答 {call}。',
  'runc.update': 'shim 执行 `{call}`：runc 读取 JSON 格式的资源，写进控制组。',
  'runc.update.reply': 'runc 以 0 退出：容器现在按新的限制运行。',
  'runc.update.failed': 'runc 拒绝了：{call}。',
  'kernel.cgroupUpdate':
    'runc 把每项限制写进对应的控制组文件（`{call}`）；内核立即对容器的每个进程执行。（文件名取决于主机的 cgroup 版本：v2 是 memory.max 和 cpu.max；v1 是 memory.limit_in_bytes、memory.memsw.limit_in_bytes 和 cpu.cfs_quota_us，录制所用的 20.10 主机即是如此。）',
  'api.containers.stats':
    'CLI 询问容器的资源用量：`{call}`。`stream=0` 只要一次回答；否则 dockerd 每秒发送一帧，持续不断。',
  'api.containers.stats.reply':
    'dockerd 回答 {status}，带回 {samples} 帧，每帧都附上前一次采样，CLI 才能算出 CPU 占比。（数据流要到按下 Ctrl-C 才停；模拟在三帧之后结束它。）',
  'ctrd.Tasks.Metrics':
    'dockerd 的统计收集器每秒醒来一次，向 containerd 要任务的指标。dockerd 自己并不保存任何数字。',
  'ctrd.Tasks.Metrics.reply': 'containerd 转交 shim 读到的数据：{call}。',
  'shim.Stats':
    'containerd 调用 shim 的 Task/Stats。这里没有 runc：shim 用 containerd 的 cgroups 库亲自读取容器的控制组。',
  'shim.Stats.reply': 'shim 回答 {call}。',
  'kernel.cgroupStats':
    'shim 读取控制组的文件（{call}）：内核记下了容器中 {pids} 个进程用掉的每个字节和每纳秒 CPU。（数字：模拟给每个进程计入 332 KiB，约为录制时 busybox 的 sleep 所用的内存。）',
};

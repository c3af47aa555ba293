import type { Catalogue } from '../index.ts';

/** `docker top`、`docker stats` 和控制台尺寸：shim 不调用 runc 就能回答的调用。 */
export const inspectProcesses: Catalogue = {
  'api.containers.top':
    'CLI 询问容器里运行着哪些进程：`GET /containers/…/top`，带上给定的 ps 选项（默认 `-ef`）。',
  'api.containers.top.reply':
    'dockerd 返回进程列表：从 containerd 得到任务的 pid，再从它在主机上运行的 `ps` 里挑出这些进程。',
  'api.containers.stats': 'CLI 询问容器的资源用量：`GET /containers/…/stats?stream=false`，只要一次回答。',
  'api.containers.stats.reply': 'dockerd 返回相隔一秒的两次控制组计数采样，CLI 据此算出 CPU 占用。',
  'api.containers.resize':
    'CLI 把自己终端的大小告诉 dockerd（`POST /containers/…/resize?h=…&w=…`）：容器的控制台要与之一致。',
  'api.containers.resize.reply': 'dockerd 回答 {status}：控制台已是新的大小。',
  'api.exec.resize': 'CLI 把自己终端的大小告诉 dockerd，用于 exec 的控制台（`POST /exec/…/resize`）。',
  'api.exec.resize.reply': 'dockerd 回答 {status}：exec 的控制台已是新的大小。',
  'ctrd.Tasks.ListPids': 'dockerd 向 containerd 要任务的进程列表；containerd 去问 shim。',
  'ctrd.Tasks.ListPids.reply': 'containerd 回复“{call}”：容器控制组里的 pid。',
  'ctrd.Tasks.Metrics': 'dockerd 向 containerd 要任务的控制组指标；containerd 去问 shim。',
  'ctrd.Tasks.Metrics.reply': 'containerd 回复“{call}”：控制组的 CPU、内存、块设备 I/O 和进程数计数。',
  'ctrd.Tasks.ResizePty': 'dockerd 请 containerd 调整某个进程控制台的大小；containerd 去问 shim。',
  'ctrd.Tasks.ResizePty.reply': 'containerd 回复“{call}”。',
  'ctrd.Tasks.CloseIO': 'dockerd 请 containerd 关闭某个进程的标准输入：客户端的输入已经结束。',
  'ctrd.Tasks.CloseIO.reply': 'containerd 回复“{call}”。',
  'shim.Pids': 'containerd 调用 Task/Pids；shim 自己读取容器控制组里的 pid，不需要 runc。',
  'shim.Pids.reply': 'shim 回复“{call}”，附上它找到的进程。',
  'shim.Stats': 'containerd 调用 Task/Stats；shim 自己读取容器的控制组文件。',
  'shim.Stats.reply': 'shim 回复“{call}”，附上控制组的指标。',
  'shim.ResizePty': 'containerd 调用 Task/ResizePty；shim 设置它持有的控制台的大小（TIOCSWINSZ）。',
  'shim.ResizePty.reply': 'shim 回复“{call}”：控制台里的程序会收到 SIGWINCH。',
  'shim.CloseIO': 'containerd 调用 Task/CloseIO；shim 关闭它那一端的进程标准输入。',
  'shim.CloseIO.reply': 'shim 回复“{call}”：进程读到输入的结尾。',
};

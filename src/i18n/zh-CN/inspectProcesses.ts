import type { Catalogue } from '../index.ts';

/** 控制台尺寸与进程的 stdin：shim 不调用 runc 就能回答的调用。（top 与 stats 见 resources.ts） */
export const inspectProcesses: Catalogue = {
  'api.containers.resize':
    'CLI 把自己终端的大小告诉 dockerd（`POST /containers/…/resize?h=…&w=…`）：容器的控制台要与之一致。',
  'api.containers.resize.reply': 'dockerd 回答 {status}：控制台已是新的大小。',
  'api.exec.resize': 'CLI 把自己终端的大小告诉 dockerd，用于 exec 的控制台（`POST /exec/…/resize`）。',
  'api.exec.resize.reply': 'dockerd 回答 {status}：exec 的控制台已是新的大小。',
  'ctrd.Tasks.ResizePty': 'dockerd 请 containerd 调整某个进程控制台的大小；containerd 去问 shim。',
  'ctrd.Tasks.ResizePty.reply': 'containerd 回复“{call}”。',
  'ctrd.Tasks.CloseIO': 'dockerd 请 containerd 关闭某个进程的标准输入：客户端的输入已经结束。',
  'ctrd.Tasks.CloseIO.reply': 'containerd 回复“{call}”。',
  'shim.ResizePty': 'containerd 调用 Task/ResizePty；shim 设置它持有的控制台的大小（TIOCSWINSZ）。',
  'shim.ResizePty.reply': 'shim 回复“{call}”：控制台里的程序会收到 SIGWINCH。',
  'shim.CloseIO': 'containerd 调用 Task/CloseIO；shim 关闭它那一端的进程标准输入。',
  'shim.CloseIO.reply': 'shim 回复“{call}”：进程读到输入的结尾。',
};

import type { Catalogue } from '../index.ts';

/** Linux 内核：runc 发起的系统调用（命名空间、控制组、挂载、信号），以及内核通知 shim 的事情（输出、退出、OOM）。 */
export const kernel: Catalogue = {
  'kernel.clone':
    'runc init 用 unshare() 创建新的命名空间（{flags}）：内核为每个标志创建一个（NS 管挂载点，UTS 管主机名，PID 管进程号……），runc 接下来 fork 出的进程就是其中的 1 号进程。cgroup 命名空间最后才创建，在进程进入自己的控制组之后。这些是 runc nsexec 里的 unshare() 调用，不是一次 clone() 的标志。',
  'kernel.setns':
    'runc 用 setns() 加入网络驱动准备好的网络命名空间（{path}），于是容器看到的是自己的 eth0 和 IP 地址。',
  'kernel.cgroup':
    '在做任何别的事之前，runc 先创建容器的控制组目录 {cgroup}，并把 runc init 移进去，于是容器以后启动的一切都记在这里。限制要等 runc init 准备好之后才写入。',
  'kernel.cgroup.v1':
    '在做任何别的事之前，在这台 cgroup v1 主机上（cgroupfs 驱动，与录制时的 dockerd 20.10 相同），runc 在每个控制器（cpu、memory、pids…）下创建容器的目录 {cgroup}，并把 runc init 移进去。限制要等 runc init 准备好之后才写入。',
  'kernel.limits':
    'runc init 报告已准备好（命名空间和根目录都已就位），runc 把容器的限制写进它的控制组（{limits}）：从此内核限制容器内一切进程的内存和进程数。',
  'kernel.pivotRoot':
    'runc 为容器挂载 /proc、/dev 和 /sys，再调用 pivot_root() 切换到它的根文件系统（overlay 联合挂载），于是容器把镜像里的文件看作 /。',
  'kernel.execFifo':
    '`runc init` 打开 exec.fifo 后阻塞：命名空间、控制组、根文件系统都已就绪，但容器的程序还没开始。',
  'kernel.execve':
    '`runc start` 打开 exec.fifo，唤醒 `runc init`；init 调用 execve()，变身为容器的程序，仍然是 1 号进程。',
  'kernel.kill':
    'runc 对容器的 init 调用 kill() 发送 {signal}。作为命名空间里的 1 号进程，它只会收到自己设置了处理函数的信号，SIGKILL 除外，它一定生效。',
  'kernel.freeze':
    '向 cgroup.freeze 写入 1，内核便不再调度这个控制组里的任何进程：它们保留内存，但不再运行。',
  'kernel.thaw': '向 cgroup.freeze 写入 0，内核重新调度容器里的进程。',
  'kernel.freeze.v1':
    '在 cgroup v1 上，向 freezer 控制器的 freezer.state 写入 FROZEN，内核便不再调度这个控制组里的任何进程：它们保留内存，但不再运行。',
  'kernel.thaw.v1': '向 freezer.state 写入 THAWED，内核重新调度容器里的进程。',
  'kernel.setnsAll':
    '执行 `docker exec` 时，runc 用 setns() 进入容器现有的命名空间（mnt、uts、ipc、pid、net）和控制组，再调用 execve()，因此命令看到的与容器看到的完全一样。',
  'kernel.cleanup':
    '`runc delete` 删除容器的控制组目录和 runc 的状态；命名空间里已经没有进程，内核随之释放它们。',
  'kernel.output': '容器里的进程写出输出：数据进入一根管道，另一端握在 shim 手里，而不是直接送到某个终端。',
  'kernel.exit':
    '容器里的一个进程结束了；内核向它的父进程 shim 发送 SIGCHLD，shim 用 wait4() 取得退出状态。被信号杀死时，状态是 128 加信号编号（SIGKILL 即 137）。',
  'kernel.oom':
    '容器的控制组触到内存上限，内核的 OOM killer 杀死了其中一个进程；memory.events 记下这次 oom_kill，而 shim 一直在盯着这个文件。',
  'kernel.oom.v1':
    '容器的控制组触到内存上限，内核的 OOM killer 杀死了其中一个进程；在 cgroup v1 上，内核通知 shim 在 memory.oom_control 上登记的 eventfd。',
};

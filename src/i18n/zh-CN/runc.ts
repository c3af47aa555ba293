import type { Catalogue } from '../index.ts';

/** runc，OCI 运行时：每个请求就是运行一次 runc，它完成系统调用后即退出；失败时带着 runc 自己的错误信息。 */
export const runc: Catalogue = {
  'runc.create':
    'shim 带着 bundle 执行 `runc create`：runc 读取 config.json，创建命名空间和控制组，准备好根文件系统，然后让 `runc init` 停下等待。程序此时还没运行。',
  'runc.create.reply':
    '`runc create` 返回 0：容器已经存在，init 进程在 exec.fifo 上等待。runc 本身已经退出，只剩下 init。',
  'runc.create.failed':
    '`runc create` 失败，报错“{call}”：runc 无法启动容器的进程（比如镜像里根本没有这个命令），所以容器从未运行。',
  'runc.start': 'shim 执行 `runc start`：它打开 exec.fifo，放行正在等待的 init，init 随即执行容器的程序。',
  'runc.start.reply':
    '`runc start` 退出：容器的程序以其命名空间内 1 号进程的身份运行，runc 已经离开，留下 shim 作为它的父进程。',
  'runc.start.failed': '`runc start` 失败（{status}）：容器的程序没能启动。',
  'runc.kill': 'shim 执行 `runc kill`，它用 kill(2) 把信号发给容器的 init 进程。',
  'runc.kill.reply': '`runc kill` 返回 0：信号已送达。',
  'runc.kill.failed': '`runc kill` 失败（{status}）：进程可能已经不在了。',
  'runc.pause': 'shim 执行 `runc pause`，冻结容器的控制组。',
  'runc.pause.reply': '`runc pause` 返回 0：容器里的所有进程都被冻结。',
  'runc.pause.failed': '`runc pause` 失败（{status}）：控制组没能冻结。',
  'runc.resume': 'shim 执行 `runc resume`，解冻容器的控制组。',
  'runc.resume.reply': '`runc resume` 返回 0：容器里的进程重新运行。',
  'runc.resume.failed': '`runc resume` 失败（{status}）：控制组没能解冻。',
  'runc.exec': 'shim 带着 process.json 执行 `runc exec`：runc 在容器现有的命名空间和控制组里启动一个新进程。',
  'runc.exec.reply': '`runc exec` 返回 0：新进程在容器里运行，是 shim 的子进程。',
  'runc.exec.failed': '`runc exec` 失败，报错“{call}”：程序无法在容器里启动，所以 `docker exec` 报错。',
  'runc.delete': 'shim 执行 `runc delete`：容器的进程都已结束，runc 删除它的控制组和状态目录。',
  'runc.delete.reply': '`runc delete` 返回 0：内核为这个容器保留的资源都已释放。',
  'runc.delete.failed': '`runc delete` 失败（{status}）：容器的部分状态没能删除。',
};

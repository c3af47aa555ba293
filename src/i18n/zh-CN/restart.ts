import type { Catalogue } from '../index.ts';

/** 重启策略：每次退出时 dockerd 的重启管理器、它的退避等待、取消等待的停止，以及重新启动的 dockerd 带回的容器。 */
export const restart: Catalogue = {
  'dockerd.restartBackoff':
    '{name} 以 {code} 退出，它的重启策略要求把它带回来：dockerd 把它标记为 Restarting（第 {count} 次重启），先等待 {ms} 毫秒。等待从 100 毫秒开始，每次重启翻倍，最多一分钟；运行满 10 秒后又回到 100 毫秒。',
  'dockerd.restartNow':
    '退避结束：dockerd 走和 `docker start` 相同的启动流程再次启动 {name}——网络、containerd 容器、任务、runc。没有 `restart` 事件：那个事件属于 `docker restart`。',
  'dockerd.restartCanceled':
    '在等待期间，一次停止或 kill 取消了 {name} 的重启管理器：没有进程可以发信号，所以也没有 `kill` 事件。容器以 {code} 保持退出状态。',
  'dockerd.restore.start':
    '{name} 没有在运行，而它的重启策略（{policy}）要求启动中的守护进程把它带回来。dockerd 为每个这样的容器各开一个 goroutine，同时启动，然后才开始监听。',
  'dockerd.restore.start.reply': '容器重新运行；它的 RestartCount 从 0 开始。',
};

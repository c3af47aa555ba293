import type { Catalogue } from '../index.ts';

/**
 * Docker Desktop：宿主机上的后端进程（图中的 VM 一列）。它持有 CLI 连接的套接字，把 Engine API
 * 转发进 Linux 虚拟机，共享宿主机目录，发布端口；以及这些与 Linux 宿主机的不同之处。
 */
export const desktop: Catalogue = {
  'fidelity.desktopSocket':
    '在 Docker Desktop 上，这个套接字并不属于 dockerd：CLI 当前的上下文是 desktop-linux，即 unix:///Users/me/.docker/run/docker.sock，接受连接的是 Mac 上 Docker Desktop 的后端进程。dockerd 运行在一台 Linux 虚拟机里。',
  'vm.forward':
    'Docker Desktop 的后端（com.docker.backend）把 `{call}` 经由宿主机与虚拟机之间的套接字转发给 Linux 虚拟机里 dockerd 的 /var/run/docker.sock。在 Linux 宿主机上没有这一跳：CLI 连接的就是 dockerd 自己的套接字。',
  'vm.relay.reply':
    '后端把 dockerd 的应答 {call} 转回 Mac 上的 CLI。CLI 察觉不到自己并不是在直接和 dockerd 对话。',
  'vm.stream':
    '后端把 dockerd 从虚拟机发来的 {stream} 数据帧，复制到 Mac 上 CLI 那条被劫持（hijack）的连接上。',
  'vm.shareBinds':
    '文件共享：{source} 是 Mac 上的路径，虚拟机里的 dockerd 无法按原样打开它。它位于共享目录之内（默认共享 /Users、/Volumes、/private、/tmp 和 /var/folders），Docker Desktop 把这些目录挂载到虚拟机的 /host_mnt 下（默认用 virtiofs），所以后端在 dockerd 看到请求之前，把绑定挂载的源路径改写成 {vmPath}。在 Linux 上，源路径按原样使用。',
  'vm.restorePaths':
    '后端把 dockerd 应答里 {count} 处路径字段（Mounts、HostConfig.Binds）从 /host_mnt/… 改回 Mac 自己的路径，所以 `docker inspect` 和 `docker ps` 显示的正是你输入的路径。',
  'vm.exposePort':
    '端口转发：后端现在在 Mac 的 {hostIp}:{hostPort}（{protocol}）上监听；连到这里的连接被带进虚拟机，再送到容器的 {containerPort} 端口。在 Linux 宿主机上，dockerd 直接在宿主机上开放端口（一条 iptables DNAT 规则）；这里这条规则位于虚拟机内部，只有后端才让这个端口在 Mac 上可达。',
  'vm.closePort': '容器已停止或已删除：后端关闭它在 Mac 的 {hostIp}:{hostPort} 上的监听。',
  'vm.mountsDenied.reply':
    '这次启动由后端自己作答，dockerd 根本没有收到：{source} 不在共享目录之内，虚拟机看不到它。`Mounts denied` 指出了能共享它的设置（Settings → Resources → File sharing）。',
};

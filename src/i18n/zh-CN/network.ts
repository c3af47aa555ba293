import type { Catalogue } from '../index.ts';

/** 网络驱动（libnetwork 的 bridge）：端点、veth 对、IP 地址。 */
export const network: Catalogue = {
  'net.connect':
    'runc 已在新的网络命名空间里创建了容器的 init（Tasks.Create：规范没有给出它的路径，runc 就自己 unshare 一个）。在 Tasks.Start 之前，dockerd 把这个命名空间交给 libnetwork——对 /proc/{pid}/ns/net 调用 SetKey，并以沙箱 ID 命名做 bind mount——再请 bridge 驱动把容器接入网络：端点、IP 地址、veth 对，以及发布端口的规则。',
  'net.connect.join':
    '容器正在运行，它的网络命名空间已经存在：dockerd 请 bridge 驱动把它再接入一个网络——一个新的 endpoint、该网络上的一个 IP 地址、一对 veth，其对端在容器里成为一个新的网卡。',
  'net.connect.reply':
    'bridge 驱动建了一对 veth：{veth} 留在宿主机上，插在 {bridge} 网桥上；另一端在容器的网络命名空间里成为 eth0，地址 {ip}。发布的端口还会得到 iptables DNAT 规则。',
  'net.disconnect': '容器已经停止，dockerd 请 bridge 驱动让它离开网络并删除端点。',
  'net.disconnect.reply': 'veth 对已删除，地址 {ip} 还回地址池。',
  'net.connect.classic':
    'dockerd 请 libnetwork 的 bridge 驱动把容器接入默认的 bridge 网络：创建端点，分配 IP 地址，建一对 veth。此时容器的网络命名空间还不存在：runc 会创建它，并由 runc 的 prestart 钩子 `libnetwork-setkey`（dockerd 自己的可执行文件）把它交回 libnetwork。',
  'net.connect.reply.classic':
    'bridge 驱动建了一对 veth：{veth} 留在宿主机上，插在 {bridge} 网桥上；等 runc 创建了容器的网络命名空间、libnetwork-setkey 钩子把它交给 libnetwork 之后，另一端才会成为其中的 eth0，地址 {ip}。发布的端口还会得到 iptables DNAT 规则。',
};

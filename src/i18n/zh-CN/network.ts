import type { Catalogue } from '../index.ts';

/** 网络驱动（libnetwork 的 bridge）：端点、veth 对、IP 地址。 */
export const network: Catalogue = {
  'net.connect':
    'dockerd 请 libnetwork 的 bridge 驱动把容器接入默认的 bridge 网络：创建端点，分配 IP 地址，准备网络命名空间。',
  'net.connect.reply':
    'bridge 驱动建了一对 veth：{veth} 留在宿主机上，插在 docker0 网桥上；另一端在容器的网络命名空间里成为 eth0，地址 {ip}。发布的端口还会得到 iptables DNAT 规则。',
  'net.disconnect': '容器已经停止，dockerd 请 bridge 驱动让它离开网络并删除端点。',
  'net.disconnect.reply': 'veth 对已删除，地址 {ip} 还回地址池。',
};

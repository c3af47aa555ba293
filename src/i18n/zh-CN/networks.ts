import type { Catalogue } from '../index.ts';

/** 用户自定义网络：Engine API 的网络接口、bridge 驱动的网桥，以及内嵌 DNS 服务器的查询与应答。 */
export const networks: Catalogue = {
  'api.networks.create':
    'CLI 请 dockerd 新建一个网络：`POST /networks/create`，带上名字、驱动（bridge）以及你给出的子网。',
  'api.networks.create.reply':
    'dockerd 回答 {status}，附上新网络的 id（{id}）：它有自己的网桥、自己的子网，以及为其上容器服务的 DNS 服务器。',
  'api.networks.list': 'CLI 请求全部网络：`GET /networks`。CLI 按名字排序，打印 ID、名字、驱动和作用域。',
  'api.networks.list.reply':
    'dockerd 回答了 {count} 个网络：它始终都有的三个（bridge、host、none），以及用 `docker network create` 建的那些。',
  'api.networks.inspect': 'CLI 按名字或 id 请求一个网络：`GET /networks/…`。',
  'api.networks.inspect.reply':
    'dockerd 回答网络 {name}：它的 IPAM（子网、网关），以及连在上面的容器和它们的地址。',
  'api.networks.delete': 'CLI 请 dockerd 删除这个网络：`DELETE /networks/…`。',
  'api.networks.delete.reply':
    'dockerd 回答 {status}：网络 {name} 和它的网桥都没了。（还有容器的网络会被拒绝删除。）',
  'api.networks.connect':
    'CLI 请 dockerd 把容器接到这个网络上：`POST /networks/…/connect`。运行中的容器会立刻多出一块网卡。',
  'api.networks.connect.reply': 'dockerd 回答 {status}。',
  'api.networks.disconnect': 'CLI 请 dockerd 把容器从这个网络上取下：`POST /networks/…/disconnect`。',
  'api.networks.disconnect.reply': 'dockerd 回答 {status}。',
  'dockerd.listNetworks': 'dockerd 从 libnetwork 自己的存储里列出 {count} 个网络，不去问驱动。',
  'net.createNetwork':
    'dockerd 让 libnetwork 的 bridge 驱动创建网络 {name}：一个属于它自己的 Linux 网桥 {bridge}，子网为 {subnet}。它上面的容器与默认 bridge 上的容器互不相通。',
  'net.createNetwork.reply':
    '网桥 {bridge} 已建好，持有 {subnet} 的网关地址 {gateway}：这是容器通往外面的路。',
  'net.deleteNetwork': 'dockerd 让 bridge 驱动删除网络 {name} 的网桥 {bridge}。',
  'net.deleteNetwork.reply': '网桥 {bridge} 已删除；它的子网可以分给别的网络了。',
  'dns.query':
    '容器里的程序查询 `{name}`。它的 /etc/resolv.conf 写着 nameserver 127.0.0.11：容器网络命名空间里的一条 iptables 规则把查询转到 dockerd 内嵌 DNS 服务器在那里监听的套接字。',
  'dns.answer':
    'dockerd 的内嵌 DNS 服务器认识 `{name}`：它是 {from} 所在网络上的一个容器（或别名）。它回答 {ip}。这正是默认 bridge 所没有的。',
  'dns.answer.forward':
    '`{name}` 不是 {from} 所在网络上的容器，于是内嵌 DNS 服务器把查询转发给主机的域名服务器，后者也不认识这个名字：NXDOMAIN。',
  'dns.query.host':
    '在默认 bridge 上，容器的 /etc/resolv.conf 是主机那份的拷贝：对 `{name}` 的查询发往主机的域名服务器 {server}，它从没听说过任何容器。回答：{answer}。',
};

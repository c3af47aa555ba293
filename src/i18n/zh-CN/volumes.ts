import type { Catalogue } from '../index.ts';

/** dockerd 的 local 驱动管理的卷，以及 `docker container prune`。 */
export const volumes: Catalogue = {
  'api.volumes.create':
    'CLI 请 dockerd 创建一个卷：`POST /volumes/create`，带上名字（没有名字就由 dockerd 生成一个）和驱动 `local`。',
  'api.volumes.create.reply':
    'dockerd 回答 {status}，附上卷 {name}：/var/lib/docker/volumes 下的一个目录，比挂载它的任何容器都活得长。再次请求同一个名字，得到的还是同一个卷。',
  'dockerd.volumeCreate':
    'local 卷驱动是 dockerd 的一部分：它自己创建目录 /var/lib/docker/volumes/{name}/_data，不经过 containerd，也不经过存储驱动。',
  'api.volumes.list': 'CLI 请求全部卷：`GET /volumes`。CLI 按名字排序。',
  'api.volumes.list.reply': 'dockerd 从自己的卷存储里回答了 {count} 个卷。',
  'api.volumes.inspect': 'CLI 请求一个卷：`GET /volumes/…`。',
  'api.volumes.inspect.reply': 'dockerd 回答卷 {name}：它的驱动、挂载点和创建时间。',
  'api.volumes.delete': 'CLI 请 dockerd 删除这个卷：`DELETE /volumes/…`。',
  'dockerd.restore.volumes':
    '启动中的 dockerd 的卷存储读回它的卷：local 驱动列出 /var/lib/docker/volumes 下的目录，存储的元数据给出每个卷的标签。卷比 dockerd 活得久，就像它比容器活得久一样。',
  'dockerd.restore.networks':
    '启动中的 dockerd 的 libnetwork 从它的存储中读回用户自定义网络，并让 bridge 驱动重新建起每个网桥：网络和卷一样比 dockerd 活得久。',
  'dockerd.restore.endpoints':
    'libnetwork 释放不在运行的容器的端点（上一个 dockerd 死在启动中途留下的）：它们的 veth 离开网桥，地址回到地址池，就像它每次启动时清理沙箱那样。',
  'dockerd.volumeRemove':
    'local 驱动删除 /var/lib/docker/volumes/{name} 以及其中写入的一切：卷里的数据只会这样消失。',
  'api.volumes.delete.reply': 'dockerd 回答 {status}：卷 {name} 没了。',
  'api.containers.prune': 'CLI 请 dockerd 删除所有不在运行的容器：`POST /containers/prune`。',
  'api.containers.prune.reply':
    'dockerd 删除了 {count} 个容器，每个都和 `docker rm` 一样（各有一个 `destroy` 事件），最后记下一个 `prune` 事件。',
  'api.system.df': 'CLI 询问 dockerd Docker 占用了多少磁盘：`GET /system/df`。CLI 按类型汇总。',
  'api.system.df.reply':
    'dockerd 回答它的 {images} 个镜像以及使用每个镜像的容器、它的 {containers} 个容器及其可写层，还有它的卷。被多个镜像共享的层只算一次。',
  'api.containers.rename': 'CLI 请 dockerd 给容器改名：`POST /containers/…/rename?name=…`。',
  'api.containers.rename.reply': 'dockerd 回答 {status}。',
  'dockerd.rename':
    'dockerd 像创建容器时一样保留名字 /{name}，释放 /{old}，并把新名字写进 config.v2.json；containerd 和正在运行的进程都不知道名字这回事。',
  'api.containers.changes': 'CLI 询问容器改动了哪些文件：`GET /containers/…/changes`。',
  'api.containers.changes.reply':
    'dockerd 回答了 {count} 处改动：容器自己的那一层与镜像的比较——也就是 `docker commit` 会保留下来的东西。',
  'api.plugins.inspect':
    '没有别的东西叫这个名字，于是 CLI 问是否有插件叫它：`GET /plugins/…/json`。这是 CLI 在报出 `No such object` 之前的最后一次尝试。',
};

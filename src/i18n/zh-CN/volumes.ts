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
  'dockerd.volumeRemove':
    'local 驱动删除 /var/lib/docker/volumes/{name} 以及其中写入的一切：卷里的数据只会这样消失。',
  'api.volumes.delete.reply': 'dockerd 回答 {status}：卷 {name} 没了。',
  'api.volumes.prune':
    'CLI 请 dockerd 删除没有容器使用的卷：`POST /volumes/prune`（从 API 1.42 起只删匿名卷，除非带上 `all=true`）。',
  'api.volumes.prune.reply':
    'dockerd 回答 {status}：没人用的卷及其数据都没了，不为它们记 `destroy` 事件，只记一个 `prune` 事件。',
  'api.containers.archive.stat':
    'CLI 询问容器里某个路径上有什么：`HEAD /containers/…/archive?path=…`。回答只是一个头部 X-Docker-Container-Path-Stat：名字、大小、权限、时间和链接目标。',
  'api.containers.archive.stat.reply':
    'dockerd 回答 {status}：有东西就带上 stat 头部回答 200，没有就回答 404。',
  'api.containers.archive.get': 'CLI 请求容器里某个路径的 tar：`GET /containers/…/archive?path=…`。',
  'api.containers.archive.get.reply': 'dockerd 回答 {status}：tar 边读边发。',
  'api.containers.archive.put':
    'CLI 发来一个 tar，要解到容器的某个目录里：`PUT /containers/…/archive?path=…`。',
  'api.containers.archive.put.reply': 'dockerd 回答 {status}：文件已在那个目录里。',
  'dockerd.archive':
    'dockerd 自己处理容器的根文件系统（{call}），容器没在运行就先挂载它：不经过 containerd、shim 和 runc。每个路径都在这个根里解析，链接按容器的视角跟随，所以根之外的东西一概不读不写。',
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

import type { Catalogue } from '../index.ts';

/** `docker save`、`docker load` 和 `docker login`：dockerd 20.10 与 CLI 的部分。 */
export const saveLoad: Catalogue = {
  'cli.save.write':
    'CLI 把收到的 tar 写进 {path}：先写到旁边的临时文件，流结束后再改名，所以被拒绝的 save 不会留下文件。',
  'storage.diff.layer':
    'dockerd 20.10 向自己的层存储要这一层的 tar（TarStream）：overlay2 驱动把该层的 diff 目录打成不压缩的 tar，作为归档里的 layer.tar。',
  'storage.diff.layer.reply':
    '该层的文件，未压缩共 {bytes} 字节：拉取时解包的内容又以 tar 的形式导出。它的摘要就是该层的 diff id。',
  'api.images.get.classic.reply':
    'dockerd 20.10 回复 {call}：只有 docker-archive —— 每个镜像的配置是 <id>.json，每一层是 <v1 id>/layer.tar，最后是 manifest.json 和 repositories；不经过 containerd。Engine 29 则从 containerd 的内容存储写出 OCI 镜像布局（moby daemon/containerd/image_exporter.go）。每个镜像一个 save 事件。',
  'dockerd.load.read.classic':
    'dockerd 20.10 把归档解包到一个临时目录，读取 manifest.json（没有它时读旧格式的 repositories 文件）：其中有哪些配置、层和标签。',
  'api.images.load.classic.reply':
    'dockerd 20.10 回复 {call}：层存储里还没有的层由 overlay2 注册，配置写入镜像存储，设置标签；每个镜像一个 load 事件，即使镜像早已存在。Engine 29 则导入到 containerd（moby daemon/containerd/image_exporter.go LoadImage）。',
  'cli.login.store':
    '镜像仓库接受了凭据，于是 CLI 把 {server} 的凭据存进 ~/.docker/config.json（base64 编码，并未加密，除非配置了凭据助手），之后每次 push 或 pull 都会带上。dockerd 不保存任何凭据。',
};

import type { Catalogue } from '../index.ts';

/** `docker cp`、`docker export` 与 `docker commit`：容器的根文件系统，进与出。 */
export const copy: Catalogue = {
  'api.containers.archive.head': '读取本地文件之前，CLI 先询问容器里目标位置是什么：`{call}`。',
  'api.containers.archive.head.reply':
    'dockerd 回答 {status}：路径存在（它的 stat 放在响应头里返回）。若是 404，CLI 会以新名字复制到上一级目录。',
  'api.containers.archive.put': 'CLI 发送本地文件的 tar 包：`{call}`。目标不存在时，文件在 tar 包里被改名。',
  'api.containers.archive.put.reply':
    'dockerd 回答 {status} 并记录 `extract-to-dir`。containerd 和 runc 都没有参与：容器不必在运行。',
  'api.containers.archive.get': 'CLI 以 tar 包的形式索取容器中的一个路径：`{call}`。',
  'api.containers.archive.get.reply':
    'dockerd 回答 {status}，带回 tar 包并记录 `archive-path`；CLI 在宿主机上解开它。',
  'storage.stat.reply':
    '存储驱动回答该路径的 stat（{size} 字节、权限位与时间、符号链接在容器内的目标）：dockerd 回答 stat 只需要这些，而且只查看了这一个路径——没有遍历容器的层。',
  'storage.stat.missing.reply':
    '容器的根文件系统中 {path} 处什么都没有（符号链接在根内解析，从不越出根）：dockerd 将回答 404。',
  'storage.statPath': 'dockerd 挂载容器的根文件系统（它自己的层叠在镜像的层之上），在里面查找 {path}。',
  'storage.extractToDir':
    'dockerd 把 {count} 个文件解包到 {dir}：它们落在容器自己的可写层，也就是容器进程写文件的同一个 upper 目录——`docker diff` 会显示它们。',
  'dockerd.archivePath': 'dockerd 把挂载的根文件系统中的 {path} 打包进回答。',
  'api.containers.export': 'CLI 以一个 tar 包索取容器的整个文件系统：`{call}`。',
  'api.containers.export.reply':
    'dockerd 回答 {status}，把 tar 包流式写入 CLI 的文件，并记录 `export`。与镜像不同，这个 tar 包是扁平的：没有层，也没有配置。',
  'dockerd.import':
    'dockerd 自己读取要导入的 tar（请求体，或 URL 返回的内容），边读边计算哈希：得到层的摘要，以及解压后的 diff id。',
  'dockerd.export':
    'dockerd 挂载容器的根文件系统并把它全部打包：{layers} 个镜像层加上容器自己的层，按 overlayfs 呈现的样子合并在一起。',
  'api.commit':
    'CLI 请 dockerd 把容器变成镜像：`{call}`。运行中的容器在读取其层的期间被暂停，这样复制时文件不会变化。',
  'api.commit.reply':
    'dockerd 回答 {status}，带回新镜像的 id：镜像原有的层加上容器自己的一层（没有改动则不加），一份包含改动的配置和一条历史记录；`tag` 与 `commit` 事件，然后 `unpause`。',
  'ctrd.Diff.Diff':
    'Engine 29：dockerd 请 containerd 的 diff 服务比较容器的快照与其父快照；walking differ 把改动作为层 blob 写进内容存储。',
};

import type { Catalogue } from '../index.ts';

/** 存储驱动：磁盘上的 overlayfs 镜像层。{from} 是 containerd（overlayfs 快照器，Engine v29）或 dockerd（overlay2 图驱动，经典模式）。 */
export const storage: Catalogue = {
  'storage.prepare':
    '{from} 请存储驱动在父层（如果有）之上新建一个层目录：一个空的上层目录，外加 overlayfs 需要的工作目录。拉取时下一层就解压到这里；对容器来说，它就是读写层。',
  'storage.prepare.reply': '存储驱动已建好目录（在 {dir} 下）；在有东西写进去之前，它们都是空的。',
  'storage.apply':
    '{from} 请存储驱动解压下载好的镜像层：gunzip 再 untar 到准备好的目录里，其中的 whiteout 文件（.wh.*）表示删除了下层的文件。',
  'storage.apply.reply': '解压完成：这一层压缩后的 {size} 字节，如今已是磁盘上的文件。',
  'storage.commit':
    '{from} 请存储驱动以 chain id 提交这一层：它变为只读层，所有叠在它上面的镜像和容器共用这一份。',
  'storage.commit.reply': '已提交：这个目录现在是一个只读的下层。',
  'storage.mount':
    '经典 overlay2：dockerd 请图驱动挂载容器的根文件系统，镜像层作 lowerdir，容器层作 upperdir，联合成一个合并目录。',
  'storage.mount.reply':
    'overlay 挂载完成：容器看到的是合并后的视图；修改下层的文件时，先把它复制到上层再改（写时复制）。',
  'storage.mounts':
    'containerd 向 overlayfs 快照器要这个快照的挂载描述：快照器说明 overlay 怎么挂（父层作 lowerdir，快照自己的目录作 upperdir），自己并不挂载。',
  'storage.mounts.reply': '快照器回复要挂载的 overlay；由请求方自己去挂载。',
  'storage.umount':
    '容器已经退出，dockerd 请 overlay2 驱动卸载它的合并根文件系统；各层目录仍留在磁盘上，直到 `docker rm`。',
  'storage.umount.reply': '已卸载；容器写下的内容仍保存在它的上层目录里。',
  'storage.remove':
    '{from} 请存储驱动删除一个层目录：对 `docker rm` 来说，就是容器的读写层和它写下的一切。镜像的只读层保留。',
  'storage.remove.reply': '存储驱动回复“{call}”：如果还有别的层叠在这一层上，它就会被保留。',
};

import type { Catalogue } from '../index.ts';

/** `docker volume prune`。 */
export const prune: Catalogue = {
  'api.volumes.prune':
    'CLI 请 dockerd 删除没有任何容器使用的卷：`{call}`。API 1.42 及以后（Engine 29）只删除匿名卷，除非 `-a` 加上 `all` 过滤条件。',
  'api.volumes.prune.reply':
    'dockerd 回答 {status}：本地驱动删除了 {count} 个卷，并记录一个 `prune` 事件——不会为每个卷记录 `destroy` 事件。',
};

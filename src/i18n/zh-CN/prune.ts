import type { Catalogue } from '../index.ts';

/** `docker volume prune`、`docker image prune`、`docker system prune`。 */
export const prune: Catalogue = {
  'api.volumes.prune':
    'CLI 请 dockerd 删除没有任何容器使用的卷：`{call}`。API 1.42 及以后（Engine 29）只删除匿名卷，除非 `-a` 加上 `all` 过滤条件。',
  'api.volumes.prune.reply':
    'dockerd 回答 {status}：本地驱动删除了 {count} 个卷，并记录一个 `prune` 事件——不会为每个卷记录 `destroy` 事件。',
  'api.networks.prune':
    '接着是网络：`{call}`。dockerd 删除所有没有容器连接的用户自定义网络（bridge、host 和 none 始终保留）。',
  'api.networks.prune.reply':
    'dockerd 回答 {status}：删除了 {count} 个网络，每个都有 `destroy` 事件，最后是一个 `prune` 事件。',
  'api.build.prune':
    '最后是构建缓存：`{call}`。无论 Engine 20.10 还是 29，CLI 都去问 dockerd，由它交给 BuildKit。',
  'api.build.prune.reply':
    'dockerd 回答 {status} 并记录 `builder prune`。（模拟中的构建缓存保持不变：删除了 {count} 条记录。）',
};

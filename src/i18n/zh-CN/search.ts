import type { Catalogue } from '../index.ts';

/** `docker search` 与 `docker logout`。 */
export const search: Catalogue = {
  'api.images.search': 'CLI 请 dockerd 搜索：`{call}`。CLI 自己从不直接联系 Docker Hub，联系它的是守护进程。',
  'api.images.search.reply':
    'dockerd 回答 {status}，按要求过滤后带回 {count} 条结果；CLI 打印 NAME、DESCRIPTION（截断到 45 列）、STARS 和 OFFICIAL。',
  'registry.search':
    'dockerd 向索引查询“{term}”：`{call}`——这是 Docker Hub 旧的 v1 搜索 API，dockerd 至今仍在用。模拟中的索引就是内置目录：任何搜索都不会离开本页面，模拟的索引也不计星数。',
  'cli.logout':
    '没有任何请求，连 ping 都没有：CLI 从自己的配置文件中删除 {server} 的已保存凭据（或让它指定的凭据助手忘掉它们）。dockerd 从不保存镜像仓库的密码。',
};

import type { Catalogue } from '../index.ts';

/** 镜像仓库：基于 HTTPS 的 OCI 分发接口（Docker Hub 的地址是 registry-1.docker.io）。 */
export const registry: Catalogue = {
  'registry.get':
    'dockerd 向镜像仓库发送 `{call}`：/v2/ 探测是否需要认证，/token 获取拉取令牌，/manifests/ 取镜像清单，/blobs/ 按摘要取镜像配置或镜像层。',
  'registry.get.reply':
    '镜像仓库回复 {status}，共 {size} 字节；拉取者（dockerd，构建时则是 BuildKit）会用 sha256 摘要校验每份清单和每个 blob，通过后才采用。',
  'registry.error.reply':
    '镜像仓库回复 {status}。/v2/ 返回 401 很正常：这是在要令牌，dockerd 随后去取。若是清单请求返回 401 或 404，则表示仓库或标签不存在，或者没有权限。',
};

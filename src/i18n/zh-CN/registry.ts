import type { Catalogue } from '../index.ts';

/** 镜像仓库：基于 HTTPS 的 OCI 分发接口（Docker Hub 的地址是 registry-1.docker.io）。 */
export const registry: Catalogue = {
  'registry.get':
    'dockerd 向镜像仓库发送 `{call}`：/v2/ 探测是否需要认证，/token 获取拉取令牌，/manifests/ 取镜像清单，/blobs/ 按摘要取镜像配置或镜像层。',
  'registry.get.reply':
    '镜像仓库回复 {status}，共 {size} 字节；拉取者（dockerd，构建时则是 BuildKit）会用 sha256 摘要校验每份清单和每个 blob，通过后才采用。',
  'registry.error.reply':
    '镜像仓库回复 {status}。/v2/ 返回 401 很正常：这是在要令牌，dockerd 随后去取。若是清单请求返回 401 或 404，则表示仓库或标签不存在，或者没有权限。',
  'registry.head':
    'dockerd 发送 `{call}`：镜像仓库的这个仓库里是否已有这个 blob？返回 200 就可以跳过它（“Layer already exists”）。',
  'registry.head.reply': '镜像仓库回复 {status}：这个 blob 已经存在。',
  'registry.post': 'dockerd 发送 `{call}`，开启一次上传会话；镜像仓库在 Location 里告诉它把 blob 发到哪里。',
  'registry.post.reply': '镜像仓库回复 {status}：上传会话已开启，Location 指明数据发往何处。',
  'registry.patch': 'dockerd 发送 `{call}`：把 blob 的字节从内容存储流式发进上传会话。',
  'registry.patch.reply': '镜像仓库回复 {status}：字节已收到，并给出会话的下一个 Location。',
  'registry.put':
    'dockerd 发送 `{call}`：带 `?digest=` 时提交已上传的 blob（镜像仓库校验 sha256）；发往 /manifests/ 时按标签保存清单。',
  'registry.put.reply': '镜像仓库回复 {status}：已保存，用的是它自己算出的摘要。',
};

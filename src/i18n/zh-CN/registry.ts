import type { Catalogue } from '../index.ts';

/** 镜像仓库：基于 HTTPS 的 OCI 分发接口（Docker Hub 的地址是 registry-1.docker.io）。 */
export const registry: Catalogue = {
  'registry.get':
    'dockerd 发送 `{call}`：/v2/ 向镜像仓库探测是否需要认证（经典引擎），/manifests/ 取镜像清单，/blobs/ 按摘要取镜像配置或镜像层；/token 发往令牌服务（Docker Hub 的是 auth.docker.io），而不是镜像仓库。',
  'registry.get.reply': '镜像仓库回复 {status}，共 {size} 字节。',
  'registry.error.reply':
    '镜像仓库回复 {status}。不带令牌的请求得到 401 很正常：回复里指明了令牌服务，dockerd 随后去那里取令牌（经典引擎在 /v2/ 上得到它，Engine 29 在第一个 HEAD 上得到它）。若是清单请求返回 401 或 404，则表示仓库或标签不存在，或者没有权限。',
  'registry.head':
    'dockerd 发送 `{call}`：镜像仓库的这个仓库里是否已有这个 blob？返回 200 就可以跳过它（“Layer already exists”）。',
  'registry.head.reply': '镜像仓库回复 {status}：这个 blob 已经存在。',
  'registry.post': 'dockerd 发送 `{call}`，开启一次上传会话；镜像仓库在 Location 里告诉它把 blob 发到哪里。',
  'registry.post.reply': '镜像仓库回复 {status}：上传会话已开启，Location 指明数据发往何处。',
  'registry.post.mount':
    'dockerd 发送 `{call}`：同一镜像仓库的另一个仓库已有这个 blob，于是请仓库从那里挂载，而不再发送字节。201 表示已挂载（“Mounted from …”）；否则仓库像对任何 POST 一样打开一个上传会话。',
  'registry.head.manifest':
    'dockerd 发送 `{call}`：containerd 的 pusher 像检查 blob 一样检查清单。200 且 `Docker-Content-Digest` 等于这个清单的摘要，表示该标签已经指向它，无需发送；否则把清单 PUT 到该标签下。',
  'registry.put.whole':
    'dockerd 发送 `{call}`：containerd 的 pusher（Engine 29）在这一个请求里发送整个 blob，从内容存储流式发往上传会话的 Location，`?digest=` 让镜像仓库按这个 sha256 提交它。没有 PATCH。',
  'registry.patch': 'dockerd 发送 `{call}`：把 blob 的字节从内容存储流式发进上传会话。',
  'registry.patch.reply': '镜像仓库回复 {status}：字节已收到，并给出会话的下一个 Location。',
  'registry.put':
    'dockerd 发送 `{call}`：带 `?digest=` 时提交已上传的 blob（镜像仓库校验 sha256）；发往 /manifests/ 时按标签保存清单。',
  'registry.put.reply': '镜像仓库回复 {status}：已保存，用的是它自己算出的摘要。',
  // 每一种镜像仓库请求和回复各有一句（src/views/registryNarration.ts）。
  'registry.kind.ping':
    '{from} 用 `GET /v2/` 探测 {host} 上的镜像仓库（API 版本检查）：回复会说明拉取是否需要令牌，以及到哪里去取。',
  'registry.kind.ping.reply':
    '镜像仓库回复 {status}，并在 `WWW-Authenticate` 中给出令牌服务（realm {realm}）。这是例行步骤，不是失败：{to} 接着向该服务要令牌。',
  'registry.kind.pingOpen.reply':
    '镜像仓库回复 {status}：它支持 v2 接口且不需要令牌，所以 {to} 直接去取清单。',
  'registry.kind.token':
    '{from} 向令牌服务 {host}（不是镜像仓库）申请拉取令牌，范围是 {scope}：这个范围由客户端根据镜像名自己拼出，镜像仓库只接受带这种 Bearer 令牌的拉取请求。',
  'registry.kind.token.reply':
    '令牌服务回复 {status}，给出一个有效期 {expires} 秒的 Bearer 令牌。{to} 之后每次请求镜像仓库都带上 `Authorization: Bearer …`。令牌是凭据而不是内容：这里没有摘要需要校验。',
  'registry.kind.resolve':
    '{from} 用 `HEAD {path}` 询问 {reference} 指向哪份清单。HEAD 的回复只有头部、没有正文：`Docker-Content-Digest` 给出摘要，随后按这个摘要去取清单，这样即使标签同时被改动，也不会混用两个镜像。',
  'registry.kind.resolve.reply':
    '镜像仓库回复 {status}，只有头部：`Docker-Content-Digest: {digest}`（{mediaType}）。{to} 接着就按这个摘要去取。',
  'registry.kind.manifestTag':
    '{from} 询问标签 {reference} 指向哪份清单，接受清单列表、OCI 索引或单个清单（`Accept`）：多平台镜像会回复一份列表，每个平台一份清单。',
  'registry.kind.manifest':
    '{from} 按摘要获取清单 {reference}（标签所指的索引，或本平台的那份清单）：如果回复内容的哈希与该摘要不符，就会被拒绝。',
  'registry.kind.manifestList.reply':
    '镜像仓库回复 {status}，给出清单列表（{mediaType}，{size}，摘要 {digest}）：每个平台（amd64、arm64……）一份清单。{to} 选出本平台的那一份，再按摘要去取。',
  'registry.kind.manifest.reply':
    '镜像仓库回复 {status}，给出镜像清单（{mediaType}，{size}，摘要 {digest}）：列出配置 blob 和每一层的摘要、大小和媒体类型。{to} 去取本地还没有的 blob。',
  'registry.kind.config':
    '{from} 获取镜像配置 blob {reference}（{size}）：其中有镜像的设置（环境变量、入口点、命令）以及各层的 diff ID。',
  'registry.kind.config.reply':
    '镜像仓库回复 {status}，给出配置 blob（{mediaType}，{size}，摘要 {digest}）；它的 sha256 必须等于清单中写的摘要。',
  'registry.kind.layer': '{from} 获取镜像层 blob {reference}（{size}，压缩的 tar 包）；各层并行下载。',
  'registry.kind.layer.reply':
    '镜像仓库回复 {status}，传回这一层（{mediaType}，{size}，摘要 {digest}）；解压之前先用这个摘要校验数据。',
};

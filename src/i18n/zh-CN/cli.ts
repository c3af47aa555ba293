import type { Catalogue } from '../index.ts';

/** docker CLI：你输入的命令，以及它经 /var/run/docker.sock 发给 dockerd 的 Engine API 请求。 */
export const cli: Catalogue = {
  'cli.command':
    '你输入 `{line}`。docker CLI 先像 docker/cli 那样自己解析：命令或参数写错，当场报错，守护进程根本收不到请求。',
  'cli.command.reply':
    'docker CLI 以状态码 {code} 退出（即 `echo $?` 看到的值）。前台运行的 `docker run` 返回的是容器自己的退出码；125 表示 docker 本身出错，126、127 表示容器里的命令无法执行。',

  'api.ping':
    '每条命令开始前，CLI 都先经 Unix 套接字发一个 `HEAD /_ping`，问清守护进程支持哪个 Engine API 版本。',
  'api.version': 'CLI 向守护进程查询版本（`GET /version`）：Engine 版本、API 版本、操作系统、架构和内核。',
  'api.info': 'CLI 向守护进程查询系统信息（`GET /info`）：容器和镜像数量、存储驱动、cgroup 版本、内核。',

  'api.containers.create':
    'CLI 请 dockerd 创建容器：`{call}`，JSON 请求体里带着镜像、命令、环境变量和 HostConfig（内存限制、端口、--rm）。',
  'api.containers.start':
    'CLI 请 dockerd 启动容器（`POST /containers/…/start`）。直到这一步才会有进程运行：创建阶段只写了文件。',
  'api.containers.stop':
    '`{call}`：dockerd 会先发停止信号（默认 SIGTERM，镜像可另行指定），等待宽限期（-t，默认 10 秒），仍未退出就发 SIGKILL。',
  'api.containers.kill': '`{call}`：立即发送一个信号，不给宽限期；不加 -s 时就是 SIGKILL。',
  'api.containers.restart':
    '`{call}`：dockerd 在一个请求里先停止容器（信号、宽限期、必要时 SIGKILL），再重新启动它。',
  'api.containers.pause':
    '`{call}`：用 cgroup freezer 冻结容器里的所有进程。没有进程被杀死，只是内核不再调度它们。',
  'api.containers.unpause': '`{call}`：解冻容器的控制组，让其中的进程继续运行。',
  'api.containers.delete': '`{call}`：删除容器。带 force=1（`docker rm -f`）时，运行中的容器会先被杀死。',
  'api.containers.list':
    '`{call}`：列出 dockerd 知道的容器（默认只列运行中的，`docker ps -a` 带 all=1 列出全部）。',
  'api.containers.inspect':
    'CLI 获取容器的完整记录（`GET /containers/…/json`）：状态、PID、退出码、配置。`docker logs` 先做这一步，是为了知道容器有没有 TTY（有 TTY 时日志流是原样的，不按 stdout、stderr 复用；见 docker/cli 的 cli/command/container/logs.go）；`docker exec` 先做这一步，是为了把容器名换成 ID 并检查状态。',
  'api.containers.logs': 'CLI 请求容器保存下来的输出，包括 stdout 和 stderr（`GET /containers/…/logs`）。',
  'api.containers.wait':
    'CLI 发出 wait 请求（`POST /containers/…/wait`），它会一直挂起，直到容器退出才返回退出码。`docker run` 在启动前就先发出它，以免错过退出。',
  'api.containers.attach':
    'CLI 附加到容器（`POST /containers/…/attach`）：这条 HTTP 连接被升级为原始数据流，容器的 stdout 和 stderr 将由它送到你的终端。',
  'api.containers.exec':
    'CLI 请 dockerd 登记一个要在运行中的容器里执行的新进程（`POST /containers/…/exec`）。此时还什么都没运行。',
  'api.exec.start': 'CLI 启动已登记的 exec 进程（`POST /exec/…/start`），它的输出会沿这条连接流回来。',
  'api.exec.inspect':
    'CLI 读取 exec 的记录（`GET /exec/…/json`），取得它的退出码，作为 `docker exec` 自己的退出状态。',

  'api.images.create':
    '`{call}` 就是拉取镜像的接口，`docker pull` 用它，`docker run` 发现本地没有镜像时也用它。dockerd 以一行行 JSON 进度流作答。',
  'api.images.list': '`{call}`（`docker images`）：列出本机存储的镜像。',
  'api.images.history': 'CLI 请求镜像的构建历史（`GET /images/…/history`）：取自镜像配置，每个构建步骤一条。',
  'api.images.inspect':
    '没有叫这个名字的容器，于是 `docker inspect` 接着按镜像去查（`GET /images/…/json`）。',
  'api.images.get':
    '`{call}`（`docker save`）：请 dockerd 把镜像打成一个 tar，每个镜像一个 `names` 参数。Engine 29 生成的既是 OCI 镜像布局，也是 docker-archive；dockerd 20.10 只生成 docker-archive。',
  'api.images.load': '`{call}`（`docker load`）：把镜像归档（docker save 生成的 tar）发给 dockerd 导入。',
  'api.images.prune':
    '`{call}`（`docker image prune`）：删除没人使用的镜像：默认只删悬空镜像，加 `-a` 则删除所有没有容器在用的镜像。',
  'api.images.delete':
    '`{call}`（`docker rmi`）：删除这个标签；如果没有别的标签、也没有容器在用，就连镜像本身一起删除。',
  'api.events':
    '`{call}`：读取 dockerd 的事件记录（create、start、die、destroy……），也就是 `docker events` 实时显示的那些事件。',
  'api.images.tag': '`{call}`（`docker tag`）：给镜像再起一个名字。',
  'api.images.push':
    '`{call}`（`docker push`）：把镜像的各层、配置和清单发送到它所在的镜像仓库。dockerd 以一行行 JSON 进度流作答。',
  'api.auth': '`{call}`（`docker login`）：dockerd 向镜像仓库核对凭据；凭据由 CLI 保存，dockerd 不保存。',
};

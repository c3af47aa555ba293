import type { Catalogue } from '../index.ts';

/** 绑定挂载（`-v 宿主机路径:容器路径`、`--mount type=bind`）：dockerd 的挂载点，runc 的 mount(2)。 */
export const binds: Catalogue = {
  'dockerd.mountPoints':
    'dockerd 登记了 {count} 个绑定挂载，第一个的源是 {first}（daemon/volumes.go 的 registerMountPoints）。绑定挂载的源是 dockerd 所在机器上的路径（在 Docker Desktop 下就是那台 Linux 虚拟机），按原样使用：不复制任何东西。',
  'kernel.bindMount':
    '在 pivot_root 之前，runc 把 {source} 绑定挂载到容器根文件系统里的 {destination}（MS_BIND|MS_REC，加 :ro 时再以只读方式重新挂载）：容器看到的就是这个目录本身，而不是副本。',
  'view.bindMount': '绑定挂载',
};

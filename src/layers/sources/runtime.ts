import { any, LINUX, runc, RUNC11, RUNC13, type Pair } from './refs.ts';

/** runc's commands, what they ask of the kernel, and what the kernel does on its own. */
export const RUNTIME_SOURCES: Record<string, Pair> = {
  'runc.exec': runc('exec.go', 'execCommand'),
  'runc.kill': runc('kill.go', 'killCommand'),
  'runc.pause': runc('pause.go', 'pauseCommand'),
  'runc.resume': runc('pause.go', 'resumeCommand'),
  'runc.delete': runc('delete.go', 'deleteCommand'),
  'runc.run': runc('run.go', 'runCommand'),
  // runc exec: the new process joins every namespace of the container, then execs.
  'kernel.setnsAll': runc('libcontainer/setns_init_linux.go', '(*linuxSetnsInit).Init'),
  // The parent writes the limits when runc init reports procReady (the cgroup manager's Set).
  'kernel.limits': runc('libcontainer/process_linux.go', '(*initProcess).start'),
  'kernel.bindMount': runc('libcontainer/rootfs_linux.go', 'mountToRootfs'),
  'kernel.runExec': runc('libcontainer/standard_init_linux.go', '(*linuxStandardInit).Init'),
  'kernel.runCleanup': runc('libcontainer/state_linux.go', 'destroy'),
  'kernel.cleanup': runc('libcontainer/state_linux.go', 'destroy'),
  // The cgroup freezer: freezer.state on v1, cgroup.freeze on v2; Pause picks the manager's.
  'kernel.freeze': {
    classic: { ...RUNC11, file: 'libcontainer/container_linux.go', func: '(*linuxContainer).Pause' },
    v29: { ...RUNC13, file: 'libcontainer/container_linux.go', func: '(*Container).Pause' },
  },
  'kernel.thaw': {
    classic: { ...RUNC11, file: 'libcontainer/container_linux.go', func: '(*linuxContainer).Resume' },
    v29: { ...RUNC13, file: 'libcontainer/container_linux.go', func: '(*Container).Resume' },
  },
  'kernel.kill': {
    classic: { ...RUNC11, file: 'libcontainer/container_linux.go', func: '(*linuxContainer).Signal' },
    v29: { ...RUNC13, file: 'libcontainer/container_linux.go', func: '(*Container).Signal' },
  },
  // A write in the container lands in the overlay's upper dir; a new page is charged to its cgroup.
  'kernel.file': any({ ...LINUX, file: 'fs/overlayfs/dir.c', func: 'ovl_create' }),
  'host.allocate': any({ ...LINUX, file: 'mm/memcontrol.c', func: 'try_charge_memcg' }),
};

import type { Catalogue } from '../index.ts';

/**
 * The Linux kernel: the system calls runc makes (namespaces, cgroups, mounts, signals) and what
 * the kernel tells the shim (output, exit, OOM).
 */
export const kernel: Catalogue = {
  'kernel.clone':
    'runc init unshare()s the new namespaces ({flags}): the kernel creates one per flag (NS for mounts, UTS for the hostname, PID for process numbers…), and the process runc forks next is PID 1 inside them. The cgroup namespace comes last, once the process is in its cgroup. These are unshare() calls in runc’s nsexec, not flags of one clone().',
  'kernel.setns':
    'runc joins the network namespace the network driver prepared ({path}) with setns(), so the container sees its own eth0 and IP address.',
  'kernel.cgroup':
    'Before anything else, runc creates the container’s cgroup directory {cgroup} and moves runc init into it, so everything the container ever starts is counted there. The limits come later, when runc init is ready.',
  'kernel.cgroup.v1':
    'Before anything else, on this cgroup v1 host (the cgroupfs driver, as the recorded dockerd 20.10 ran), runc creates the container’s directory {cgroup} under each controller (cpu, memory, pids…) and moves runc init into them. The limits come later, when runc init is ready.',
  'kernel.limits':
    'runc init reports it is ready (its namespaces and root are in place), and runc writes the container’s limits into its cgroup ({limits}): from now on the kernel caps the memory and processes of everything inside.',
  'kernel.pivotRoot':
    'runc mounts /proc, /dev and /sys for the container and calls pivot_root() into its root filesystem, the overlay mount, so the container sees the image’s files as /.',
  'kernel.execFifo':
    '`runc init` opens exec.fifo and blocks: namespaces, cgroup and root filesystem are ready, but the container’s program has not started.',
  'kernel.execve':
    '`runc start` opens exec.fifo, which wakes `runc init`; init calls execve() and becomes the container’s program, still PID 1.',
  'kernel.kill':
    'runc calls kill() with {signal} on the container’s init. As PID 1 of its namespace it only receives signals it has a handler for, except SIGKILL, which always kills.',
  'kernel.freeze':
    'Writing 1 to cgroup.freeze makes the kernel stop scheduling every process in the cgroup: they keep their memory but do not run.',
  'kernel.thaw': 'Writing 0 to cgroup.freeze lets the kernel schedule the container’s processes again.',
  'kernel.freeze.v1':
    'On cgroup v1, writing FROZEN to the freezer controller’s freezer.state makes the kernel stop scheduling every process in the cgroup: they keep their memory but do not run.',
  'kernel.thaw.v1':
    'Writing THAWED to freezer.state lets the kernel schedule the container’s processes again.',
  'kernel.setnsAll':
    'For `docker exec`, runc enters the container’s existing namespaces (mnt, uts, ipc, pid, net) with setns() and its cgroup, then calls execve(), so the command sees exactly what the container sees.',
  'kernel.cleanup':
    '`runc delete` removes the container’s cgroup directory and runc’s state; with no process left in them, the kernel frees the namespaces.',
  'kernel.output':
    'A process in the container writes its output; it goes into a pipe whose other end the shim holds, not straight to any terminal.',
  'kernel.exit':
    'A process in the container has ended; the kernel sends SIGCHLD to its parent, the shim, which collects the exit status with wait4(). Killed by a signal, it reads as 128 + the signal number (137 for SIGKILL).',
  'kernel.oom':
    'The container’s cgroup hit its memory limit and the kernel’s OOM killer killed a process in it; memory.events counts the oom_kill, and the shim is watching that file.',
  'kernel.oom.v1':
    'The container’s cgroup hit its memory limit and the kernel’s OOM killer killed a process in it; on cgroup v1 the kernel signals the eventfd the shim registered on memory.oom_control.',
};

import type { Catalogue } from '../index.ts';

/** `docker top`, `docker stats`, and a console's size: the calls the shim answers without runc. */
export const inspectProcesses: Catalogue = {
  'api.containers.top':
    'The CLI asks which processes run in the container: `GET /containers/…/top`, with the ps options it was given (`-ef` by default).',
  'api.containers.top.reply':
    'dockerd answers with the processes: the task’s pids from containerd, kept from the `ps` it ran on the host.',
  'api.containers.stats':
    'The CLI asks for the container’s resource use: `GET /containers/…/stats?stream=false`, one answer.',
  'api.containers.stats.reply':
    'dockerd answers with two samples of the cgroup’s counters a second apart, so the CLI can compute the CPU share.',
  'api.containers.resize':
    'The CLI tells dockerd the size of its terminal (`POST /containers/…/resize?h=…&w=…`): the container’s console should match it.',
  'api.containers.resize.reply': 'dockerd answers {status}: the console has the new size.',
  'api.exec.resize':
    'The CLI tells dockerd the size of its terminal for the exec’s console (`POST /exec/…/resize`).',
  'api.exec.resize.reply': 'dockerd answers {status}: the exec’s console has the new size.',
  'ctrd.Tasks.ListPids': 'dockerd asks containerd for the task’s processes; containerd asks the shim.',
  'ctrd.Tasks.ListPids.reply': 'containerd answers “{call}”: the pids in the container’s cgroup.',
  'ctrd.Tasks.Metrics': 'dockerd asks containerd for the task’s cgroup metrics; containerd asks the shim.',
  'ctrd.Tasks.Metrics.reply':
    'containerd answers “{call}”: CPU, memory, block I/O and pids counters of the cgroup.',
  'ctrd.Tasks.ResizePty': 'dockerd asks containerd to resize a process’s console; containerd asks the shim.',
  'ctrd.Tasks.ResizePty.reply': 'containerd answers “{call}”.',
  'ctrd.Tasks.CloseIO': 'dockerd asks containerd to close a process’s stdin: the client’s input has ended.',
  'ctrd.Tasks.CloseIO.reply': 'containerd answers “{call}”.',
  'shim.Pids':
    'containerd calls Task/Pids; the shim reads the pids of the container’s cgroup, no runc needed.',
  'shim.Pids.reply': 'The shim answers “{call}” with the processes it found.',
  'shim.Stats': 'containerd calls Task/Stats; the shim reads the container’s cgroup files itself.',
  'shim.Stats.reply': 'The shim answers “{call}” with the cgroup’s metrics.',
  'shim.ResizePty':
    'containerd calls Task/ResizePty; the shim sets the size of the console it holds (TIOCSWINSZ).',
  'shim.ResizePty.reply': 'The shim answers “{call}”: the program in the console sees SIGWINCH.',
  'shim.CloseIO': 'containerd calls Task/CloseIO; the shim closes its end of the process’s stdin.',
  'shim.CloseIO.reply': 'The shim answers “{call}”: the process reads the end of its input.',
};

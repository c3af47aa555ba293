import type { Catalogue } from '../index.ts';

/**
 * containerd-shim-runc-v2: one process per container, serving containerd's task API over ttrpc,
 * running runc for each operation, holding the container's stdio and reaping its exit status.
 */
export const shim: Catalogue = {
  'shim.start':
    'containerd runs `containerd-shim-runc-v2 … start`. That command forks a long-lived shim for this container, which re-parents itself away from containerd and prints the address of its ttrpc socket.',
  'shim.start.reply':
    'The shim is up, one per container, and no longer a child of containerd: that is why containers survive a restart of containerd or dockerd.',
  'shim.Create':
    'containerd calls the shim’s Task/Create over ttrpc with the bundle (config.json and root filesystem); the shim runs `runc create`.',
  'shim.Create.reply':
    'The shim answers “{call}”. With OK, runc has built the container and its init waits for start; with an error nothing runs, and the shim will be shut down.',
  'shim.Start':
    'containerd calls Task/Start; the shim runs `runc start` for the container’s init, or `runc exec` for a registered exec process.',
  'shim.Start.reply':
    'The shim answers “{call}”. With OK the process runs, and the shim, its subreaper parent, will collect its exit status; an error is runc’s.',
  'shim.Kill': 'containerd calls Task/Kill; the shim runs `runc kill` with the signal.',
  'shim.Kill.reply': 'The shim answers “{call}”: runc has delivered the signal.',
  'shim.Pause': 'containerd calls Task/Pause; the shim runs `runc pause`.',
  'shim.Pause.reply': 'The shim answers “{call}”: the container is frozen.',
  'shim.Resume': 'containerd calls Task/Resume; the shim runs `runc resume`.',
  'shim.Resume.reply': 'The shim answers “{call}”: the container is thawed.',
  'shim.Exec':
    'containerd calls Task/Exec with the new process’s spec; the shim only records it and publishes /tasks/exec-added. runc runs at Start.',
  'shim.Exec.reply':
    'The shim answers “{call}”: the exec process is registered; the shim will hold its stdio and report its exit like the container’s.',
  'shim.Delete':
    'containerd calls Task/Delete. For the container, the shim runs `runc delete` and hands back the exit status it collected; for an exec process it just drops its record.',
  'shim.Delete.reply': 'The shim answers “{call}”: nothing of that process is left in the shim or in runc.',
  'shim.Shutdown': 'containerd tells the shim it is no longer needed: its container has no task left.',
  'shim.Shutdown.reply': 'The shim process exits; nothing of the container runs on the host any more.',

  'fifo.output':
    'The shim copies {bytes} byte(s) the container wrote to {stream} into the FIFO dockerd reads; dockerd appends them to the json-file log and to any attached client.',

  'shim.event.tasks.create':
    'The shim publishes /tasks/create on containerd’s event service: runc has created the container.',
  'shim.event.tasks.start': 'The shim publishes /tasks/start: the container’s program is running.',
  'shim.event.tasks.paused': 'The shim publishes /tasks/paused: the container’s cgroup is frozen.',
  'shim.event.tasks.resumed': 'The shim publishes /tasks/resumed: the container’s cgroup is thawed.',
  'shim.event.tasks.exec-added':
    'The shim publishes /tasks/exec-added: an extra process is registered for the task.',
  'shim.event.tasks.exec-started':
    'The shim publishes /tasks/exec-started: the extra process runs inside the container.',
  'shim.event.tasks.exit':
    'The shim, as subreaper, collected the exit status of a process in the container and publishes /tasks/exit; containerd passes it on to dockerd.',
  'shim.event.tasks.oom':
    'The shim’s OOM watcher saw the cgroup count an OOM kill (memory.events on cgroup v2, an eventfd on memory.oom_control on v1) and publishes /tasks/oom.',
  'shim.event.tasks.delete':
    'The shim publishes /tasks/delete with the final exit status: the task no longer exists.',
};

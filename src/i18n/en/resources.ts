import type { Catalogue } from '../index.ts';

/** `docker top`, `docker update` and `docker stats`: a container's processes, cgroup limits and usage. */
export const resources: Catalogue = {
  'api.containers.top':
    'The CLI asks which processes run in the container: `{call}`. Words after the name go to `ps` as its options.',
  'api.containers.top.reply':
    'dockerd answers {status} with {count} process(es) and ps’s column titles; the CLI lines them up in columns at least 20 wide.',
  'ctrd.Tasks.ListPids':
    'dockerd asks containerd for the task’s pids: only containerd knows which processes belong to the container.',
  'ctrd.Tasks.ListPids.reply': 'containerd passes on the shim’s answer: {call}.',
  'shim.Pids': 'containerd calls the shim’s Task/Pids; the shim asks runc.',
  'shim.Pids.reply':
    'The shim answers with each pid, and the parent ps will show for it: the shim itself for the container’s first process.',
  'runc.ps': 'The shim runs `{call}`: runc lists the processes of the container’s cgroup.',
  'runc.ps.reply': 'runc prints {count} pid(s) as JSON and exits.',
  'runc.ps.failed': 'runc finds no such container: {call}.',
  'kernel.cgroupProcs':
    'runc reads the cgroup’s cgroup.procs: every process of the container, children and `docker exec` processes included, is listed there.',
  'dockerd.ps':
    'dockerd runs `ps {args}` on the host itself and keeps the rows whose PID is one of the {count} it got: the pids are the host’s, not the container’s (where the first process is PID 1).',
  'api.containers.update':
    'The CLI posts new limits: `{call}`. The body carries every resource field; zero means “leave as it is”.',
  'api.containers.update.reply':
    'dockerd answers {status}. It found the container, checked the limits, stored them, and logged the `update` event.',
  'dockerd.updateConfig':
    'dockerd writes the new limits and restart policy to /var/lib/docker/containers/{id}…/hostconfig.json: a stopped container gets them at its next start.',
  'ctrd.Tasks.Update':
    'The container runs, so dockerd has containerd change its live limits ({limits}) through the task.',
  'ctrd.Tasks.Update.reply': 'containerd answers {call}: the limits apply from now on, with no restart.',
  'shim.Update':
    'containerd calls the shim’s Task/Update with the resources; the shim hands them to runc on its stdin.',
  'shim.Update.reply': 'The shim answers {call}.',
  'runc.update': 'The shim runs `{call}`: runc reads the resources as JSON and writes them into the cgroup.',
  'runc.update.reply': 'runc exits 0: the container now runs under the new limits.',
  'runc.update.failed': 'runc refuses: {call}.',
  'kernel.cgroupUpdate':
    'runc writes each limit into its cgroup file (`{call}`); the kernel enforces it at once on every process of the container. (The files are the host’s cgroup version’s: memory.max and cpu.max on v2; memory.limit_in_bytes, memory.memsw.limit_in_bytes and cpu.cfs_quota_us on v1, as on the recorded 20.10.)',
  'api.containers.stats':
    'The CLI asks for the container’s usage: `{call}`. `stream=0` wants one answer; otherwise dockerd keeps sending one frame a second.',
  'api.containers.stats.reply':
    'dockerd answers {status} with {samples} frame(s), each with the sample before it so the CLI can work out the CPU share. (A stream runs until Ctrl-C; the simulation ends it after three frames.)',
  'ctrd.Tasks.Metrics':
    'dockerd’s stats collector, which wakes once a second, asks containerd for the task’s metrics. dockerd keeps no figures of its own.',
  'ctrd.Tasks.Metrics.reply': 'containerd passes on what the shim read: {call}.',
  'shim.Stats':
    'containerd calls the shim’s Task/Stats. No runc here: the shim reads the container’s cgroup itself, with containerd’s cgroups library.',
  'shim.Stats.reply': 'The shim answers {call}.',
  'kernel.cgroupStats':
    'The shim reads the cgroup’s files ({call}): the kernel has counted every byte and CPU nanosecond the container’s {pids} process(es) used. (Figures: the simulation charges each process 332 KiB, about what busybox’s sleep used on the recorded engine.)',
};

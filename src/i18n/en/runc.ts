import type { Catalogue } from '../index.ts';

/**
 * runc, the OCI runtime: each request is one run of the binary, which makes its system calls and
 * exits. Failures carry runc's own error text.
 */
export const runc: Catalogue = {
  'runc.create':
    'The shim runs `runc create` with the bundle: runc reads config.json, creates the namespaces and the cgroup, prepares the root filesystem and leaves `runc init` waiting. The program does not run yet.',
  'runc.create.reply':
    '`runc create` exits 0: the container exists and its init process waits on exec.fifo. runc itself has exited; only init remains.',
  'runc.create.failed':
    '`runc create` failed with “{call}”: runc could not start the container’s process, for example because the command is not in the image, so the container never runs.',
  'runc.start':
    'The shim runs `runc start`, which opens exec.fifo and so releases the waiting init; init then executes the container’s program.',
  'runc.start.reply':
    '`runc start` exits: the container’s program runs as PID 1 of its namespace, and runc is gone. The shim stays as its parent.',
  'runc.start.failed': '`runc start` failed ({status}): the container’s program could not be started.',
  'runc.kill':
    'The shim runs `runc kill`, which sends the signal to the container’s init process with kill(2).',
  'runc.kill.reply': '`runc kill` exits 0: the signal is delivered.',
  'runc.kill.failed': '`runc kill` failed ({status}): the process may already be gone.',
  'runc.pause': 'The shim runs `runc pause`, which freezes the container’s cgroup.',
  'runc.pause.reply': '`runc pause` exits 0: every process in the container is frozen.',
  'runc.pause.failed': '`runc pause` failed ({status}): the cgroup could not be frozen.',
  'runc.resume': 'The shim runs `runc resume`, which thaws the container’s cgroup.',
  'runc.resume.reply': '`runc resume` exits 0: the container’s processes run again.',
  'runc.resume.failed': '`runc resume` failed ({status}): the cgroup could not be thawed.',
  'runc.exec':
    'The shim runs `runc exec` with process.json: runc starts a new process inside the container’s existing namespaces and cgroup.',
  'runc.exec.reply': '`runc exec` exits 0: the new process runs in the container as a child of the shim.',
  'runc.exec.failed':
    '`runc exec` failed with “{call}”: the program could not be started inside the container, so `docker exec` reports an error.',
  'runc.delete':
    'The shim runs `runc delete`: with the container’s processes gone, runc removes its cgroup and its state directory.',
  'runc.delete.reply': '`runc delete` exits 0: what the kernel held for the container is released.',
  'runc.delete.failed':
    '`runc delete` failed ({status}): some of the container’s state could not be removed.',
};

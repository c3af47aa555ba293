import type { Catalogue } from '../index.ts';

/**
 * What the views draw around the messages: participant names, phase notes, diagram block labels,
 * fidelity notes (where reality differs from popular diagrams) and view labels. Phase, block and
 * view texts get no implicit params: only the slots their caller passes ({line}, {n}, …).
 */
export const views: Catalogue = {
  'participant.User': 'user',
  'participant.kubelet': 'kubelet',
  'participant.CLI': 'docker CLI',
  'participant.VM': 'Docker Desktop backend',
  'participant.dockerd': 'dockerd',
  'participant.Builder': 'image builder',
  'participant.Registry': 'registry',
  'participant.containerd': 'containerd',
  'participant.shim': 'shim',
  'participant.runc': 'runc',
  'participant.Storage': 'storage driver',
  'participant.Network': 'network driver',
  'participant.Kernel': 'Linux kernel',

  'phase.command': 'command: {line}',
  'phase.api.images.create': 'image pull',
  'phase.api.images.list': 'listing images',
  'phase.api.images.delete': 'image removal',
  'phase.api.containers.create': 'container creation',
  'phase.api.containers.start': 'container start',
  'phase.api.containers.stop': 'container stop',
  'phase.api.containers.kill': 'sending a signal',
  'phase.api.containers.delete': 'container removal',
  'phase.api.containers.restart': 'container restart',
  'phase.api.containers.pause': 'container pause',
  'phase.api.containers.unpause': 'container unpause',
  'phase.api.containers.exec': 'exec: registering a process',
  'phase.api.exec.start': 'exec: running the process',
  'phase.api.containers.logs': 'reading logs',
  'phase.api.containers.list': 'listing containers',
  'phase.cleanup': 'resource cleanup after exit',

  'block.repeat': '× {count}: the same calls repeated (steps {first}–{last}), one drawn',
  'block.repeatOpen': '× {count}: the same calls repeated (steps {first}–{last}), all drawn',
  'block.eachLayer': 'for each of {count} layers',
  'block.imageMissing': 'image not found locally',
  'block.graceExpired': 'still running after {seconds} s',

  'fidelity.psNoContainerd':
    'Popular diagrams show dockerd asking containerd here; a real Engine answers `docker ps` from its own memory, and containerd sees no traffic.',
  'fidelity.logsNoShim':
    'Popular diagrams route logs through containerd and the shim; in fact dockerd reads its own json-file log. The shim only passed the output on while the container ran.',
  'fidelity.rmNoStop':
    'Popular diagrams show `docker rm` stopping the container gracefully; a real Engine refuses to remove a running container (409) unless -f, and -f kills it with SIGKILL at once: no SIGTERM, no grace period.',
  'fidelity.createNoContainerd':
    '`docker create` makes no containerd container and no task (with the containerd image store, only the writable snapshot): they appear at start and go away when the task exits.',
  'fidelity.shimRunsRunc':
    'Popular diagrams draw runc starting the shim; in fact containerd starts the shim, the shim runs runc, and runc exits once the container is running.',

  'view.step': 'step {n} of {total}',
  'fidelity.unmodelled':
    '(This program is not in the process model: it runs, but what it would do is not simulated here.)',
  'absent.reply': 'This layer is not simulated yet: it answers with an error.',
  'note.stillRunning':
    '“{line}” is still running and nothing will end it, so the run moves on to the next command.',
  'view.unmodelled': 'this program is not modelled: it runs, but what it would do is not simulated',
  'view.notModelled': 'not modelled',
  'view.frozen': 'frozen',
  'view.noContainers': 'no containers',
  'view.namespaces': 'namespaces',
  'view.layer.driver': 'storage driver: {driver}',
  'view.layer.writable': 'writable layer (the container’s)',
  'view.layer.readonly': 'read-only layer {n}',
  'view.layer.init': 'init layer (the files and mount points dockerd provides)',
  'view.layer.shared': 'shared with {with}',
  'view.status.created': 'created',
  'view.status.starting': 'starting',
  'view.status.running': 'running',
  'view.status.paused': 'paused',
  'view.status.restarting': 'restarting',
  'view.status.exited': 'exited',
  'view.status.removing': 'being removed',
  'view.status.dead': 'dead',
};

import type { Catalogue } from '../index.ts';

/**
 * The host around Docker: actions a lesson types (pkill, systemctl, allocate), dockerd's death,
 * shutdown and restart, and the faults a lesson injects at a boundary.
 */
export const host: Catalogue = {
  'host.action':
    'On the host, as root: `{line}`. This is not a docker command: the kernel and the init system carry it out.',
  'host.action.reply': 'The command returns exit status {code}.',
  'host.signal.9':
    'kill(2): the kernel ends dockerd (pid {pid}) at once with {signal}. SIGKILL cannot be caught, so dockerd cleans up nothing and its requests in flight simply stop. The containers keep running: their parent is their shim, not dockerd.',
  'host.signal.15':
    'The kernel delivers {signal} to dockerd (pid {pid}). dockerd catches it and begins a graceful shutdown.',
  'host.connClosed':
    'dockerd (pid {pid}) is gone, so the kernel closes its sockets: containerd sees dockerd’s event stream (Events.Subscribe) end. containerd and the shims are separate processes and run on.',
  'host.exec':
    'systemd starts dockerd again: fork and execve, a new process with pid {pid}. It knows only what the old one wrote to disk under /var/lib/docker.',
  'host.allocate':
    '{name}’s main process allocates {mib} MiB more and touches every page: the container’s memory cgroup is charged for all of it.',
  'host.refused':
    'Nobody listens on /var/run/docker.sock, so the kernel refuses the connection (ECONNREFUSED). Every docker command fails the same way until a dockerd listens again. (With systemd’s docker.socket the socket would stay open and start dockerd on demand.)',
  'host.exited':
    'dockerd has finished its shutdown and exits (exit_group(0)): systemd sees the service’s main process end, and `systemctl stop` returns.',
  'host.ready':
    'dockerd tells systemd it is ready (sd_notify READY=1): only now does `systemctl start` return.',
  'dockerd.shutdown':
    'dockerd closes its API socket and, as live-restore is off, stops the {count} running container(s) in parallel: each gets its stop signal, and SIGKILL once its grace period is over.',
  'dockerd.shutdown.live':
    'live-restore is on: dockerd closes its API socket and exits, and leaves the containers to their shims.',
  'dockerd.boot': 'The new dockerd (pid {pid}) reads /etc/docker/daemon.json: live-restore is {live}.',
  'dockerd.restore.load':
    'dockerd reads back what it wrote to disk: the config.v2.json of {count} container(s). Its memory from before (the event log, execs) died with the old process.',
  'dockerd.restore.keep':
    'live-restore: {name} is still running (pid {pid}); dockerd reconnects to its task and its stdio FIFOs and leaves it alone.',
  'dockerd.restore.shutdown':
    '{name} survived dockerd’s death: its shim kept it running. But live-restore is off, so the restoring dockerd shuts it down — the stop signal, the grace period, then SIGKILL — before it answers any API request.',
  'dockerd.restore.stopped':
    'The container was running when dockerd last wrote its state, but its task is gone or has stopped: dockerd takes the exit status from the task’s Delete, marks it exited and cleans it up — no `die` event, as the exit happened while no dockerd listened.',
  'ctrd.restore.load':
    'containerd starts and finds the bundle of a task it ran before (its state directory): it reads the bundle’s `address` file and connects to the shim that kept the container alive.',
  'ctrd.restored':
    'containerd has the task again: its shim answered (or was cleaned up), and a Tasks.Get that waited for it is answered now.',
  'shim.Connect':
    'containerd reconnects to a shim that outlived it: Connect gives the shim’s and the container’s pids, State the task’s status.',
  'shim.cleanup':
    'The shim is dead (its socket answers no more): containerd runs `containerd-shim-runc-v2 … delete` in the bundle, which kills what is left of the container, runs `runc delete --force` and gives the exit status.',
  'dockerd.listen.backlog':
    'dockerd creates its API socket first, before it restores anything: from now on a docker command connects, and its request waits in the socket’s backlog until the API is served.',
  'dockerd.listen':
    'The restore is done: only now does dockerd serve the API on /var/run/docker.sock. A command that connected meanwhile waited; none was refused.',
  'dockerd.registry.timeout':
    'The registry never answered GET /v2/. dockerd’s ping has a deadline of {seconds} s (an http.Client Timeout), so it gives up and the pull fails. Later requests have no such deadline.',
  'ctrd.Events.Subscribe':
    'dockerd opens containerd’s event stream for the moby namespace: from now on every /tasks/* event reaches it.',
  'ctrd.Events.Subscribe.reply': 'containerd keeps the stream open and sends each event as it happens.',
  'ctrd.Tasks.Get':
    'dockerd asks containerd whether the container’s task still exists, and in which state (containerd asks the task’s shim).',
  'ctrd.Tasks.Get.reply':
    'containerd answers {status}: the shim kept the process alive all along, whatever happened to dockerd.',
  'ctrd.Tasks.Get.notFound': 'containerd has no task for this container: its process is gone.',
  'ctrd.storage.failed': 'containerd passes the storage driver’s error back to dockerd: {error}.',
  'net.connect.failed':
    'The network driver cannot connect the container: {error}. No endpoint is left behind, and the container stays Created.',
  'storage.error.reply':
    'The storage driver fails: {error}. Nothing is committed; the half-written directory is removed next.',
};

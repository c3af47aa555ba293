// Where Debian puts the binaries the engine drives: containerd-shim-runc-v2 from the
// `containerd` package and runc from `runc` (the ones a Debian docker.io runs).
export const SHIM_BINARY = '/usr/bin/containerd-shim-runc-v2';
export const RUNC_BINARY = '/usr/sbin/runc';
/** The socket directory the shim puts its socket in: fixed in containerd 1.6 (runtime/v2/shim/util_unix.go). */
export const SHIM_SOCKET_DIR = '/run/containerd/s';
/** ttrpc service names (runtime/v2/task/shim.proto, api/services/ttrpc/events/v1/events.proto). */
export const TASK_SERVICE = 'containerd.task.v2.Task';
export const EVENTS_SERVICE = 'containerd.services.events.ttrpc.v1.Events';

// The engine's way to the real containerd-shim-runc-v2 and runc, without containerd: what the
// containerd machine's real effects use. README.md beside this file says how the pieces fit.
export { SHIM_BINARY, RUNC_BINARY, SHIM_SOCKET_DIR, TASK_SERVICE, EVENTS_SERVICE } from './binaries.ts';
export { dockerSpec, writeBundle, type BundleOptions, type OciMount } from './bundle.ts';
export { cleanupDeadShim } from './cleanup.ts';
export { ShimEvents, type TaskEvent, type TaskTopic, type EventOf } from './events.ts';
export { makeFifo, openFifoReader, openFifoWriter } from './fifo.ts';
export { readRuncCalls, RuncLog, RUNC_LOG_ENV, writeRecorder, type RuncCall } from './recorder.ts';
export { reconnectShim } from './reconnect.ts';
export type { Shim, ShimIdentity } from './shim.ts';
export { ShimLog } from './shimLog.ts';
export { startShim, type StartOptions } from './start.ts';
export { TaskClient, type CreateOptions, type ExecOptions, type Exit } from './taskClient.ts';
export { runcOptionsAny, specAny, type RuncOptions } from './anys.ts';
export {
  cgroupLimits,
  cgroupOf,
  removeCgroup,
  type CgroupLimits,
  type CgroupMembership,
} from './evidence/cgroup.ts';
export { namespaceInodes, type NamespaceInodes } from './evidence/namespaces.ts';
export { powersOf, type Powers } from './evidence/status.ts';
export { mountAt, processTree, type MountSeen, type ProcessNode } from './evidence/processes.ts';
export { TtrpcClient, type CallOptions } from './ttrpc/client.ts';
export { TtrpcServer } from './ttrpc/server.ts';
export { Code, TtrpcError, isClosed } from './ttrpc/status.ts';

// A running shim as the engine holds it: its socket address, its log FIFO held open, and a task
// client on its socket. Made by startShim (a new shim) or reconnectShim (one that outlived the
// engine that started it).
import type { ShimLog } from './shimLog.ts';
import type { TaskClient } from './taskClient.ts';

export interface ShimIdentity {
  /** The container id: the shim's -id, and the bundle directory's name (the shim's `delete` relies on it). */
  id: string;
  /** The shim's -namespace (containerd's namespace; runc's root is ROOT/NAMESPACE). */
  namespace: string;
  /** The bundle directory: config.json, and the shim's files (address, log, options.json, init.pid). */
  bundle: string;
  /** containerd's -address: the shim only hashes it (with namespace and id) into its socket name. */
  address: string;
  /** The shim binary, containerd-shim-runc-v2 unless said. */
  binary?: string;
}

export interface Shim {
  identity: ShimIdentity;
  /** The shim's ttrpc address, `unix:///run/containerd/s/<sha256>` (also in BUNDLE/address). */
  socketAddress: string;
  log: ShimLog;
  task: TaskClient;
  /** Drops our connection and log reader; the shim and its container go on. */
  detach(): Promise<void>;
}

export function shimHandle(
  identity: ShimIdentity,
  socketAddress: string,
  log: ShimLog,
  task: TaskClient,
): Shim {
  return {
    identity,
    socketAddress,
    log,
    task,
    detach: async () => {
      await task.close();
      log.close();
    },
  };
}

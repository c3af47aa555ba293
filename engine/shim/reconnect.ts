// Finding a shim again after the engine that started it is gone, as containerd does on restart
// (runtime/v2/shim_load.go loadShims): read BUNDLE/address, hold BUNDLE/log open again, connect.
// A shim that died leaves a stale socket: the connect fails (unavailable) and the caller runs
// cleanupDeadShim.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { shimHandle, type Shim, type ShimIdentity } from './shim.ts';
import { ShimLog } from './shimLog.ts';
import { TaskClient } from './taskClient.ts';
import type { CallOptions } from './ttrpc/client.ts';

export async function reconnectShim(identity: ShimIdentity, callOptions: CallOptions = {}): Promise<Shim> {
  const socketAddress = (await readFile(join(identity.bundle, 'address'), 'utf8')).trim();
  const log = await ShimLog.open(identity.bundle);
  try {
    const task = await TaskClient.connect(socketAddress, identity.id, callOptions);
    return shimHandle(identity, socketAddress, log, task);
  } catch (error) {
    log.close();
    throw error;
  }
}

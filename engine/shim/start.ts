// Starting containerd-shim-runc-v2 the way containerd does (runtime/v2/binary.go,
// runtime/v2/shim/util.go Command): `<shim> -namespace NS -address ADDR -id ID start` in the
// bundle directory, TTRPC_ADDRESS naming the events socket, stdin closed (start reads options
// from stdin to EOF: an open pipe hangs it), and the FIFO BUNDLE/log made first and held open
// (without it the long-lived shim dies silently). `start` re-executes the shim, which sets itself
// up as a subreaper in its own process group and serves ttrpc on a socket under
// /run/containerd/s; `start` prints that address, writes it to BUNDLE/address and exits.
// The events socket should be listening first: the shim dials it for each event, and with
// nothing there every event waits out a 5 s dial timeout and is dropped.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SHIM_BINARY } from './binaries.ts';
import { execute, failure } from './exec.ts';
import { shimHandle, type Shim, type ShimIdentity } from './shim.ts';
import { ShimLog } from './shimLog.ts';
import { TaskClient } from './taskClient.ts';
import type { CallOptions } from './ttrpc/client.ts';

export interface StartOptions extends ShimIdentity {
  /** Where the shim forwards its events (TTRPC_ADDRESS): the engine's ShimEvents socket. */
  eventsAddress: string;
  /** More environment for the shim, passed on to runc (e.g. the recorder's log path). */
  env?: Record<string, string>;
  /** Options for every task call but Wait. */
  callOptions?: CallOptions;
  timeoutMs?: number;
}

export async function startShim(o: StartOptions): Promise<Shim> {
  const binary = o.binary ?? SHIM_BINARY;
  const log = await ShimLog.open(o.bundle);
  try {
    const ran = await execute(
      binary,
      ['-namespace', o.namespace, '-address', o.address, '-id', o.id, 'start'],
      {
        cwd: o.bundle,
        env: { ...process.env, ...o.env, TTRPC_ADDRESS: o.eventsAddress },
        timeoutMs: o.timeoutMs ?? 30_000,
      },
    );
    if (ran.code !== 0) throw new Error(`${binary} start of ${o.id} failed: ${failure(ran)}`);
    const socketAddress = ran.stdout.toString('utf8').trim();
    if (!socketAddress.startsWith('unix://')) {
      throw new Error(
        `${binary} start of ${o.id} printed no unix:// address: ${JSON.stringify(socketAddress)}`,
      );
    }
    const written = (await readFile(join(o.bundle, 'address'), 'utf8')).trim();
    if (written !== socketAddress) {
      throw new Error(`${o.bundle}/address says ${written}, the shim printed ${socketAddress}`);
    }
    const task = await TaskClient.connect(socketAddress, o.id, o.callOptions);
    return shimHandle(o, socketAddress, log, task);
  } catch (error) {
    log.close();
    throw error;
  }
}

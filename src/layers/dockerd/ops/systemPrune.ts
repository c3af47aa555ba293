import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import type { Daemon } from '../daemon.ts';
import { removeNetwork } from './networks.ts';

/**
 * `POST /networks/prune` (moby v20.10.24 daemon/prune.go NetworksPrune): every user-defined
 * network no container is attached to, each deleted by its driver with its `destroy` event, then
 * one `prune` event. Engine 29 does the same (moby docker-v29.0.0 daemon/prune.go).
 */
export function* networksPrune(d: Daemon, req: Message): OperationProgram {
  const unused = [...d.networks.values()].filter(
    (n) => !n.predefined && ![...d.containers.values()].some((c) => c.endpoints[n.name] !== undefined),
  );
  const deleted: string[] = [];
  for (const n of unused) {
    yield* removeNetwork(d, n);
    deleted.push(n.name);
  }
  d.emit('network', 'prune', '', { reclaimed: '0' });
  d.reply(
    req,
    200,
    { NetworksDeleted: deleted.length > 0 ? deleted : null },
    { params: { count: deleted.length } },
  );
}

/**
 * `POST /build/prune` (moby v20.10.24 api/server/router/build/build_routes.go postPrune, BuildKit's
 * Prune): the build cache's unused records, then a `builder prune` event. The simulation's build
 * cache is left as it is: the answer removes nothing (a gap, said here and in the narration).
 */
export function* buildPrune(d: Daemon, req: Message): OperationProgram {
  d.emit('builder', 'prune', '', { reclaimed: '0' });
  d.reply(req, 200, { CachesDeleted: null, SpaceReclaimed: 0 }, { params: { count: 0 } });
  yield* [];
}

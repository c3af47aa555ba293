import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import { apiRequest } from './request.ts';

/**
 * `docker cp` (moby v20.10.24 daemon/archive.go, api/server/router/container/copy.go): dockerd
 * works on the container's root file system itself, running or not — it mounts it when it is
 * not mounted — with no other layer asked. `HEAD …/archive?path=P` stats P (the answer's
 * X-Docker-Container-Path-Stat header), `GET` streams a tar of it (`archive-path` event), `PUT`
 * extracts a tar into the directory P (`extract-to-dir`). Every path is resolved inside the
 * container's root, links followed as the container sees them. The work is dockerd's `work`
 * effect: the simulation holds no container files, so it finds none; real mode reads and writes
 * the real ones (engine/real/containerFiles.ts). Recorded: test/fixtures/real-engine/v-cp-archive.txt.
 */
type Kind = 'stat' | 'get' | 'put';

const WORKS: Record<Kind, string> = { stat: 'archiveStat', get: 'archiveRead', put: 'archiveWrite' };
const EVENTS: Record<Kind, string | undefined> = {
  stat: undefined,
  get: 'archive-path',
  put: 'extract-to-dir',
};

function* archive(d: Daemon, req: Message, kind: Kind): OperationProgram {
  const { target, query } = apiRequest(req);
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  const path = query.path ?? '';
  const snap = c.actor.getSnapshot();
  const input = {
    id: c.id,
    key: c.rwKey,
    path,
    running: snap.matches('running'),
    noOverwriteDirNonDir: query.noOverwriteDirNonDir === 'true' || query.noOverwriteDirNonDir === '1',
  };
  d.self(
    'dockerd.archive',
    `${kind === 'put' ? 'extract into' : kind} ${path} in ${short(c.id)}…'s root file system`,
    {
      params: { path, kind },
    },
  );
  const done = yield* d.work(WORKS[kind], input, () => ({ missing: true }));
  if (!done.ok) return d.error(req, 500, done.error);
  if (done.output.missing === true)
    return d.error(req, 404, `Could not find the file ${path} in container ${target}`);
  if (typeof done.output.error === 'string')
    return d.error(req, Number(done.output.code ?? 500), done.output.error);
  const event = EVENTS[kind];
  if (event !== undefined) d.containerEvent(c, event);
  d.reply(req, 200, undefined, { params: { path } });
}

export function* archiveStat(d: Daemon, req: Message): OperationProgram {
  yield* archive(d, req, 'stat');
}

export function* archiveGet(d: Daemon, req: Message): OperationProgram {
  yield* archive(d, req, 'get');
}

export function* archivePut(d: Daemon, req: Message): OperationProgram {
  yield* archive(d, req, 'put');
}

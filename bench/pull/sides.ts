// The two daemons bench:pull compares, each answering `POST /images/create` (what `docker pull`
// sends) on its own unix socket: a dockstep engine (`dockstep engine`, its pulls through the layer
// machines) and a dockerd. Both run as processes of their own, already started and warmed up when
// the timing begins, as a lab machine's daemons are; the timed request is the same for both.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startEngine } from '../../test/engine/helpers/engine.ts';
import { engineRequest, startDockerd } from './dockerd.ts';

export interface Daemon {
  /** For the bench's header line. */
  what: string;
  /** A pull of `ref`, resolving when the daemon's answer has ended; an error if it failed. */
  pull(ref: string): Promise<void>;
  stop(): Promise<void>;
}

/** `docker pull REF` as the API sees it: the request, and the whole progress stream read. */
export async function apiPull(socket: string, ref: string, who: string): Promise<void> {
  const at = ref.lastIndexOf(':');
  const path = `/images/create?fromImage=${encodeURIComponent(ref.slice(0, at))}&tag=${ref.slice(at + 1)}`;
  const res = await engineRequest(socket, 'POST', path);
  if (res.status !== 200 || res.body.includes('"error"'))
    throw new Error(`${who} pull ${ref} failed: ${res.status} ${res.body.slice(-500)}`);
}

/** The dockstep engine, its root and socket under `base`, with dockerd's download concurrency. */
export async function dockstepEngine(base: string, downloads: number): Promise<Daemon> {
  mkdirSync(base, { recursive: true });
  const engine = await startEngine({ base, args: [`--max-concurrent-downloads=${downloads}`] });
  return {
    what: `dockstep engine (pid ${engine.pid}), ${join(base, 'run', 'dockstep.sock')}`,
    pull: (ref) => apiPull(engine.socket, ref, 'dockstep'),
    stop: () => engine.stop(),
  };
}

/** The dockerd at BENCH_DOCKER_HOST, or a private one with its data root under `base`. */
export async function dockerDaemon(base: string, downloads: number): Promise<Daemon> {
  const given = process.env['BENCH_DOCKER_HOST'];
  const d = given === undefined ? await startDockerd(base, downloads) : undefined;
  const socket = d?.socket ?? (given ?? '').replace(/^unix:\/\//, '');
  return {
    what: `dockerd${d === undefined ? '' : ' (private)'}, ${socket}`,
    pull: (ref) => apiPull(socket, ref, 'docker'),
    stop: async () => d?.stop(),
  };
}

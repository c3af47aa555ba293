import type { DockerCommand } from '../../../cli/types.ts';
import type { JsonObject } from '../../../model/json.ts';
import { humanSize } from '../../../views/docker/units.ts';
import type { Effect, OperationProgram } from '../../operation.ts';
import { asReply, type Cli, type ApiCall } from '../cli.ts';

/** One prune: its request, and how its answer is listed (`Deleted Containers:` and the names). */
interface Pruner {
  call: ApiCall;
  list: (body: JsonObject) => string[];
  title: string;
}

const names = (key: string) => (body: JsonObject) => (body[key] ?? []) as string[];
const dangling = (all: boolean) => ({ filters: JSON.stringify({ dangling: { [String(!all)]: true } }) });

const CONTAINERS: Pruner = {
  call: { op: 'api.containers.prune', method: 'POST', path: '/containers/prune' },
  list: names('ContainersDeleted'),
  title: 'Deleted Containers:',
};
const NETWORKS: Pruner = {
  call: { op: 'api.networks.prune', method: 'POST', path: '/networks/prune' },
  list: names('NetworksDeleted'),
  title: 'Deleted Networks:',
};
const VOLUMES: Pruner = {
  call: { op: 'api.volumes.prune', method: 'POST', path: '/volumes/prune' },
  list: names('VolumesDeleted'),
  title: 'Deleted Volumes:',
};
const images = (all: boolean): Pruner => ({
  call: { op: 'api.images.prune', method: 'POST', path: '/images/prune', query: dangling(all) },
  list: (body) =>
    ((body.ImagesDeleted ?? []) as JsonObject[]).map((i) =>
      i.Untagged !== undefined ? `untagged: ${String(i.Untagged)}` : `deleted: ${String(i.Deleted)}`,
    ),
  title: 'Deleted Images:',
});
const BUILD_CACHE: Pruner = {
  call: { op: 'api.build.prune', method: 'POST', path: '/build/prune', query: { filters: '' } },
  list: (body) => ((body.CachesDeleted ?? []) as string[]).map(String),
  title: 'Deleted build cache objects:',
};

/**
 * Each prune in turn, as docker/cli v28.2.2 cli/command/system/prune.go runs them: its list when
 * it removed something (then a blank line), and one total at the end. Returns false on an error.
 */
function* runPrunes(cli: Cli, pruners: Pruner[]): Generator<Effect, boolean, unknown> {
  let space = 0;
  for (const p of pruners) {
    const reply = asReply(yield cli.call(p.call));
    if (!reply.ok) {
      cli.fail(cli.daemonError(reply));
      return false;
    }
    const body = (reply.payload ?? {}) as JsonObject;
    const listed = p.list(body);
    space += Number(body.SpaceReclaimed ?? 0);
    if (listed.length > 0) cli.out(`${p.title}\n${listed.join('\n')}\n\n`);
  }
  cli.out(`Total reclaimed space: ${humanSize(space)}`);
  return true;
}

/** `docker image prune -f [-a]` (image/prune.go): dangling images, or with -a every unused one. */
export function* imagePrune(
  cli: Cli,
  cmd: Extract<DockerCommand, { name: 'image prune' }>,
): OperationProgram {
  yield* runPrunes(cli, [images(cmd.all)]);
}

/**
 * `docker system prune -f [-a] [--volumes]` (system/prune.go): stopped containers, unused
 * networks, (unused volumes,) dangling images (every unused one with -a) and the build cache.
 * Recorded: w-search-prune.txt.
 */
export function* systemPrune(
  cli: Cli,
  cmd: Extract<DockerCommand, { name: 'system prune' }>,
): OperationProgram {
  const pruners = [CONTAINERS, NETWORKS, ...(cmd.volumes ? [VOLUMES] : []), images(cmd.all), BUILD_CACHE];
  yield* runPrunes(cli, pruners);
}

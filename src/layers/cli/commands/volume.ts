import type { VolumeCommand } from '../../../cli/types.ts';
import type { JsonObject } from '../../../model/json.ts';
import { tabwrite } from '../../../views/docker/tabwriter.ts';
import { humanSize, humanSize4 } from '../../../views/docker/units.ts';
import type { OperationProgram } from '../../operation.ts';
import { asReply, type Cli } from '../cli.ts';
import { inspectEach } from './inspectEach.ts';

/**
 * `docker volume …` and `docker container prune -f` as docker/cli v28 runs them: create prints
 * the volume's name, ls prints DRIVER and VOLUME NAME sorted by name, inspect the JSON (`[]` and
 * the error for a missing one), rm each name; prune lists the removed ids under `Deleted
 * Containers:` and the space reclaimed. Recorded: test/fixtures/real-engine/q-volumes-prune.txt.
 */
type Cmd<V extends VolumeCommand['verb']> = Extract<VolumeCommand, { verb: V }>;

export function* volume(cli: Cli, cmd: VolumeCommand): OperationProgram {
  if (cmd.verb === 'create') return yield* create(cli, cmd);
  if (cmd.verb === 'ls') return yield* list(cli, cmd);
  if (cmd.verb === 'inspect') return yield* inspect(cli, cmd);
  if (cmd.verb === 'prune') return yield* prune(cli, cmd);
  return yield* remove(cli, cmd);
}

function* create(cli: Cli, cmd: Cmd<'create'>): OperationProgram {
  const body: JsonObject = { Driver: cmd.driver, ...(cmd.volume !== undefined ? { Name: cmd.volume } : {}) };
  const reply = asReply(
    yield cli.call({ op: 'api.volumes.create', method: 'POST', path: '/volumes/create', body }),
  );
  if (!reply.ok) return fail(cli, cli.daemonError(reply));
  cli.out(String(((reply.payload ?? {}) as JsonObject).Name ?? ''));
}

function* list(cli: Cli, cmd: Cmd<'ls'>): OperationProgram {
  const reply = asReply(yield cli.call({ op: 'api.volumes.list', method: 'GET', path: '/volumes' }));
  if (!reply.ok) return fail(cli, cli.daemonError(reply));
  const volumes = (((reply.payload ?? {}) as JsonObject).Volumes ?? []) as JsonObject[];
  const sorted = [...volumes].sort((a, b) => String(a.Name).localeCompare(String(b.Name)));
  if (cmd.quiet) return sorted.length > 0 ? cli.out(sorted.map((v) => String(v.Name)).join('\n')) : undefined;
  const rows = sorted.map((v) => [String(v.Driver), String(v.Name)]);
  cli.out(tabwrite([['DRIVER', 'VOLUME NAME'], ...rows]).replace(/\n$/, ''));
}

function inspect(cli: Cli, cmd: Cmd<'inspect'>): OperationProgram {
  return inspectEach(cli, 'volumes', cmd.volumes, cmd.format);
}

function* remove(cli: Cli, cmd: Cmd<'rm'>): OperationProgram {
  const errors: string[] = [];
  for (const name of cmd.volumes) {
    const reply = asReply(
      yield cli.call({
        op: 'api.volumes.delete',
        method: 'DELETE',
        path: `/volumes/${name}`,
        target: name,
        ...(cmd.force ? { query: { force: '1' } } : {}),
      }),
    );
    if (reply.ok) cli.out(name);
    else errors.push(cli.daemonError(reply));
  }
  if (errors.length > 0) fail(cli, errors.join('\n'));
}

export function* containerPrune(cli: Cli): OperationProgram {
  const reply = asReply(
    yield cli.call({ op: 'api.containers.prune', method: 'POST', path: '/containers/prune' }),
  );
  if (!reply.ok) return fail(cli, cli.daemonError(reply));
  const body = (reply.payload ?? {}) as JsonObject;
  const deleted = (body.ContainersDeleted ?? []) as string[];
  const space = `Total reclaimed space: ${humanSize(Number(body.SpaceReclaimed ?? 0))}`;
  cli.out(deleted.length > 0 ? `Deleted Containers:\n${deleted.join('\n')}\n\n${space}` : space);
}

/**
 * `docker system df` (cli/command/formatter/disk_usage.go): per type the count, the active ones,
 * the size and what removing the unused ones would give back (with its share when there is any
 * size at all).
 */
export function* systemDf(cli: Cli): OperationProgram {
  const reply = asReply(yield cli.call({ op: 'api.system.df', method: 'GET', path: '/system/df' }));
  if (!reply.ok) return fail(cli, cli.daemonError(reply));
  const body = (reply.payload ?? {}) as JsonObject;
  const list = (key: string) => (body[key] ?? []) as JsonObject[];
  const images = list('Images');
  const containers = list('Containers');
  const volumes = list('Volumes');
  const unusedImages = images.filter((i) => Number(i.Containers) === 0);
  const layers = Number(body.LayersSize ?? 0);
  const sum = (xs: JsonObject[], f: (x: JsonObject) => number) => xs.reduce((n, x) => n + f(x), 0);
  const reclaim = (bytes: number, total: number) =>
    total > 0 ? `${humanSize4(bytes)} (${Math.floor((100 * bytes) / total)}%)` : humanSize4(bytes);
  const rwOf = (c: JsonObject) => Number(c.SizeRw ?? 0);
  const volumeSize = (v: JsonObject) => Number((v.UsageData as JsonObject | undefined)?.Size ?? 0);
  const volumeRefs = (v: JsonObject) => Number((v.UsageData as JsonObject | undefined)?.RefCount ?? 0);
  const rows = [
    ['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE'],
    [
      'Images',
      `${images.length}`,
      `${images.length - unusedImages.length}`,
      humanSize4(layers),
      reclaim(
        sum(unusedImages, (i) => Number(i.Size)),
        layers,
      ),
    ],
    [
      'Containers',
      `${containers.length}`,
      `${containers.filter((c) => c.State === 'running').length}`,
      humanSize4(sum(containers, rwOf)),
      reclaim(
        sum(
          containers.filter((c) => c.State !== 'running'),
          rwOf,
        ),
        sum(containers, rwOf),
      ),
    ],
    [
      'Local Volumes',
      `${volumes.length}`,
      `${volumes.filter((v) => volumeRefs(v) > 0).length}`,
      humanSize4(sum(volumes, volumeSize)),
      reclaim(
        sum(
          volumes.filter((v) => volumeRefs(v) === 0),
          volumeSize,
        ),
        sum(volumes, volumeSize),
      ),
    ],
    ['Build Cache', '0', '0', '0B', '0B'],
  ];
  cli.out(tabwrite(rows).replace(/\n$/, ''));
}

/**
 * `docker volume prune -f` (cli/command/volume/prune.go): `POST /volumes/prune`, with the `all`
 * filter for `-a`; the names removed, then the space. Recorded: w-search-prune.txt.
 */
function* prune(cli: Cli, cmd: Cmd<'prune'>): OperationProgram {
  const reply = asReply(
    yield cli.call({
      op: 'api.volumes.prune',
      method: 'POST',
      path: '/volumes/prune',
      ...(cmd.all ? { query: { filters: '{"all":{"true":true}}' } } : {}),
    }),
  );
  if (!reply.ok) return fail(cli, cli.daemonError(reply));
  const body = (reply.payload ?? {}) as JsonObject;
  const deleted = (body.VolumesDeleted ?? []) as string[];
  const space = `Total reclaimed space: ${humanSize(Number(body.SpaceReclaimed ?? 0))}`;
  cli.out(deleted.length > 0 ? `Deleted Volumes:\n${deleted.join('\n')}\n\n${space}` : space);
}

function fail(cli: Cli, text: string): void {
  cli.fail(text);
}

// GET /containers/{name}/json: the dockerd machine's inspect (src/layers/dockerd/ops/queries.ts
// inspectJson), with the container's files named where this engine keeps them. dockerd 20.10 names
// its files under its data root (`<root>/containers/<id>/resolv.conf`, `hostname`, `hosts`,
// `<id>-json.log`: g-inspect-container-running.json, x-restore-cp-stats.txt part 5; moby
// container.GetRootResourcePath) and its snapshot's directories in GraphDriver; the engine keeps
// the same files under its own --root (engine/real/tasks.ts) and its snapshots in its own
// snapshotter (engine/image/snapshot/overlay.ts). A path is named only when the file is there:
// a container never started has no log and no /etc files (dockerd shows "" then too). On the
// host's network the /etc files are copies of the host's, and Config.Hostname is the host's name
// (engine/real/hostEtcFiles.ts; z2-host-inspect.txt).
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isJsonObject, type JsonObject, type JsonValue } from '../../../src/model/json.ts';
import type { Engine } from '../context.ts';

/** The path when something is there, else "" (as dockerd shows a file it never made). */
const present = (path: string): string => (existsSync(path) ? path : '');

/** The files' fields, in dockerd's order (moby api/types ContainerJSONBase). */
function filePaths(root: string, id: string): JsonObject {
  const dir = join(root, 'containers', id);
  return {
    ResolvConfPath: present(join(dir, 'resolv.conf')),
    HostnamePath: present(join(dir, 'hostname')),
    HostsPath: present(join(dir, 'hosts')),
    LogPath: present(join(dir, `${id}-json.log`)),
  };
}

/** The overlay mount's directories (lowerdir=…, upperdir=…, workdir=…) of the container's snapshot. */
function snapshotDirs(engine: Engine, id: string): JsonObject | null {
  let options: string[];
  try {
    options = engine.root.snapshots.mounts(id).flatMap((m) => (m.type === 'overlay' ? m.options : []));
  } catch {
    return null;
  }
  const option = (name: string): string =>
    options.find((o) => o.startsWith(`${name}=`))?.slice(name.length + 1) ?? '';
  const merged = engine.world.tasks?.live.get(id)?.rootfs ?? '';
  return {
    LowerDir: option('lowerdir'),
    ...(merged === '' ? {} : { MergedDir: merged }),
    UpperDir: option('upperdir'),
    WorkDir: option('workdir'),
  };
}

const onHostNetwork = (answered: JsonObject): boolean =>
  isJsonObject(answered.HostConfig) && answered.HostConfig.NetworkMode === 'host';

/** The machine's answer with the engine's real paths, each field where dockerd puts it. */
export function withContainerPaths(engine: Engine, answered: JsonValue): JsonValue {
  if (!isJsonObject(answered) || typeof answered.Id !== 'string') return answered;
  const id = answered.Id;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(answered)) {
    if (key === 'LogPath') Object.assign(out, filePaths(engine.root.root, id));
    else if (key === 'Mounts')
      out.GraphDriver = {
        Data: snapshotDirs(engine, id),
        Name: typeof answered.Driver === 'string' ? answered.Driver : 'overlayfs',
      };
    out[key] ??= value;
  }
  if (onHostNetwork(answered) && isJsonObject(out.Config))
    out.Config = { ...out.Config, Hostname: hostname() };
  return out;
}

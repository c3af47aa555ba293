// The local volume driver's real work (src/layers/dockerd/ops/volumeStore.ts, volumeMounts.ts),
// as dockerd does it in its own process (moby v20.10.24 volume/local/local.go): a volume is the
// directory `<root>/volumes/NAME/_data` (`volumes` 0701, the volume and `_data` 0755), removed
// with all it holds; a new container's empty volume is filled with what its image has at the
// volume's destination (container.CopyImagePathContent), read from the container's snapshot
// mounted for the moment, the destination resolved inside that root file system, never outside.
// What dockerd's volume store keeps in its metadata.db (volume/service/db.go: the name, driver,
// labels and options) is kept here beside the directory, `<root>/volumes/NAME/meta.json`, and read
// back with the directories at the next start (volume/service/store.go restore).
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WorkPayload } from '../../src/layers/operation.ts';
import type { ImageRoot } from '../image/root.ts';
import { mountAll, unmount } from '../image/snapshot/mount.ts';
import { run } from '../image/tools.ts';
import type { RealWorks } from './archive.ts';
import { resolveInRoot } from './rootPath.ts';

/** The local driver's names (volume/local validateName); anything else never names a directory. */
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

function volumeDir(root: ImageRoot, input: WorkPayload): string {
  const name = String(input.name);
  if (!NAME.test(name)) throw new Error(`volume name ${JSON.stringify(name)} is not a local volume name`);
  return join(root.root, 'volumes', name);
}

async function createVolume(root: ImageRoot, input: WorkPayload): Promise<WorkPayload> {
  const base = join(root.root, 'volumes');
  await mkdir(base, { recursive: true });
  await chmod(base, 0o701);
  const data = join(volumeDir(root, input), '_data');
  await mkdir(data, { recursive: true, mode: 0o755 });
  const meta = { createdMs: input.createdMs, labels: input.labels, anonymous: input.anonymous };
  await writeFile(join(volumeDir(root, input), META), JSON.stringify(meta), { mode: 0o600 });
  return { mountpoint: data };
}

const META = 'meta.json';

async function readMeta(dir: string): Promise<WorkPayload> {
  const text = await readFile(join(dir, META), 'utf8').catch(() => '{}');
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? { ...value } : {};
  } catch {
    return {};
  }
}

/** Every volume directory with its `_data`, and what its metadata kept (its ctime when it has none). */
async function loadVolumes(root: ImageRoot): Promise<WorkPayload> {
  const base = join(root.root, 'volumes');
  const names = (await readdir(base).catch(() => [] as string[])).filter((n) => NAME.test(n));
  const volumes: WorkPayload[] = [];
  for (const name of names.sort()) {
    const dir = join(base, name);
    const data = await stat(join(dir, '_data')).catch(() => undefined);
    if (data === undefined || !data.isDirectory()) continue;
    const meta = await readMeta(dir);
    const createdMs =
      typeof meta.createdMs === 'number' ? meta.createdMs : Math.floor(data.ctimeMs / 1000) * 1000;
    volumes.push({ ...meta, name, createdMs, mountpoint: join(dir, '_data') });
  }
  return { volumes };
}

async function isEmptyDir(path: string): Promise<boolean> {
  return (await readdir(path)).length === 0;
}

/** The image's content at the destination, copied into an empty volume (owner, modes, links kept). */
async function populate(root: ImageRoot, scratch: string, input: WorkPayload): Promise<WorkPayload> {
  const mountpoint = String(input.mountpoint);
  if (!(await isEmptyDir(mountpoint))) return { copied: false };
  await mkdir(scratch, { recursive: true, mode: 0o700 });
  const rootfs = await mkdtemp(join(scratch, 'populate-'));
  await mountAll(root.snapshots.mounts(String(input.key)), rootfs);
  try {
    const source = await resolveInRoot(rootfs, String(input.destination));
    const info = await stat(source).catch(() => undefined);
    if (info === undefined || !info.isDirectory()) return { copied: false };
    await run('cp', ['-a', '--', `${source}/.`, `${mountpoint}/`]);
    return { copied: true };
  } finally {
    await unmount(rootfs);
    await rm(rootfs, { recursive: true, force: true });
  }
}

const pathsOf = (input: WorkPayload): string[] =>
  Array.isArray(input.paths) ? input.paths.filter((p): p is string => typeof p === 'string') : [];

/** A `-v` bind's host directory, made when missing as dockerd's MountPoint.Setup makes it. */
async function createBindSources(input: WorkPayload): Promise<WorkPayload> {
  for (const path of pathsOf(input)) await mkdir(path, { recursive: true, mode: 0o755 });
  return {};
}

/** The first `--mount type=bind` source that is not there ('' when all are). */
async function missingBindSource(input: WorkPayload): Promise<WorkPayload> {
  for (const path of pathsOf(input)) {
    const there = await stat(path).then(
      () => true,
      () => false,
    );
    if (!there) return { missing: path };
  }
  return { missing: '' };
}

export function realVolumeWorks(root: ImageRoot, scratch: string): RealWorks {
  return {
    bindSourcesCreate: (_session, input) => createBindSources(input),
    bindSourcesMissing: (_session, input) => missingBindSource(input),
    volumeCreate: (_session, input) => createVolume(root, input),
    loadVolumes: () => loadVolumes(root),
    volumeRemove: async (_session, input) => {
      await rm(volumeDir(root, input), { recursive: true, force: true });
      return {};
    },
    volumePopulate: (_session, input) => populate(root, scratch, input),
  };
}

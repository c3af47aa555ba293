// dockerd's containers on disk, as dockerd 20.10 keeps them: `<root>/containers/<id>/config.v2.json`
// (mode 0600) and `hostconfig.json` (0644), in a directory of mode 0710 (recorded on a private
// dockerd 20.10.24: test/fixtures/real-engine/u-container-files.txt). dockerd writes them at
// create and at every state change (moby container.CheckpointTo, each write a temporary file
// renamed over the old one: pkg/ioutils AtomicWriteFile) and removes the directory at rm. Here
// every container event the machines emit is such a change: the files are written from dockerd's
// record as it is when the write runs, one write at a time per container, so the last one wins
// and a container removed meanwhile is not written back. The next engine's boot reads them
// (dockerd's `loadContainers` work).
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { containerFiles, type ContainerFiles } from '../../src/layers/dockerd/ops/containerFiles.ts';
import type { ContainerRecord } from '../../src/layers/dockerd/records.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../../src/model/json.ts';

async function writeAtomic(path: string, data: string, mode: number): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, data, { mode });
  await rename(tmp, path);
}

async function readJson(path: string): Promise<JsonObject | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const value: JsonValue = JSON.parse(text);
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export class ContainerStore {
  /** Per container, the write or removal queued last. */
  private readonly queue = new Map<string, Promise<void>>();

  constructor(
    /** `<root>/containers`. */
    readonly dir: string,
    /** dockerd's record of a container now (undefined once it is removed). */
    private readonly recordOf: (id: string) => ContainerRecord | undefined,
  ) {}

  private then(id: string, work: () => Promise<void>): Promise<void> {
    const next = (this.queue.get(id) ?? Promise.resolve()).then(work).catch((error: unknown) => {
      process.stderr.write(`dockstep engine: container ${id.slice(0, 12)} state: ${String(error)}\n`);
    });
    this.queue.set(id, next);
    void next.then(() => this.queue.get(id) === next && this.queue.delete(id));
    return next;
  }

  /** The container changed state: its files are written as dockerd's record is when the write runs. */
  checkpoint(id: string): Promise<void> {
    return this.then(id, async () => {
      const record = this.recordOf(id);
      if (record === undefined || record.actor.getSnapshot().matches('removed')) return;
      const dir = join(this.dir, id);
      const files = containerFiles(record, dir);
      await mkdir(dir, { recursive: true, mode: 0o710 });
      await writeAtomic(join(dir, 'config.v2.json'), JSON.stringify(files.config), 0o600);
      await writeAtomic(join(dir, 'hostconfig.json'), JSON.stringify(files.hostConfig), 0o644);
    });
  }

  /** Written files of a removed container go with its directory (after any write still queued). */
  remove(id: string): Promise<void> {
    return this.then(id, () => rm(join(this.dir, id), { recursive: true, force: true }));
  }

  /** Every write queued so far has been done. */
  async flushed(): Promise<void> {
    await Promise.all([...this.queue.values()]);
  }

  /** Every container whose two files can be read; a directory without them is skipped. */
  async loadAll(): Promise<ContainerFiles[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const out: ContainerFiles[] = [];
    for (const name of names.filter((n) => /^[0-9a-f]{64}$/.test(n))) {
      const config = await readJson(join(this.dir, name, 'config.v2.json'));
      const hostConfig = await readJson(join(this.dir, name, 'hostconfig.json'));
      if (config !== undefined && hostConfig !== undefined && config.ID === name)
        out.push({ config, hostConfig });
    }
    return out;
  }
}

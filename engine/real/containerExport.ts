// `docker export`'s real work (src/layers/dockerd/ops/containerArchive.ts containerExport), as
// dockerd does it in its own process (moby v20.10.24 daemon/export.go containerExport): the
// container's root file system — the running container's mounted rootfs, or its snapshot mounted
// for the while when it is not running — as one uncompressed tar, streamed into the answer as it
// is read. Volumes and binds are not in it: dockerd tars the layer's mount alone. The names are
// relative, without a leading `./`, in byte order of each directory, as Go's archive.TarWithOptions
// walks (pkg/archive/archive.go); GNU tar writes them (it never follows a link it meets).
// Recorded: v-cp-commit-export.txt, y-diff-export-import.txt.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { WorkPayload } from '../../src/layers/operation.ts';
import type { ImageRoot } from '../image/root.ts';
import { mountAll, unmount } from '../image/snapshot/mount.ts';
import type { RealWorks } from './archive.ts';
import type { RawSink, RealSession } from './session.ts';
import type { RealTasks } from './tasks.ts';

const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** A tar of everything under `rootfs`, written into the answer; the count of bytes. */
async function tarInto(sink: RawSink, rootfs: string): Promise<number> {
  const names = (await readdir(rootfs)).sort(byteOrder);
  const tar = spawn('tar', ['--sort=name', '--numeric-owner', '-C', rootfs, '-cf', '-', '--', ...names], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_ALL: 'C' },
  });
  let stderr = '';
  tar.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number>((resolve) => tar.once('close', (code) => resolve(code ?? 2)));
  sink.begin();
  let bytes = 0;
  try {
    for await (const chunk of tar.stdout as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      await sink.write(chunk);
    }
  } catch (error) {
    // The client went away: tar has nobody to write to. After a whole read tar is not ended:
    // its output closes before its exit is seen, and a kill then would turn a good tar into a
    // failed one.
    tar.kill();
    throw error;
  }
  // Status 1: a file changed while it was read (a running container): the tar is still whole.
  const code = await exited;
  if (code > 1) throw new Error(`export of ${rootfs}: ${stderr.trim() || `tar exit status ${code}`}`);
  return bytes;
}

async function exportRootfs(
  root: ImageRoot,
  tasks: RealTasks,
  scratch: string,
  session: RealSession,
  input: WorkPayload,
): Promise<WorkPayload> {
  const sink = session.raw;
  if (sink === undefined) throw new Error(`export of ${String(input.id)}: no answer to write it to`);
  const live = tasks.live.get(String(input.id));
  if (live?.rootfsMounted === true) return { bytes: await tarInto(sink, live.rootfs) };
  await mkdir(scratch, { recursive: true, mode: 0o700 });
  const rootfs = await mkdtemp(join(scratch, 'export-'));
  try {
    await mountAll(root.snapshots.mounts(String(input.key)), rootfs);
    try {
      return { bytes: await tarInto(sink, rootfs) };
    } finally {
      await unmount(rootfs);
    }
  } finally {
    await rm(rootfs, { recursive: true, force: true });
  }
}

export function realExportWorks(root: ImageRoot, tasks: RealTasks, scratch: string): RealWorks {
  return {
    containerExport: (session, input) => exportRootfs(root, tasks, scratch, session, input),
  };
}

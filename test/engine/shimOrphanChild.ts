// A process that starts a shim and a `sleep` container in a lab's bundle, prints what it started
// as one JSON line, and then kills itself with SIGKILL: the engine gone as by `kill -9`, leaving
// the shim without the process that held its log FIFO and its connection.
// Usage: node --import tsx test/engine/shimOrphanChild.ts LAB_JSON ID
import { writeBundle } from '../../engine/shim/bundle.ts';
import { RUNC_LOG_ENV } from '../../engine/shim/recorder.ts';
import { startShim } from '../../engine/shim/start.ts';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lab } from './shimFixture.ts';

/** The lab as its JSON reaches this process: its paths, without the events server. */
type LabPaths = Omit<Lab, 'events'>;

async function main(): Promise<void> {
  const lab = JSON.parse(process.argv[2] ?? '{}') as LabPaths;
  const id = process.argv[3] ?? 'orphaned';
  const bundle = join(lab.dir, 'bundles', id);
  await mkdir(bundle, { recursive: true });
  await writeBundle(bundle, {
    rootfs: lab.rootfs,
    args: ['sleep', '1000'],
    cgroupsPath: `${lab.cgroupParent}/${id}`,
  });
  const identity = { id, namespace: lab.namespace, bundle, address: lab.address };
  const shim = await startShim({
    ...identity,
    eventsAddress: lab.eventsPath,
    env: { [RUNC_LOG_ENV]: lab.runcLog },
  });
  const pid = await shim.task.create({ bundle, runc: { binaryName: lab.recorder, root: lab.runcRoot } });
  await shim.task.start();
  const { shimPid } = await shim.task.connect();
  process.stdout.write(`${JSON.stringify({ identity, pid, shimPid })}\n`, () =>
    process.kill(process.pid, 'SIGKILL'),
  );
}

await main();

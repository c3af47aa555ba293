// A separate engine process for the crash test: opens ROOT, pulls REF and prints each progress
// event as a JSON line, so the test can kill -9 it at a chosen moment. DOCKSTEP_PULL_VIA=machines
// pulls through the layer machines, as the engine serves a pull.
import { pull } from '../../../engine/image/pull.ts';
import { ImageRoot } from '../../../engine/image/root.ts';
import { pullThroughMachines } from '../../../engine/real/pull.ts';

const [rootDir, ref] = process.argv.slice(2);
if (rootDir === undefined || ref === undefined) throw new Error('usage: pullChild ROOT REF');
const root = await ImageRoot.open(rootDir);
process.stdout.write(`${JSON.stringify({ kind: 'opened', pid: process.pid })}\n`);
const onProgress = (p: unknown): boolean => process.stdout.write(`${JSON.stringify(p)}\n`);
if (process.env.DOCKSTEP_PULL_VIA === 'machines') {
  const at = ref.lastIndexOf(':');
  await pullThroughMachines(root, { fromImage: ref.slice(0, at), tag: ref.slice(at + 1) }, { onProgress });
} else await pull(root, ref, { onProgress });
process.stdout.write(`${JSON.stringify({ kind: 'pulled' })}\n`);
await root.close();

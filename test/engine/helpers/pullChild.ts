// A separate engine process for the crash test: opens ROOT, pulls REF and prints each progress
// event as a JSON line, so the test can kill -9 it at a chosen moment.
import { pull } from '../../../engine/image/pull.ts';
import { ImageRoot } from '../../../engine/image/root.ts';

const [rootDir, ref] = process.argv.slice(2);
if (rootDir === undefined || ref === undefined) throw new Error('usage: pullChild ROOT REF');
const root = await ImageRoot.open(rootDir);
process.stdout.write(`${JSON.stringify({ kind: 'opened', pid: process.pid })}\n`);
await pull(root, ref, { onProgress: (p) => process.stdout.write(`${JSON.stringify(p)}\n`) });
process.stdout.write(`${JSON.stringify({ kind: 'pulled' })}\n`);
await root.close();

// The storage effects' contract (test/contract/storageEffects.contract.ts) against the real
// ones (engine/real/storage.ts): the engine's overlay snapshotter under a temporary root, a real
// gzip layer in its content store, each effect finding its operation's session as the world's do.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ImageRoot } from '../../engine/image/root.ts';
import { RealSession } from '../../engine/real/session.ts';
import { realStorageEffects } from '../../engine/real/storage.ts';
import { simPorts } from '../../src/sim/world.ts';
import { VirtualClock } from '../../src/wire/clock.ts';
import { SeededIds } from '../../src/wire/ids.ts';
import {
  describeStorageEffectsContract,
  type StorageEffectsAdapter,
} from '../contract/storageEffects.contract.ts';
import { realSuite } from './helpers/caps.ts';
import { buildLayer } from './helpers/images.ts';

type RealAdapter = StorageEffectsAdapter & { close(): Promise<void> };

async function realAdapter(): Promise<RealAdapter> {
  const dir = mkdtempSync(join(tmpdir(), 'dockstep-effects-'));
  const root = await ImageRoot.open(join(dir, 'root'), { unpackWorkers: 1 });
  const session = new RealSession(root);
  const built = buildLayer([
    { entry: { path: 'hello.txt', mode: 0o644, mtime: 1_700_000_000 }, data: Buffer.from('hello\n') },
  ]);
  const layer = { digest: built.digest, diffId: built.diffId, size: built.size };
  await root.content.put({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }, built.blob);
  // What a process in the snapshot would have made: a path in the snapshot's own upper dir.
  const inSnapshot = (key: string, path: string): string => {
    const host = join(root.snapshots.fsPath(session.realKey(key)), path);
    mkdirSync(dirname(host), { recursive: true });
    // Whatever the umask: the contract's directories are 0755.
    chmodSync(dirname(host), 0o755);
    return host;
  };
  return {
    effects: realStorageEffects(() => session, { tasks: undefined, scratch: join(dir, 'scratch') }),
    // The real effects use the engine's snapshotter; the simulated one is never touched.
    sn: simPorts(new VirtualClock(), new SeededIds(1)).snapshotter,
    layer,
    exists: (key) =>
      root.snapshots.stat(key) !== undefined || root.snapshots.stat(session.realKey(key)) !== undefined,
    writeFile(key, path, data) {
      const host = inSnapshot(key, path);
      writeFileSync(host, data);
      chmodSync(host, 0o644);
    },
    link: (key, path, target) => symlinkSync(target, inSnapshot(key, path)),
    async close() {
      await session.finish(false);
      await root.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

realSuite('the real storage effects', ['root', 'overlay', 'attr'], () => {
  describeStorageEffectsContract('real: the engine overlay snapshotter and diff service', realAdapter, {
    teardown: (a) => a.close(),
  });
});

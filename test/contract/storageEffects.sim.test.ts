import { simStorageEffects } from '../../src/layers/storage/storageEffects.ts';
import { simPorts } from '../../src/sim/world.ts';
import { VirtualClock } from '../../src/wire/clock.ts';
import { SeededIds } from '../../src/wire/ids.ts';
import { sha256 } from './harness.ts';
import { describeStorageEffectsContract } from './storageEffects.contract.ts';

describeStorageEffectsContract(
  'sim: settled on the simulated overlayfs snapshotter',
  () => {
    const sn = simPorts(new VirtualClock(), new SeededIds(1)).snapshotter;
    return {
      effects: simStorageEffects,
      sn,
      layer: {
        digest: sha256('contract layer (tar+gzip)'),
        diffId: sha256('contract layer (tar)'),
        size: 4096,
      },
      exists: (key) => sn.stat(key) !== undefined,
      writeFile: (key, path, data) => void sn.write(key, path, data.length),
      link: () => {
        throw new Error('the simulated snapshotter has no symlinks');
      },
    };
  },
  {
    skip: {
      'stat: a link is followed inside the root, never out of it':
        'the simulated snapshotter models files and their sizes, not symlinks',
    },
  },
);

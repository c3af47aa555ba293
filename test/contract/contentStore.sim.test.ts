import { imageServiceEffects } from '../../src/layers/containerd/imageService.ts';
import { simPorts } from '../../src/sim/world.ts';
import { VirtualClock } from '../../src/wire/clock.ts';
import { SeededIds } from '../../src/wire/ids.ts';
import { describeContentStoreContract } from './contentStore.contract.ts';

// The simulation's registry answers with sizes and digests, never bytes: there is nothing for a
// transfer to leave behind, and nothing to check a layer's digest against.
const NO_BYTES =
  "not applicable: the simulation's registry carries no layer bytes, only their digests and sizes from the catalogue";

describeContentStoreContract(
  'sim: SimContentStore (simPorts().content) under the simulated containerd effects',
  () => {
    const view = simPorts(new VirtualClock(), new SeededIds(1)).content;
    return {
      effects: imageServiceEffects,
      view,
      transfer: async () => undefined,
      fetched: () => undefined,
      remove: async (digest) => view.remove(digest),
      ingests: () => [],
      endOperation: async () => undefined,
    };
  },
  {
    skip: {
      'a transfer whose bytes lie is refused, and Content.Write then finds nothing': NO_BYTES,
      'a blob being written is not visible until its write is committed': NO_BYTES,
      'a synchronous Images.Delete collects the blobs no other name needs, once its writer’s lease is gone':
        'not applicable: the simulation keeps no garbage collector (its Images.Delete removes the record only, src/layers/containerd/imageService.ts)',
    },
  },
);

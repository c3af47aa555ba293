import { simPorts } from '../../src/sim/world.ts';
import { VirtualClock } from '../../src/wire/clock.ts';
import { SeededIds } from '../../src/wire/ids.ts';
import { describeSnapshotterContract } from './snapshotter.contract.ts';

/** Both simulated drivers share SimSnapshotter. */

describeSnapshotterContract(
  'sim: containerd overlayfs (simPorts().snapshotter)',
  () => simPorts(new VirtualClock(), new SeededIds(1)).snapshotter,
);
describeSnapshotterContract(
  'sim: dockerd overlay2 (simPorts().graphdriver)',
  () => simPorts(new VirtualClock(), new SeededIds(1)).graphdriver,
);

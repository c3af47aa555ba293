import { simPorts } from '../../src/sim/world.ts';
import { VirtualClock } from '../../src/wire/clock.ts';
import { SeededIds } from '../../src/wire/ids.ts';
import { describeSnapshotterContract } from './snapshotter.contract.ts';

/** Both simulated drivers share SimSnapshotter, so they share its bugs. */
const skip = {
  'prepare records labels, as a copy':
    'sim bug: SimSnapshotter.prepare keeps the caller’s labels object itself (no copy), so changing that ' +
    'object after prepare changes the snapshot’s labels.',
  'mounts of a committed snapshot are never writable and show its own layer first':
    'sim bug: SimSnapshotter.mounts of a committed snapshot returns an overlay whose lowerdir lists only its ' +
    'parents, leaving out the snapshot’s own dir (a committed L2 shows L1’s files), and for a committed ' +
    'snapshot without parent the invalid option "lowerdir=" (empty); containerd refuses Mounts on a committed ' +
    'snapshot, a read-only view would list the snapshot’s own dir first.',
  'a new file that no lower layer has is not a copy-up':
    'sim bug: SimSnapshotter.write reports copiedUp: true for the first write of any path in a snapshot that ' +
    'has a parent, without looking at the parents’ files: writing /tmp/new-file is reported as a copy-up; ' +
    'overlayfs copies up only a file that exists in a lower dir.',
  'rewriting a file does not count its bytes twice':
    'sim bug: SimSnapshotter.write adds the written size to the snapshot’s size on every write, so writing a ' +
    '5000-byte file twice gives size 10000; the upper dir holds the file once.',
};

describeSnapshotterContract(
  'sim: containerd overlayfs (simPorts().snapshotter)',
  () => simPorts(new VirtualClock(), new SeededIds(1)).snapshotter,
  { skip },
);
describeSnapshotterContract(
  'sim: dockerd overlay2 (simPorts().graphdriver)',
  () => simPorts(new VirtualClock(), new SeededIds(1)).graphdriver,
  { skip },
);

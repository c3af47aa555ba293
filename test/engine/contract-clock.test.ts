// The time-and-identity contract (test/contract/clock.contract.ts) against what real mode uses:
// the engine's world (engine/real/world.ts) runs the machines on a virtual clock that its real
// driver (engine/real/driver.ts) keeps level with the wall clock, firing the machines' timers in
// real time, and draws ids from a generator seeded by the wall clock at start. Time here passes
// for real: `advance` waits.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageRoot } from '../../engine/image/root.ts';
import { RealWorld } from '../../engine/real/world.ts';
import { simPorts } from '../../src/sim/world.ts';
import { SeededIds } from '../../src/wire/ids.ts';
import { describeClockContract, type ClockFixture } from '../contract/clock.contract.ts';
import { realSuite } from './helpers/caps.ts';

type RealClock = ClockFixture & { close(): Promise<void> };

async function realClock(): Promise<RealClock> {
  const dir = await mkdtemp(join(tmpdir(), 'dockstep-clock-'));
  const root = await ImageRoot.open(join(dir, 'root'), { unpackWorkers: 0 });
  const world = new RealWorld(root);
  // The ports over the world's clock, seeded as the world seeds its own (world.ts).
  const { clock, ids } = simPorts(world.clock, new SeededIds(Date.now() % 2 ** 31));
  return {
    clock,
    ids,
    advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    again: () => {
      throw new Error('a real clock is not made again from a seed');
    },
    async close() {
      world.stop();
      await root.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const NOT_REPLAYED =
  'not applicable: a real run is not replayed — its time is the host’s and its ids are seeded from the wall clock when the engine starts (engine/real/world.ts); determinism by seed is the simulation’s promise';

realSuite('the real clock', ['root'], () => {
  describeClockContract('real: the engine world’s clock, driven by the real driver', realClock, {
    teardown: (a) => a.close(),
    skip: {
      'the same seed gives the same ids, in the same order': NOT_REPLAYED,
      'the same seed gives the same timeline: start, firing order and instants': NOT_REPLAYED,
    },
  });
});

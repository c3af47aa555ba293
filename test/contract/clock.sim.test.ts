import { simPorts } from '../../src/sim/world.ts';
import { VirtualClock } from '../../src/wire/clock.ts';
import { SeededIds } from '../../src/wire/ids.ts';
import { describeClockContract, type ClockFixture } from './clock.contract.ts';

/** simPorts' clock and ids ports over a virtual clock that `advance` moves timer by timer. */
function simClock(seed = 1): ClockFixture {
  const virtual = new VirtualClock();
  const { clock, ids } = simPorts(virtual, new SeededIds(seed));
  return {
    clock,
    ids,
    again: () => simClock(seed),
    async advance(ms) {
      const limit = virtual.now() + ms;
      while (virtual.fireNext(limit));
      virtual.advanceTo(limit);
    },
  };
}

describeClockContract('sim: VirtualClock and SeededIds (simPorts().clock, .ids)', () => simClock());

import { describe, expect, it } from 'vitest';
import { expectSameAsRealEngine } from './fidelity-fixture.ts';

/**
 * docker top and docker update (u-top-update-stats.txt, dockerd 20.10.24, --bridge=none): the
 * `top` and `update` events, dockerd's refusals (6MB minimum before the lookup, no such container,
 * top of a stopped container) and the CLI's own (no flag). `docker stats` in the same capture is
 * left out here. A top's pids and start time are the host's, so its rows are checked for shape.
 */
const pick = (line: string) => line.startsWith('docker ') && !line.startsWith('docker stats');
const TOP_ROWS = [1, 2];

describe('fidelity: top and update', () => {
  it('top lists the task’s processes; update stores the limits, live or stopped, with its refusals', () => {
    const { real, sim } = expectSameAsRealEngine('u-top-update-stats.txt', pick, {
      noNetwork: true,
      skipStdout: TOP_ROWS,
    });
    for (const i of TOP_ROWS) {
      const [realHead, ...realRows] = (real.steps[i]?.stdout ?? '').trimEnd().split('\n');
      const [simHead, ...simRows] = (sim.steps[i]?.stdout ?? '').trimEnd().split('\n');
      expect(simHead).toBe(realHead);
      expect(simRows.length).toBe(realRows.length);
      // The same cells, the command at the same offset (every column but the last is 20 wide).
      const cells = (row: string | undefined) => (row ?? '').split(/\s+/).length;
      expect(cells(simRows[0])).toBe(cells(realRows[0]));
      expect(simRows[0]?.indexOf('sleep')).toBe(realRows[0]?.indexOf('sleep'));
    }
  });
});

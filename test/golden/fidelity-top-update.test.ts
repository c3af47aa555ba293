import { describe, expect, it } from 'vitest';
import { expectSameAsRealEngine } from './fidelity-fixture.ts';

/**
 * docker top, docker update and docker stats --no-stream (u-top-update-stats.txt, dockerd
 * 20.10.24, --bridge=none): the `top` and `update` events, dockerd's refusals (6MB minimum before
 * the lookup, no such container, top of a stopped container) and the CLI's own (no flag); the
 * stats tables of a running container (with and without a name, and a --format), of an unknown
 * one and of a stopped one. A top's pids and start time are the host's, so its rows are checked
 * for shape. A sleeping busybox's memory differs from run to run (308 to 588 KiB across the
 * captures): the recorded figure is read as the simulation's 332 KiB, the rest must match.
 */
const SIM_MEMORY = (text: string) =>
  text.replace(/\b\d{3}KiB \/ 64MiB(\s+)\d\.\d\d%/g, (_m, gap: string) => `332KiB / 64MiB${gap}0.51%`);
const pick = (line: string) => line.startsWith('docker ');
const TOP_ROWS = [1, 2];

describe('fidelity: top and update', () => {
  it('top lists the task’s processes; update stores the limits, live or stopped; stats reads the cgroup', () => {
    const { real, sim } = expectSameAsRealEngine('u-top-update-stats.txt', pick, {
      noNetwork: true,
      skipStdout: TOP_ROWS,
      realStdout: (text) => SIM_MEMORY(text.replace(/\b\d{3}KiB \/ 64MiB$/gm, '332KiB / 64MiB')),
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

  it('stats -a includes a stopped container with zero figures (u2-stats-stream.txt)', () => {
    const { sim } = expectSameAsRealEngine('u2-stats-stream.txt', (line) => line.startsWith('docker '), {
      noNetwork: true,
      realStdout: (text) => text.replace(/^u2 \d{3}KiB/m, 'u2 332KiB'),
      // rm -f of two containers: their removals run side by side.
      unordered: [4],
    });
    expect(sim.steps[3]?.stdout).toBe('u2 332KiB / 64MiB 1\nu1 0B / 0B 0\n');
  });
});

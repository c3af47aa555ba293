import { describe, expect, it } from 'vitest';
import { expectSameAsRealEngine } from './fidelity-fixture.ts';

/**
 * docker diff (s-top-diff.txt, dockerd 20.10.24): a written file shows with the image's directory
 * above it as changed; nothing written shows nothing, even once the container has stopped.
 * `docker top` in the same capture: its rows hold the host's pids and times, so they are left out
 * here (fidelity-top-update.test.ts checks their shape); its events and refusals are compared.
 */
const pick = (line: string) => line.startsWith('docker ') || line.startsWith('sleep ');

describe('fidelity: diff', () => {
  it('C /tmp and A /tmp/x after a write; empty for a container that wrote nothing', () => {
    const { sim } = expectSameAsRealEngine('s-top-diff.txt', pick, {
      // rm -f of two containers: their removals run side by side.
      unordered: [10],
      skipStdout: [1],
    });
    expect(sim.steps[4]?.stdout).toBe('C /tmp\nA /tmp/x\n');
  });
});

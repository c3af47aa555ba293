import { describe, expect, it } from 'vitest';
import { expectSameAsRealEngine } from './fidelity-fixture.ts';

/**
 * docker volume and container prune (q-volumes-prune.txt, dockerd 20.10.24): create (again with
 * the same name, and nameless), ls, inspect, rm with the refusals, and a prune that removes the
 * stopped and the created container but not the running one. That daemon had its own data root:
 * its Mountpoint is read as a stock host's /var/lib/docker.
 */
const FIXTURE = 'q-volumes-prune.txt';
const pick = (line: string) => line.startsWith('docker ') || line.startsWith('sleep ');
const stockRoot = (stdout: string) => stdout.replaceAll('/tmp/sim17/d/data/', '/var/lib/docker/');

describe('fidelity: volumes and container prune', () => {
  it('volume create/ls/inspect/rm, container prune -f, container ls, image ls and system df', () => {
    const { sim } = expectSameAsRealEngine(FIXTURE, pick, {
      realStdout: stockRoot,
      globalEvents: true,
      // 3: CreatedAt is the run's own time; 14: prune lists what it removed in no fixed order
      // (a Go map); 16, 17, 18: CREATED and the image's size differ (an imported busybox, a
      // pulled one).
      skipStdout: [3, 14, 16, 17, 18],
      unordered: [14],
      // 10, 11: `true` exits at once, and its die lands in the next command for real.
      skipEvents: [10, 11],
    });
    expect(sim.steps[14]?.stdout).toMatch(
      /^Deleted Containers:\n<\w+>\n<\w+>\n\nTotal reclaimed space: 0B\n$/,
    );
    expect(sim.steps[18]?.stdout).toMatch(
      /^TYPE +TOTAL +ACTIVE +SIZE +RECLAIMABLE\nImages +1 +1 +\S+ +0B \(0%\)\nContainers +1 +1 +0B +0B\nLocal Volumes +1 +0 +0B +0B\nBuild Cache +0 +0 +0B +0B\n$/,
    );
    expect(sim.steps[14]?.events.at(-1)).toBe('container prune {reclaimed=0} [status=Action id=undefined]');
  });
});

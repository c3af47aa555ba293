import { describe, expect, it } from 'vitest';
import { expectSameAsRealEngine } from './fidelity-fixture.ts';

/**
 * User-defined bridge networks (p-user-networks.txt, dockerd 20.10.24): create, ls, inspect,
 * run --network with --network-alias, the embedded DNS server's answers, connect and disconnect
 * of a running container (one connect, two disconnects), and dockerd's refusals. That daemon's
 * default bridge was not docker0's 172.17.0.0/16, so its first user network got 172.17.0.0/16
 * where a stock host (and the simulation) gives 172.18.0.0/16: the capture's addresses are read so.
 */
const FIXTURE = 'p-user-networks.txt';
const NOT_COMPARED = [
  // `ip` is not in the process model.
  'docker run --rm --network n2 busybox ip -4 -o addr show eth0',
];
const pick = (line: string) => line.startsWith('docker ') && !NOT_COMPARED.includes(line);
const stockSubnet = (stdout: string) => stdout.replaceAll('172.17.', '172.18.');

describe('fidelity: user-defined networks', () => {
  it('create, ls, inspect, --network and --network-alias, DNS answers, connect/disconnect, refusals', () => {
    const { sim } = expectSameAsRealEngine(FIXTURE, pick, {
      realStdout: stockSubnet,
      globalEvents: true,
      // 7: that host's nameserver was unreachable (a 5 s timeout), the simulation's answers
      // NXDOMAIN; 18: --subnet without --gateway: the CLI's typed struct prints "", the
      // simulation's template reads the JSON, where Gateway is left out.
      skipOutput: [7],
      skipStdout: [18],
      // rm -f of two containers: their removals run side by side.
      unordered: [24],
    });
    expect(sim.steps[5]?.stdout).toContain('Address: 172.18.0.2');
    expect(sim.steps[14]?.events).toEqual([
      'network disconnect {container=web, name=n1, type=bridge}',
      'network disconnect {container=web, name=n1, type=bridge}',
    ]);
  });
});

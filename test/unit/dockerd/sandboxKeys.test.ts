import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../src/sim/simulation.ts';

/**
 * NetworkSettings.SandboxID and SandboxKey of `--network none` and `--network host` containers,
 * as a private dockerd 20.10 showed them (test/fixtures/real-engine/z3-gateway-sandbox.txt,
 * z2-host-inspect.txt): each start makes a sandbox with an id of its own (not the container's);
 * none's key is a netns file named after the sandbox, host's the host namespace's `default`;
 * a container never started has neither; a stopped one keeps them.
 */
const FORMAT = '{{.Id}} {{.NetworkSettings.SandboxID}} {{.NetworkSettings.SandboxKey}}';

function inspected(commands: string[]): string[] {
  const sim = new Simulation(commands);
  sim.runToEnd();
  const last = commands.length - 1;
  return sim.trace.entries
    .filter((e) => e.type === 'output' && e.stream === 'stdout' && e.command >= last - 2)
    .map((e) => (e.type === 'output' ? e.text.replace(/\n$/, '') : ''));
}

describe('the sandbox of none and host containers', () => {
  it('none: a sandbox of its own, its key the netns file named after it; host: the default key', () => {
    const out = inspected([
      'docker run -d --name n1 --network none busybox sleep 1000',
      'docker run -d --name h1 --network host busybox sleep 1000',
      'docker create --name c1 --network none busybox true',
      `docker inspect -f '${FORMAT}' n1`,
      `docker inspect -f '${FORMAT}' h1`,
      `docker inspect -f '${FORMAT}' c1`,
    ]);
    const [none = '', host = '', created = ''] = out;
    const [nId, nSandbox, nKey] = none.split(' ');
    expect(nSandbox).toMatch(/^[0-9a-f]{64}$/);
    expect(nSandbox).not.toBe(nId);
    expect(nKey).toBe(`/var/run/docker/netns/${(nSandbox ?? '').slice(0, 12)}`);
    const [hId, hSandbox, hKey] = host.split(' ');
    expect(hSandbox).toMatch(/^[0-9a-f]{64}$/);
    expect(hSandbox).not.toBe(hId);
    expect(hKey).toBe('/var/run/docker/netns/default');
    expect(created.split(' ').slice(1)).toEqual(['', '']);
  });

  it('a stopped container keeps them', () => {
    const [stopped = ''] = inspected([
      'docker run -d --name n1 --network none busybox sleep 1000',
      'docker stop -t 0 n1',
      `docker inspect -f '${FORMAT}' n1`,
    ]).slice(-1);
    const [, sandbox, key] = stopped.split(' ');
    expect(key).toBe(`/var/run/docker/netns/${(sandbox ?? '').slice(0, 12)}`);
  });
});

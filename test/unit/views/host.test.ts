import { describe, expect, it } from 'vitest';
import { hostSnapshot } from '../../../src/sim/hostSnapshot.ts';
import { layerStack, namespaces } from '../../../src/views/layerStack.ts';
import { pstree } from '../../../src/views/pstree.ts';
import { Simulation } from '../../../src/sim/simulation.ts';

function hostAfter(lines: string[], profile: 'v29' | 'classic' = 'v29') {
  const sim = new Simulation(lines, { profile });
  sim.runToEnd();
  return hostSnapshot(sim.world, profile);
}

describe('pstree', () => {
  it('draws like pstree -p, with branches, continuations and single-child runs', () => {
    const text = pstree({
      driver: 'overlayfs',
      containers: [],
      processes: [
        { pid: 1, ppid: 0, comm: 'systemd' },
        { pid: 9, ppid: 1, comm: 'dockerd' },
        { pid: 5, ppid: 1, comm: 'containerd' },
        { pid: 20, ppid: 1, comm: 'containerd-shim' },
        { pid: 21, ppid: 20, comm: 'nginx' },
        { pid: 22, ppid: 21, comm: 'nginx' },
        { pid: 23, ppid: 21, comm: 'nginx', frozen: true },
      ],
    });
    expect(text).toBe(
      [
        'systemd(1)─┬─containerd(5)',
        '           ├─containerd-shim(20)───nginx(21)─┬─nginx(22)',
        '           │                                 └─nginx(23) [frozen]',
        '           └─dockerd(9)',
        '',
      ].join('\n'),
    );
  });

  it('puts every shim under PID 1 and each container init under its shim, and forgets removed ones', () => {
    const host = hostAfter([
      'docker run -d --name web nginx',
      'docker run -d --name sl busybox sleep 600',
      'docker run -d --name gone busybox sleep 600',
      'docker rm -f gone',
    ]);
    const shims = host.processes.filter((p) => p.comm === 'containerd-shim');
    expect(shims).toHaveLength(2);
    for (const shim of shims) {
      expect(shim.ppid).toBe(1);
      expect(host.processes.some((p) => p.ppid === shim.pid && p.containerId === shim.containerId)).toBe(
        true,
      );
    }
    expect(host.processes.find((p) => p.comm === 'sleep')?.ppid).toBe(
      shims.find((s) => host.processes.some((p) => p.comm === 'sleep' && p.ppid === s.pid))?.pid,
    );
    expect(host.containers.map((c) => c.name)).toEqual(['web', 'sl']);
  });

  it('marks a paused container frozen', () => {
    const host = hostAfter(['docker run -d --name sl busybox sleep 600', 'docker pause sl']);
    expect(host.processes.find((p) => p.comm === 'sleep')?.frozen).toBe(true);
    expect(host.containers[0]?.status).toBe('paused');
  });
});

describe('layer stack', () => {
  for (const profile of ['v29', 'classic'] as const) {
    it(`shows the writable layer on top and the Debian base shared by nginx and redis (${profile})`, () => {
      const host = hostAfter(
        [
          'docker run -d --name web nginx',
          'docker run -d --name cache redis',
          'docker run -d --name web2 nginx',
        ],
        profile,
      );
      const [web, cache, web2] = host.containers;
      expect(web?.layers[0]?.writable).toBe(true);
      expect(web?.layers.slice(1).every((l) => !l.writable)).toBe(true);
      // Engine 29's init layer is a snapshot of its own, under the container's.
      expect(web?.layers).toHaveLength(profile === 'v29' ? 9 : 8);
      if (profile === 'v29') expect(layerStack(host)).toContain('init layer');
      const base = web?.layers.at(-1);
      expect(base?.key).toBe(cache?.layers.at(-1)?.key);
      expect(base?.sharedWith).toEqual(expect.arrayContaining(['cache', 'redis:latest', 'web2']));
      expect(web2?.layers[0]?.key).not.toBe(web?.layers[0]?.key);
      expect(web?.layers[0]?.sharedWith).toEqual([]);
      expect(layerStack(host)).toContain(web?.layers[1]?.dir ?? '?');
    });
  }

  it('lists namespaces and cgroup limits, with the memory limit from -m', () => {
    const host = hostAfter(['docker run -d -m 64m --name cache redis']);
    expect(host.containers[0]?.namespaces).toEqual(
      expect.arrayContaining(['mount', 'network', 'uts', 'pid', 'ipc']),
    );
    expect(host.containers[0]?.limits['memory.max']).toBe(String(64 * 1024 * 1024));
    expect(namespaces(host)).toMatch(/memory\.max = 67108864/);
  });
});

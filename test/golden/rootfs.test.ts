import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/model/json.ts';
import type { Profile } from '../../src/model/trace.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { messagesOf } from '../../src/views/trace.ts';

/**
 * A container's root file system. Engine 29 (docker-v29.0.0 daemon/containerd/image_snapshot.go):
 * create prepares `<id>-init-key`, sets it up, commits it as `<id>-init` and prepares `<id>` on
 * it; start asks containerd for the snapshot's mounts and dockerd mounts them itself at
 * /var/lib/docker/rootfs/overlayfs/<id>, the spec's absolute root; containerd gets no snapshot
 * key; rm deletes the lease and the collector takes both snapshots. Classic: the graphdriver makes
 * `<id>-init` and the layer, mounts it (Driver.Get), and containerd never hears of a snapshot.
 */
function run(profile: Profile, lines: string[]) {
  const sim = new Simulation(['docker pull busybox', ...lines], { profile });
  return { sim, messages: messagesOf(sim.runToEnd()) };
}

const payload = (m: { payload?: unknown } | undefined): JsonObject => (m?.payload ?? {}) as JsonObject;

describe('the root file system', () => {
  it('v29: create makes an init layer under the container’s snapshot', () => {
    const { sim, messages } = run('v29', ['docker create --name cc busybox true']);
    const id = [...sim.world.ports.snapshotter.list()].find((s) => s.key.endsWith('-init'))?.key.slice(0, -5);
    expect(id).toBeDefined();
    const calls = messages.filter((m) => m.from === 'dockerd' && m.command === 1 && m.kind !== 'reply');
    expect(calls.map((m) => m.op)).toEqual(
      expect.arrayContaining(['ctrd.Snapshots.Prepare', 'dockerd.initLayer', 'ctrd.Snapshots.Commit']),
    );
    const prepares = calls.filter((m) => m.op === 'ctrd.Snapshots.Prepare').map(payload);
    expect(prepares.map((p) => p.key)).toEqual([`${id}-init-key`, id]);
    expect(prepares[1]?.parent).toBe(`${id}-init`);
    expect(sim.world.ports.snapshotter.stat(`${id}-init`)?.kind).toBe('committed');
    expect(sim.world.ports.snapshotter.stat(String(id))?.parent).toBe(`${id}-init`);
  });

  it('v29: start mounts the snapshot in dockerd and gives an absolute root; containerd gets no snapshot key', () => {
    const { messages } = run('v29', ['docker run -d --name cc busybox sleep 60']);
    const ops = messages.filter((m) => m.command === 1).map((m) => m.op);
    const mount = ops.indexOf('dockerd.mountRootfs');
    expect(ops.indexOf('ctrd.Snapshots.Mounts')).toBeGreaterThan(-1);
    expect(mount).toBeGreaterThan(ops.indexOf('ctrd.Snapshots.Mounts'));
    expect(mount).toBeLessThan(ops.indexOf('dockerd.buildSpec'));
    const spec = payload(messages.find((m) => m.op === 'dockerd.buildSpec'));
    expect((spec.root as JsonObject).path).toMatch(/^\/var\/lib\/docker\/rootfs\/overlayfs\/[0-9a-f]{64}$/);
    const create = payload(messages.find((m) => m.op === 'ctrd.Containers.Create' && m.kind === 'request'));
    expect(create).not.toHaveProperty('snapshotKey');
  });

  it('v29: rm deletes the lease, and the collector removes the container’s snapshot and its init layer', () => {
    const { sim, messages } = run('v29', ['docker run -d --name cc busybox sleep 60', 'docker rm -f cc']);
    const own = messages.filter((m) => m.command === 2);
    expect(own.some((m) => m.op === 'ctrd.Snapshots.Remove')).toBe(false);
    expect(own.find((m) => m.op === 'ctrd.Leases.Delete' && m.kind === 'reply')?.call).toBe(
      'OK; gc removed 2 snapshots',
    );
    expect(
      sim.world.ports.snapshotter.list().filter((s) => s.kind === 'active' || s.key.endsWith('-init')),
    ).toEqual([]);
  });

  it('classic: the graphdriver makes the init layer and mounts the rootfs; containerd gets no snapshot key', () => {
    const { messages } = run('classic', ['docker run -d --name cc busybox sleep 60']);
    const own = messages.filter((m) => m.command === 1);
    expect(own.find((m) => m.op === 'storage.prepare' && m.from === 'dockerd')?.call).toMatch(
      /^overlay2 CreateReadWrite\([0-9a-f]{12}…-init, .*\) \+ initlayer\.Setup; CreateReadWrite/,
    );
    expect(own.some((m) => m.to === 'containerd' && m.op.startsWith('ctrd.Snapshots'))).toBe(false);
    const create = payload(own.find((m) => m.op === 'ctrd.Containers.Create' && m.kind === 'request'));
    expect(create).not.toHaveProperty('snapshotKey');
    expect(own.find((m) => m.op === 'storage.mount')?.call).toMatch(/^overlay2 Get\(/);
  });
});

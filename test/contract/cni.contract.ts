import { expect } from 'vitest';
import type { CniNetwork, CniResult } from '../../src/ports/cni.ts';
import { defineContract, type ContractCases, type ContractOptions, type Factory } from './harness.ts';

/**
 * The CNI network's contract (src/ports/cni.ts): the bridge plugin with host-local IPAM as
 * containerd's CRI plugin runs it for a pod (https://www.cni.dev/docs/spec/, "ADD", "DEL"; the
 * plugins' bridge.go and host-local's allocator.go):
 *   - an ADD answers the interfaces it made — the bridge, the host end of a veth pair, the pod's
 *     interface inside its namespace — and an address per family on the pod's interface, with
 *     the gateway and default routes; the first ADD on a node creates the bridge;
 *   - host-local hands out each address once, never the gateway, in order after the last one it
 *     reserved (a freed address is not handed out again at once); a second ADD of one container
 *     is refused;
 *   - a DEL gives back what the ADD made and frees it; a DEL of what has nothing is harmless.
 *
 * The factory must give a node where no pod has a network yet.
 */
export function describeCniContract(
  name: string,
  factory: Factory<CniNetwork>,
  options?: ContractOptions<CniNetwork>,
): void {
  defineContract('CniNetwork', name, factory, options, (cases) => {
    cases.group('add', () => addCases(cases));
    cases.group('addresses', () => addressCases(cases));
    cases.group('del', () => delCases(cases));
  });
}

function added(cni: CniNetwork, id: string): CniResult {
  const out = cni.add(id, `/var/run/netns/cni-${id}`, 'eth0');
  if (!out.ok) throw new Error(`add ${id}: ${out.error}`);
  return out.result;
}

const v4 = (r: CniResult): string =>
  r.ips.find((ip) => !ip.address.includes(':'))?.address.split('/')[0] ?? '';

/** An IPv4 address as a number, to compare its place in the subnet. */
const n4 = (address: string): number => address.split('.').reduce((n, part) => n * 256 + Number(part), 0);

function addCases(cases: ContractCases<CniNetwork>): void {
  cases.it('ADD makes the bridge, a veth pair and the pod’s interface in its namespace', (cni) => {
    const r = added(cni, 'pod1');
    const [bridge, hostEnd, pod] = r.interfaces;
    expect(bridge).toMatchObject({ name: cni.config.bridge });
    expect(bridge?.sandbox).toBeUndefined();
    expect(hostEnd?.name).toMatch(/^veth[0-9a-f]{8}$/);
    expect(hostEnd?.sandbox).toBeUndefined();
    expect(pod).toMatchObject({ name: 'eth0', sandbox: '/var/run/netns/cni-pod1' });
    for (const i of r.interfaces) expect(i.mac, i.name).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
  });

  cases.it('ADD gives the pod’s interface an address per family, the gateway and default routes', (cni) => {
    const r = added(cni, 'pod1');
    const podIndex = r.interfaces.findIndex((i) => i.name === 'eth0');
    expect(r.ips.map((ip) => ip.interface)).toEqual(r.ips.map(() => podIndex));
    expect(r.ips.find((ip) => !ip.address.includes(':'))).toMatchObject({ gateway: cni.config.gateway });
    expect(r.ips.some((ip) => ip.address.includes(':') && ip.address.endsWith('/64'))).toBe(true);
    expect(r.routes.map((route) => route.dst).sort()).toEqual(['0.0.0.0/0', '::/0']);
    expect(cni.result('pod1')).toEqual(r);
  });

  cases.it('the first ADD on the node creates the bridge, later ones plug into it', (cni) => {
    const first = added(cni, 'pod1');
    const second = added(cni, 'pod2');
    expect([first.bridgeCreated, second.bridgeCreated]).toEqual([true, false]);
    expect(second.interfaces[0]).toEqual(first.interfaces[0]);
    expect(second.interfaces[1]?.name).not.toBe(first.interfaces[1]?.name);
  });

  cases.it('a second ADD of one container is refused and keeps its first address', (cni) => {
    const first = added(cni, 'pod1');
    const again = cni.add('pod1', '/var/run/netns/cni-pod1', 'eth0');
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.error).toMatch(/pod1/);
    expect(cni.result('pod1')).toEqual(first);
  });
}

function addressCases(cases: ContractCases<CniNetwork>): void {
  cases.it('each pod gets its own address in the subnet, never the gateway', (cni) => {
    const addresses = ['p1', 'p2', 'p3', 'p4'].map((id) => v4(added(cni, id)));
    expect(new Set(addresses).size).toBe(4);
    const [net, bits] = cni.config.subnet.split('/');
    const mask = 2 ** 32 - 2 ** (32 - Number(bits));
    for (const a of addresses) {
      expect(a).not.toBe(cni.config.gateway);
      expect((n4(a) & mask) >>> 0).toBe(n4(net ?? ''));
    }
  });

  cases.it('addresses are handed out in order, and a freed one not again at once', (cni) => {
    const a = v4(added(cni, 'p1'));
    const b = v4(added(cni, 'p2'));
    expect(n4(b)).toBeGreaterThan(n4(a));
    cni.del('p1');
    const c = v4(added(cni, 'p3'));
    expect(c).not.toBe(a);
    expect(n4(c)).toBeGreaterThan(n4(b));
  });
}

function delCases(cases: ContractCases<CniNetwork>): void {
  cases.it('DEL gives back what the ADD made, and the pod has no network after', (cni) => {
    const r = added(cni, 'pod1');
    expect(cni.del('pod1')).toEqual(r);
    expect(cni.result('pod1')).toBeUndefined();
    expect(cni.del('pod1')).toBeUndefined();
  });

  cases.it('DEL of a container with no network is harmless and touches no other', (cni) => {
    const r = added(cni, 'pod1');
    expect(cni.del('never-added')).toBeUndefined();
    expect(cni.result('pod1')).toEqual(r);
  });

  cases.it('a container can be added again after its DEL', (cni) => {
    added(cni, 'pod1');
    cni.del('pod1');
    const again = added(cni, 'pod1');
    expect(again.bridgeCreated).toBe(false);
    expect(cni.result('pod1')).toEqual(again);
  });
}

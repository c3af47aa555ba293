import type { CniAddResult, CniConfig, CniNetwork, CniResult } from '../ports/cni.ts';

/**
 * containerd's example CNI network in memory: the bridge plugin on `cni0` with host-local IPAM
 * over 10.88.0.0/16 and 2001:4860:4860::/64, as containerd's script/setup/install-cni writes
 * /etc/cni/net.d/10-containerd-net.conflist (isGateway, ipMasq, promiscMode; portmap chained).
 * host-local hands out addresses in order after the last one it reserved (it does not reuse a
 * freed address at once), skipping the gateway; the bridge plugin names the host end of each
 * veth `veth` + 8 random hex digits and lets the kernel pick the MACs.
 */
export const CONTAINERD_NET: CniConfig = {
  name: 'containerd-net',
  file: '/etc/cni/net.d/10-containerd-net.conflist',
  bridge: 'cni0',
  subnet: '10.88.0.0/16',
  gateway: '10.88.0.1',
  subnet6: '2001:4860:4860::/64',
};

const mac = (hex: string): string =>
  `${((parseInt(hex.slice(0, 2), 16) & 0xfe) | 0x02).toString(16).padStart(2, '0')}:${hex.slice(2, 12).match(/../g)?.join(':') ?? ''}`;

export class SimCni implements CniNetwork {
  private results = new Map<string, CniResult>();
  private used = new Set<number>();
  private lastReserved = 1;
  private bridgeMac: string | undefined;

  constructor(
    readonly config: CniConfig = CONTAINERD_NET,
    private readonly hex: (digits: number) => string = () => '000000000000',
  ) {}

  add(containerId: string, netns: string, ifName: string): CniAddResult {
    if (this.results.has(containerId))
      return { ok: false, error: `failed to allocate for range 0: ${containerId} already has an address` };
    const host = this.allocate();
    if (host === undefined)
      return {
        ok: false,
        error: `failed to allocate for range 0: no IP addresses available in range set: 10.88.0.1-10.88.255.254`,
      };
    const bridgeCreated = this.bridgeMac === undefined;
    this.bridgeMac ??= mac(this.hex(12));
    const result: CniResult = {
      cniVersion: '1.0.0',
      interfaces: [
        { name: this.config.bridge, mac: this.bridgeMac },
        { name: `veth${this.hex(8)}`, mac: mac(this.hex(12)) },
        { name: ifName, mac: mac(this.hex(12)), sandbox: netns },
      ],
      ips: [
        {
          address: `10.88.${Math.floor(host / 256)}.${host % 256}/16`,
          gateway: this.config.gateway,
          interface: 2,
        },
        { address: `2001:4860:4860::${host.toString(16)}/64`, gateway: '2001:4860:4860::1', interface: 2 },
      ],
      routes: [{ dst: '0.0.0.0/0' }, { dst: '::/0' }],
      bridgeCreated,
    };
    this.results.set(containerId, result);
    return { ok: true, result };
  }

  del(containerId: string): CniResult | undefined {
    const result = this.results.get(containerId);
    if (!result) return undefined;
    this.results.delete(containerId);
    const v4 = result.ips[0]?.address.split('/')[0]?.split('.') ?? [];
    this.used.delete(Number(v4[2]) * 256 + Number(v4[3]));
    return result;
  }

  result(containerId: string): CniResult | undefined {
    return this.results.get(containerId);
  }

  /** host-local: the next free address after the last one reserved, wrapping round; never .0, .1 (the gateway) or the broadcast. */
  private allocate(): number | undefined {
    const size = 65_536;
    for (let i = 1; i < size; i++) {
      const host = ((((this.lastReserved - 2 + i) % (size - 3)) + (size - 3)) % (size - 3)) + 2;
      if (!this.used.has(host)) {
        this.used.add(host);
        this.lastReserved = host;
        return host;
      }
    }
    return undefined;
  }
}

/**
 * CNI: how containerd's CRI plugin gives a pod its network (https://www.cni.dev/docs/spec/).
 * The runtime execs plugin binaries from /opt/cni/bin with the command in the environment
 * (`CNI_COMMAND=ADD|DEL`, `CNI_CONTAINERID`, `CNI_NETNS`, `CNI_IFNAME`) and the network's
 * configuration on stdin; an ADD answers with the interfaces and addresses it made, as JSON.
 *
 * Lifecycle: the CRI plugin creates the pod's network namespace (`/var/run/netns/cni-…`), then
 * ADDs it to every configured network — go-cni's loopback network first (`lo`), then the first
 * conflist of /etc/cni/net.d, whose plugins run in order, each given the previous one's result.
 * At StopPodSandbox it DELs the networks again (a conflist's plugins in reverse order) and
 * removes the namespace.
 *
 * Glossary: *conflist* — a network configuration with a list of plugins; *bridge* — the plugin
 * that plugs a veth pair into a Linux bridge; *host-local* — the IPAM plugin that keeps the
 * addresses it handed out in files on the host; *portmap* — the plugin that turns the pod's
 * hostPort mappings into iptables DNAT rules.
 */
export interface CniConfig {
  /** The conflist's name and file: containerd's own example, 10-containerd-net.conflist. */
  name: string;
  file: string;
  bridge: string;
  subnet: string;
  gateway: string;
  subnet6: string;
}

export interface CniInterface {
  name: string;
  mac: string;
  /** The namespace the interface is in; absent for the host's own. */
  sandbox?: string;
}

export interface CniResult {
  cniVersion: string;
  interfaces: CniInterface[];
  /** Index into `interfaces` (the pod's eth0) for each address. */
  ips: { address: string; gateway: string; interface: number }[];
  routes: { dst: string }[];
  /** Whether this ADD created the bridge (the first pod on the node). */
  bridgeCreated: boolean;
}

export type CniAddResult = { ok: true; result: CniResult } | { ok: false; error: string };

export interface CniNetwork {
  readonly config: CniConfig;
  /** The bridge plugin with host-local IPAM: veth pair, addresses, routes, masquerading. */
  add(containerId: string, netns: string, ifName: string): CniAddResult;
  /** Undo `add`; returns what was released, or undefined when the container had nothing. */
  del(containerId: string): CniResult | undefined;
  result(containerId: string): CniResult | undefined;
}

// createEndpoint: a container's attachment to the bridge, made after its init exists, as
// libnetwork does from Engine 26 on (moby daemon/start_linux.go initializeCreatedTask: after
// Tasks.Create, SetKey on /proc/<pid>/ns/net, then CreateEndpoint and Join before Tasks.Start;
// libnetwork/sandbox_linux.go, osl/interface_linux.go, drivers/bridge/bridge_linux.go):
//  1. an address from IPAM, the endpoint recorded as pending in the state file before any host
//     work (an engine that dies half way removes what it left when it starts again);
//  2. the sandbox: the init's netns bind-mounted to `<netns dir>/<sandbox id[:12]>` (SetKey);
//  3. a veth pair, host end `vethXXXXXXX` on the bridge and up, the peer moved into the sandbox,
//     renamed eth0, with its MAC and address, up; lo up; the default route via the gateway;
//  4. a DNAT rule per published port, after binding the port once on the host to see it is free
//     (hostPorts.ts);
//  5. the endpoint recorded (everything its removal needs) and its /etc/hosts entry added.
// Anything that fails undoes what was done before it.
import { readFile } from 'node:fs/promises';
import { ipBatch } from './exec.ts';
import { addHostsEntry } from './etcFiles.ts';
import { endpointId, macOf, netnsFile, vethName } from './names.ts';
import type { BridgeNetwork } from './network.ts';
import { bindNetns, inodeOf } from './netns.ts';
import { checkHostPort } from './hostPorts.ts';
import { clashes, dnatRule, type PortSpec } from './portRules.ts';
import { removeEndpointParts } from './deleteEndpoint.ts';
import { addRule, ruleText } from './rules.ts';
import { allEndpoints, allocate, omit, saveState, type EndpointRecord } from './store.ts';
import { parseCidr } from './subnet.ts';

export interface EndpointRequest {
  containerId: string;
  sandboxId: string;
  /** The container's init: its network namespace becomes the sandbox's. */
  pid: number;
  ports: PortSpec[];
  /** The endpoint's name: the container's. */
  name: string;
  /** The container's /etc/hosts (etcFiles.ts) and hostname: the address's line is added. */
  hosts?: { path: string; hostname: string; domainname?: string };
  /** The network's name, as its errors say it (`bridge` when absent). */
  network?: string;
  /**
   * The sandbox's second or later endpoint (a container on several networks): its interface is
   * eth1, eth2…, its namespace is bound already (by the first endpoint) and its default route stays
   * the first endpoint's, as libnetwork keeps one gateway endpoint per sandbox.
   */
  more?: { ifName: string };
  /** The names the embedded DNS server answers with this address (a user-defined network's endpoint). */
  dnsNames?: string[];
}

/** What createEndpoint did, as observed. */
export interface EndpointEvidence extends EndpointRecord {
  bridge: string;
  ifName: string;
  netnsInode: number;
  /** Whether the sandbox's lo has ::1 (libnetwork's IPv6LoEnabled: the hosts file's IPv6 lines). */
  ipv6Lo: boolean;
  /** The rules added, as the commands that added them. */
  rulesText: string[];
}

async function reserve(net: BridgeNetwork, req: EndpointRequest): Promise<EndpointRecord> {
  return net.serial.run(async () => {
    const state = net.ready();
    if (state.endpoints[req.containerId] !== undefined || state.pending[req.containerId] !== undefined)
      throw new Error(`endpoint with name ${req.name} already exists in network ${req.network ?? 'bridge'}`);
    const id = endpointId();
    for (const port of req.ports)
      if (allEndpoints(state).some((other) => other.ports.some((p) => clashes(p, port))))
        throw new Error(
          `driver failed programming external connectivity on endpoint ${req.name} (${id}): Bind for ${port.hostIp || '0.0.0.0'}:${port.hostPort} failed: port is already allocated`,
        );
    const ip = allocate(state);
    const e: EndpointRecord = {
      containerId: req.containerId,
      endpointId: id,
      sandboxId: req.sandboxId,
      name: req.name,
      ip,
      prefixLen: parseCidr(state.subnet).prefixLen,
      gateway: state.gateway,
      mac: macOf(ip),
      hostVeth: vethName(),
      peerVeth: vethName(),
      netns: netnsFile(net.cfg.netnsDir, req.sandboxId),
      ports: req.ports,
      rules: req.ports.map((port) => dnatRule(net.cfg.natChain, ip, port)),
      ...(req.more === undefined ? {} : { ifName: req.more.ifName, sharedNetns: true }),
      ...(req.dnsNames === undefined ? {} : { dnsNames: req.dnsNames }),
    };
    state.pending[req.containerId] = e;
    await saveState(net.cfg.stateFile, state);
    return e;
  });
}

/**
 * The veth pair, its peer made directly in the sandbox (one netlink request, as
 * `ip link add … peer … netns FILE`), then the sandbox's side: renamed eth0, addressed, up, lo up,
 * the default route.
 */
async function plumb(net: BridgeNetwork, e: EndpointRecord): Promise<void> {
  const ifName = e.ifName ?? 'eth0';
  await ipBatch([
    `link add name ${e.hostVeth} mtu 1500 type veth peer name ${e.peerVeth} mtu 1500 address ${e.mac} netns ${e.netns}`,
    `link set ${e.hostVeth} master ${net.cfg.bridge}`,
    // Hairpin: a container reaching its own published port (through the gateway) gets the
    // DNATed frame back on the port it came from (libnetwork sets it without the userland proxy).
    `link set ${e.hostVeth} type bridge_slave hairpin on`,
    `link set ${e.hostVeth} up`,
  ]);
  await ipBatch(
    [
      `link set ${e.peerVeth} name ${ifName}`,
      `addr add ${e.ip}/${e.prefixLen} brd + dev ${ifName}`,
      `link set ${ifName} up`,
      'link set lo up',
      ...(e.sharedNetns === true ? [] : [`route add default via ${e.gateway} dev ${ifName}`]),
    ],
    e.netns,
  );
}

async function ipv6LoOf(pid: number): Promise<boolean> {
  try {
    const lines = (await readFile(`/proc/${pid}/net/if_inet6`, 'utf8')).split('\n');
    return lines.some((line) => line.trim().split(/\s+/).at(-1) === 'lo');
  } catch {
    return false;
  }
}

/** Every published port bound once on the host (a port another process holds fails the endpoint). */
async function checkHostPorts(req: EndpointRequest, e: EndpointRecord): Promise<void> {
  try {
    for (const port of req.ports) await checkHostPort(port);
  } catch (error) {
    throw new Error(
      `driver failed programming external connectivity on endpoint ${req.name} (${e.endpointId}): ${(error as Error).message}`,
      { cause: error },
    );
  }
}

export async function createEndpoint(net: BridgeNetwork, req: EndpointRequest): Promise<EndpointEvidence> {
  const e = await reserve(net, req);
  let netnsInode: number;
  try {
    // The sandbox and the port rules do not depend on each other: made side by side. A port rule
    // names the new address, so it cannot be there already (a half-made endpoint's is swept).
    await checkHostPorts(req, e);
    [netnsInode] = await Promise.all([
      e.sharedNetns === true ? inodeOf(e.netns) : bindNetns(req.pid, e.netns),
      Promise.all(e.rules.map(addRule)),
    ]);
    await plumb(net, e);
    await net.serial.run(async () => {
      const state = net.ready();
      state.pending = omit(state.pending, e.containerId);
      state.endpoints[e.containerId] = e;
      await saveState(net.cfg.stateFile, state);
    });
    if (req.hosts !== undefined)
      await addHostsEntry(req.hosts.path, e.ip, req.hosts.hostname, req.hosts.domainname);
  } catch (error) {
    await removeEndpointParts(e).catch(() => undefined);
    await net.serial.run(async () => {
      const state = net.ready();
      state.pending = omit(state.pending, e.containerId);
      state.endpoints = omit(state.endpoints, e.containerId);
      await saveState(net.cfg.stateFile, state);
    });
    throw error;
  }
  return {
    ...e,
    bridge: net.cfg.bridge,
    ifName: e.ifName ?? 'eth0',
    netnsInode,
    ipv6Lo: await ipv6LoOf(req.pid),
    rulesText: e.rules.map(ruleText),
  };
}

// Published ports (`-p HOST:CONTAINER`) as the bridge driver programs them without the userland
// proxy (moby libnetwork/drivers/bridge, `--userland-proxy=false`): a DNAT rule per port in the
// engine's nat chain, which PREROUTING and OUTPUT reach for local destinations. The masquerading
// that makes loopback and container-to-published-port traffic come back is the bridge's
// (chains.ts), not per port.
import type { Rule } from './rules.ts';

export interface PortSpec {
  hostIp: string;
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp';
}

export function dnatRule(natChain: string, ip: string, port: PortSpec): Rule {
  const dest = port.hostIp === '' || port.hostIp === '0.0.0.0' ? [] : ['-d', `${port.hostIp}/32`];
  return [
    '-t',
    'nat',
    '-A',
    natChain,
    ...dest,
    '-p',
    port.protocol,
    '-m',
    port.protocol,
    '--dport',
    String(port.hostPort),
    '-j',
    'DNAT',
    '--to-destination',
    `${ip}:${port.containerPort}`,
  ];
}

/** Two bindings that want the same host port and protocol (a wildcard address clashes with any). */
export function clashes(a: PortSpec, b: PortSpec): boolean {
  const wild = (p: PortSpec): boolean => p.hostIp === '' || p.hostIp === '0.0.0.0';
  return (
    a.hostPort === b.hostPort && a.protocol === b.protocol && (wild(a) || wild(b) || a.hostIp === b.hostIp)
  );
}

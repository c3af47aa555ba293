import { parseGoUint } from './goValues.ts';
import type { PortPublish } from './types.ts';

/**
 * `-p`/`--publish`, as docker/cli reads it: cli/command/container/opts.go
 * `convertToStandardNotation`, then go-connections nat.go `ParsePortSpec`
 * (https://github.com/docker/go-connections/blob/main/nat/nat.go). Accepted forms:
 * `80`, `8080:80`, `127.0.0.1:8080:80`, `127.0.0.1::80`, `[::1]:8080:80/udp`, `8000-8001:80-81`,
 * `8080-8090:80` (the daemon picks a host port in the range), and the long form
 * `published=8080,target=80,protocol=udp`. Errors carry go-connections' texts.
 */
export function parsePublish(specs: readonly string[]): PortPublish[] {
  return specs.flatMap((spec) => parsePortSpec(standardNotation(spec)));
}

function standardNotation(publish: string): string {
  if (!publish.includes('=')) return publish;
  const params: Record<string, string> = { protocol: 'tcp' };
  for (const param of publish.split(',')) {
    const eq = param.indexOf('=');
    if (eq <= 0) throw new Error(`invalid publish opts format (should be name=value but got '${param}')`);
    params[param.slice(0, eq)] = param.slice(eq + 1);
  }
  return `${params.published ?? ''}:${params.target ?? ''}/${params.protocol ?? ''}`;
}

function splitParts(raw: string): [ip: string, hostPort: string, containerPort: string] {
  const parts = raw.split(':');
  const n = parts.length;
  const last = parts[n - 1] ?? '';
  if (n === 1) return ['', '', last];
  if (n === 2) return ['', parts[0] ?? '', last];
  return [parts.slice(0, n - 2).join(':'), parts[n - 2] ?? '', last];
}

/** nat.SplitProtoPort: `80/udp` → [udp, 80]; no protocol means tcp. */
function splitProtoPort(raw: string): [proto: string, port: string] {
  const parts = raw.split('/');
  const port = parts[0] ?? '';
  if (raw === '' || port === '') return ['', ''];
  if (parts.length === 1) return ['tcp', raw];
  const proto = parts[1] ?? '';
  return [proto === '' ? 'tcp' : proto, port];
}

/** nat.ParsePortRange: `80` or `80-90`, each a 16-bit decimal. */
function parsePortRange(ports: string): [number, number] {
  if (ports === '') throw new Error('empty string specified for ports');
  if (!ports.includes('-')) {
    const port = parseGoUint(ports, 16, 10);
    return [port, port];
  }
  const [first = '', second = ''] = ports.split('-');
  const start = parseGoUint(first, 16, 10);
  const end = parseGoUint(second, 16, 10);
  if (end < start) throw new Error(`invalid range specified for port: ${ports}`);
  return [start, end];
}

function rangeOr(ports: string, message: string): [number, number] {
  try {
    return parsePortRange(ports);
  } catch {
    throw new Error(message);
  }
}

function parsePortSpec(raw: string): PortPublish[] {
  const [rawIp, hostPort, rawContainer] = splitParts(raw);
  const [proto, containerPort] = splitProtoPort(rawContainer);
  const ip = rawIp.startsWith('[') ? stripBrackets(rawIp) : rawIp;
  if (ip !== '' && !isGoIP(ip)) throw new Error(`invalid IP address: ${ip}`);
  if (containerPort === '') throw new Error(`no port specified: ${raw}<empty>`);
  const [start, end] = rangeOr(containerPort, `invalid containerPort: ${containerPort}`);
  const [hostStart, hostEnd] = hostPort === '' ? [0, 0] : rangeOr(hostPort, `invalid hostPort: ${hostPort}`);
  if (hostPort !== '' && end - start !== hostEnd - hostStart && end !== start) {
    throw new Error(
      `invalid ranges specified for container and host Ports: ${containerPort} and ${hostPort}`,
    );
  }
  const protocol = proto.toLowerCase();
  if (protocol !== 'tcp' && protocol !== 'udp' && protocol !== 'sctp')
    throw new Error(`invalid proto: ${proto}`);
  const mappings: PortPublish[] = [];
  for (let i = 0; i <= end - start; i += 1) {
    const mapping: PortPublish = { containerPort: start + i, protocol };
    if (ip !== '') mapping.hostIp = ip;
    if (hostPort !== '') mapping.hostPort = hostStart + i;
    // A single container port with a host range: the daemon allocates within the range.
    if (start === end && hostStart !== hostEnd) mapping.hostPortEnd = hostEnd;
    mappings.push(mapping);
  }
  return mappings;
}

/** `net.SplitHostPort(ip + ":")` as nat.go uses it to strip `[…]` from an IPv6 address. */
function stripBrackets(ip: string): string {
  const hostport = `${ip}:`;
  const fail = (why: string): Error => new Error(`invalid IP address ${ip}: address ${hostport}: ${why}`);
  const end = hostport.indexOf(']');
  if (end < 0) throw fail("missing ']' in address");
  if (hostport.charAt(end + 1) !== ':') throw fail('missing port in address');
  const host = hostport.slice(1, end);
  if (host.includes('[')) throw fail("unexpected '[' in address");
  if (hostport.slice(end + 1).includes(']')) throw fail("unexpected ']' in address");
  return host;
}

/** net.ParseIP: dotted IPv4 (no leading zeros since Go 1.17) or RFC 4291 IPv6. */
export function isGoIP(s: string): boolean {
  return isIPv4(s) || isIPv6(s);
}

function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

function isIPv6(s: string): boolean {
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groups = (half: string): string[] => (half === '' ? [] : half.split(':'));
  const all = halves.flatMap(groups);
  const last = all[all.length - 1];
  const v4 = last !== undefined && last.includes('.');
  if (v4 && !isIPv4(last)) return false;
  const hex = v4 ? all.slice(0, -1) : all;
  if (!hex.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const width = hex.length + (v4 ? 2 : 0);
  return halves.length === 2 ? width < 8 : width === 8;
}

/**
 * `docker ps`: the default table and `-q`, as docker/cli 28 renders `GET /containers/json`.
 * https://github.com/docker/cli/blob/v28.2.2/cli/command/formatter/container.go
 * https://github.com/docker/cli/blob/v28.2.2/cli/command/container/list.go
 */
import type { JsonObject } from '../../model/json.ts';
import { familiarString, parseNormalizedNamed } from './reference.ts';
import { tabwrite } from './tabwriter.ts';
import { ellipsis, truncateId } from './text.ts';
import { humanDuration } from './units.ts';

/** One entry of `Ports` (Engine API `Port`): IP and PublicPort only when published. */
export interface PortSummary {
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  Type: 'tcp' | 'udp' | 'sctp';
}

/** One entry of `Mounts` (Engine API `MountPoint`). */
export interface MountSummary {
  Type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image';
  Name?: string;
  Source: string;
  Destination: string;
  Driver?: string;
  Mode: string;
  RW: boolean;
  Propagation: string;
}

/** An element of `GET /containers/json` (Engine API 1.44 `ContainerSummary`). */
export interface ContainerSummary {
  Id: string;
  /** With the leading slash: ["/web"]. */
  Names: string[];
  Image: string;
  ImageID: string;
  Command: string;
  /** Unix seconds. */
  Created: number;
  Ports: PortSummary[];
  SizeRw?: number;
  SizeRootFs?: number;
  Labels: Record<string, string>;
  State: 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
  /** Already human text from the daemon ("Up 5 seconds"): see containerStatus(). */
  Status: string;
  HostConfig: { NetworkMode: string; Annotations?: Record<string, string> };
  /** Per network, the API's EndpointSettings object. */
  NetworkSettings: { Networks: Record<string, JsonObject> };
  Mounts: MountSummary[];
}

export interface PsOptions {
  quiet: boolean;
  noTrunc: boolean;
}

const PS_HEADER = ['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES'];

/** `docker ps` stdout. `nowSec` is the client's clock (CREATED is computed client-side). */
export function formatPs(containers: ContainerSummary[], opts: PsOptions, nowSec: number): string {
  const trunc = !opts.noTrunc;
  // -q is the non-table format "{{.ID}}": one line per container, no header, no alignment.
  if (opts.quiet) return containers.map((c) => (trunc ? truncateId(c.Id) : c.Id) + '\n').join('');
  const rows = containers.map((c) => [
    trunc ? truncateId(c.Id) : c.Id,
    psImage(c, trunc),
    psCommand(c.Command, trunc),
    `${humanDuration((nowSec - c.Created) * 1000)} ago`,
    c.Status,
    displayablePorts(c.Ports),
    psNames(c.Names, trunc),
  ]);
  return tabwrite([PS_HEADER, ...rows]);
}

/** COMMAND: cut to 20 columns (with "…") before Go-quoting, so the quotes are extra. */
export function psCommand(command: string, trunc: boolean): string {
  return goQuote(trunc ? ellipsis(command, 20) : command);
}

/**
 * NAMES: slashes stripped; when truncating, the first name without a '/' wins, which hides the
 * legacy `--link` aliases ("/web/db").
 */
export function psNames(names: string[], trunc: boolean): string {
  const stripped = names.map((n) => n.slice(1));
  if (trunc) {
    const own = stripped.find((n) => !n.includes('/'));
    if (own !== undefined) return own;
  }
  return stripped.join(',');
}

/**
 * IMAGE: an image ID shown as its short ID; a reference shown familiar, keeping the tag but
 * dropping a digest ("nginx@sha256:…" → "nginx"); anything unparsable as given.
 */
export function psImage(c: Pick<ContainerSummary, 'Image' | 'ImageID'>, trunc: boolean): string {
  if (c.Image === '') return '<no image>';
  if (!trunc) return c.Image;
  const short = truncateId(c.ImageID);
  if (short === truncateId(c.Image)) return short;
  const ref = parseNormalizedNamed(c.Image);
  if (!ref) return c.Image;
  const { domain, path, tag } = ref;
  return familiarString(tag !== undefined ? { domain, path, tag } : { domain, path });
}

/** Go's `net.JoinHostPort`: brackets around IPv6 hosts. */
function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function comparePorts(a: PortSummary, b: PortSummary): number {
  if (a.PrivatePort !== b.PrivatePort) return a.PrivatePort - b.PrivatePort;
  const ai = a.IP ?? '';
  const bi = b.IP ?? '';
  if (ai !== bi) return ai < bi ? -1 : 1;
  const ap = a.PublicPort ?? 0;
  const bp = b.PublicPort ?? 0;
  if (ap !== bp) return ap - bp;
  return a.Type === b.Type ? 0 : a.Type < b.Type ? -1 : 1;
}

function formGroup(key: string, first: number, last: number): string {
  const parts = key.split('/');
  const ip = parts.length > 1 ? (parts[0] ?? '') : '';
  const type = parts.length > 1 ? (parts[1] ?? '') : (parts[0] ?? '');
  let group = first === last ? `${first}` : `${first}-${last}`;
  if (ip !== '') group = `${joinHostPort(ip, group)}->${group}`;
  return `${group}/${type}`;
}

/**
 * PORTS (`DisplayablePorts`): sort, then merge consecutive ports of one kind into ranges
 * ("8000-8002/tcp", "0.0.0.0:80-81->80-81/tcp"); mappings to a different host port are listed
 * last, one each ("0.0.0.0:8080->80/tcp, [::]:8080->80/tcp").
 */
export function displayablePorts(ports: PortSummary[]): string {
  const groups = new Map<string, { first: number; last: number }>();
  const result: string[] = [];
  const hostMappings: string[] = [];
  for (const port of [...ports].sort(comparePorts)) {
    const current = port.PrivatePort;
    let key: string = port.Type;
    const ip = port.IP ?? '';
    if (ip !== '') {
      const pub = port.PublicPort ?? 0;
      if (pub !== current) {
        hostMappings.push(`${joinHostPort(ip, `${pub}`)}->${current}/${port.Type}`);
        continue;
      }
      key = `${ip}/${port.Type}`;
    }
    const group = groups.get(key);
    if (!group) {
      groups.set(key, { first: current, last: current });
    } else if (current === ((group.last + 1) & 0xffff)) {
      group.last = current;
    } else {
      // A gap closes the group now; the key keeps its first-seen place for the final one.
      result.push(formGroup(key, group.first, group.last));
      groups.set(key, { first: current, last: current });
    }
  }
  for (const [key, g] of groups) result.push(formGroup(key, g.first, g.last));
  return [...result, ...hostMappings].join(', ');
}

/** Go's `strconv.Quote`: double quotes, Go escapes, non-printable runes as \x/\u/\U. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    out += quoteRune(ch, cp);
  }
  return out + '"';
}

const SHORT_ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

function quoteRune(ch: string, cp: number): string {
  const short = SHORT_ESCAPES[ch];
  if (short !== undefined) return short;
  if (cp >= 0xd800 && cp <= 0xdfff) return '\\ufffd'; // a lone surrogate is invalid UTF-8 in Go
  if (isGoPrintable(cp)) return ch;
  if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}

/**
 * `strconv.IsPrint`, approximated with Unicode categories: letters, marks, numbers, punctuation,
 * symbols and U+0020 print; other spaces, controls, format and unassigned code points do not.
 */
function isGoPrintable(cp: number): boolean {
  if (cp === 0x20) return true;
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(String.fromCodePoint(cp));
}

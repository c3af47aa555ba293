// The engine's bridge network (engine/net) against the real kernel: a bridge and chains of the
// test's own (names and a subnet no route uses), two network namespaces the test makes (a sleeping
// process each, as a container's init), endpoints in them, traffic between them, to the gateway
// and to a published port from the host's loopback and from the other namespace; then removal,
// and nothing left behind. Traffic stays on loopback and inside the namespaces made here.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { run } from '../../engine/net/exec.ts';
import {
  BridgeNetwork,
  countLeaks,
  createEndpoint,
  deleteEndpoint,
  ensureBridge,
  teardown,
  writeEtcFiles,
  type EndpointEvidence,
  type EndpointRecord,
  type EtcFiles,
  type NetOptions,
} from '../../engine/net/index.ts';
import type { NetState } from '../../engine/net/store.ts';
import { realSuite } from './helpers/caps.ts';
import { labNetOptions, startInit, startInits, takeDownLab } from './helpers/netLab.ts';
import { tempDir } from './helpers/tmp.ts';
import { until } from './helpers/until.ts';

const tag = randomBytes(3).toString('hex');
const root = tempDir('net');
// The first of the /24s that no route covers is taken.
const options = (): NetOptions => labNetOptions(root.path, 'dsn', tag, [91, 92, 93, 94]);
// Below the kernel's ephemeral range (32768–60999), so the DNAT rule (which also applies to the
// host's own loopback traffic) never meets another test's server on an ephemeral port.
const hostPort = 20_000 + (parseInt(tag, 16) % 6_000);
const children: ChildProcess[] = [];
let net: BridgeNetwork;

/** A TCP server in a namespace that answers one line to each connection. */
function server(netns: string, port: number, line: string): ChildProcess {
  const code = `require('net').createServer((s) => s.end(${JSON.stringify(`${line}\n`)})).listen(${port}, () => console.log('up'))`;
  const child = spawn('nsenter', [`--net=${netns}`, process.execPath, '-e', code], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return child;
}

function readFrom(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    const socket = connect({ host, port });
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (got += chunk));
    socket.on('end', () => resolve(got));
    socket.on('error', reject);
  });
}

const inNetns = (netns: string, ...argv: string[]): Promise<string> =>
  run('nsenter', [`--net=${netns}`, ...argv]);

let a: EndpointEvidence;
let b: EndpointEvidence;
let pidA: number;
let etcB: EtcFiles;

function hooks(): void {
  beforeAll(async () => {
    net = new BridgeNetwork(options());
    const up = await ensureBridge(net);
    expect(up.created).toBe(true);
    const [initA, initB] = await startInits(children, 2);
    pidA = initA?.pid ?? 0;
    const pidB = initB?.pid ?? 0;
    etcB = await writeEtcFiles(join(root.path, 'containers', 'b'), { hostname: 'bbbbbbbbbbbb', ipv6: false });
    [a, b] = await Promise.all([
      createEndpoint(net, {
        containerId: `a${tag}`.padEnd(64, 'a'),
        sandboxId: randomBytes(32).toString('hex'),
        pid: pidA,
        ports: [],
        name: 'a',
      }),
      createEndpoint(net, {
        containerId: `b${tag}`.padEnd(64, 'b'),
        sandboxId: randomBytes(32).toString('hex'),
        pid: pidB,
        ports: [{ hostIp: '', hostPort, containerPort: 8080, protocol: 'tcp' }],
        name: 'b',
        hosts: { path: etcB.hostsPath, hostname: 'bbbbbbbbbbbb' },
      }),
    ]);
  });

  afterAll(() => takeDownLab(net, children, root));
}

function madeCases(): void {
  it('made the bridge with its gateway, and each endpoint in its own namespace', async () => {
    const state = net.ready();
    expect(state.subnet).toMatch(/^10\.251\.9\d\.0\/24$/);
    expect(state.gateway).toBe(state.subnet.replace(/0\/24$/, '1'));
    for (const [e, pid] of [[a, pidA]] as const) {
      expect(e.netnsInode).toBe(statSync(`/proc/${pid}/ns/net`).ino);
      expect(e.netns).toBe(join(options().netnsDir ?? '', e.sandboxId.slice(0, 12)));
    }
    // The hosts file gets the address once the endpoint has joined (etchosts.Add).
    expect(readFileSync(etcB.hostsPath, 'utf8')).toBe(`127.0.0.1\tlocalhost\n${b.ip}\tbbbbbbbbbbbb\n`);
    expect(etcB.mounts.map((m) => m.destination)).toEqual([
      '/etc/resolv.conf',
      '/etc/hostname',
      '/etc/hosts',
    ]);
    expect(a.hostVeth).toMatch(/^veth[0-9a-f]{7}$/);
    expect(a.mac).toBe(
      `02:42:${a.ip
        .split('.')
        .map((n) => Number(n).toString(16).padStart(2, '0'))
        .join(':')}`,
    );
    const inside = await inNetns(a.netns, 'ip', '-o', '-4', 'addr', 'show', 'dev', 'eth0');
    expect(inside).toContain(`${a.ip}/24`);
    expect(await inNetns(a.netns, 'ip', 'route')).toContain(`default via ${state.gateway} dev eth0`);
    expect(await run('ip', ['-o', 'link', 'show', 'master', net.cfg.bridge])).toContain(a.hostVeth);
    expect(b.rulesText).toEqual([
      `iptables -t nat -A ${net.cfg.natChain} -p tcp -m tcp --dport ${hostPort} -j DNAT --to-destination ${b.ip}:8080`,
    ]);
    expect(await countLeaks(net.cfg)).toMatchObject({
      veths: 2,
      netnsFiles: 2,
      portRules: 1,
      bridge: true,
      chains: 3,
      jumps: 4,
    });
  });
}

function trafficCases(): void {
  it('the namespaces reach each other and the gateway', async () => {
    const gateway = net.ready().gateway;
    await inNetns(a.netns, 'busybox', 'ping', '-c', '1', '-W', '10', b.ip);
    await inNetns(b.netns, 'busybox', 'ping', '-c', '1', '-W', '10', a.ip);
    await inNetns(a.netns, 'busybox', 'ping', '-c', '1', '-W', '10', gateway);
  });

  it('a published port answers from the host’s loopback, from another container and from itself', async () => {
    const srv = server(b.netns, 8080, `hello from ${b.ip}`);
    await new Promise<void>((resolve) => srv.stdout?.once('data', () => resolve()));
    expect(await readFrom('127.0.0.1', hostPort)).toBe(`hello from ${b.ip}\n`);
    const gateway = net.ready().gateway;
    const nc = (netns: string) => inNetns(netns, 'busybox', 'nc', '-w', '10', gateway, String(hostPort));
    expect(await nc(a.netns)).toBe(`hello from ${b.ip}\n`);
    expect(await nc(b.netns)).toBe(`hello from ${b.ip}\n`);
    srv.kill('SIGKILL');
  });
}

function lifecycleCases(): void {
  it('a clashing port or a pid with no process fails and leaves nothing behind', async () => {
    const before = await countLeaks(net.cfg);
    const request = { containerId: 'd'.repeat(64), sandboxId: 'd'.repeat(64), pid: pidA, name: 'd' };
    const clash = { hostIp: '', hostPort, containerPort: 80, protocol: 'tcp' as const };
    await expect(createEndpoint(net, { ...request, ports: [clash] })).rejects.toThrow(
      new RegExp(`Bind for 0.0.0.0:${hostPort} failed: port is already allocated`),
    );
    // A port another process of the host listens on (here on loopback) is refused as dockerd 28+ does.
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(hostPort + 2, '127.0.0.1', resolve));
    const held = { ...clash, hostPort: hostPort + 2 };
    await expect(createEndpoint(net, { ...request, ports: [held] })).rejects.toThrow(
      new RegExp(
        `\\(\\w{64}\\): failed to bind host port 0.0.0.0:${hostPort + 2}/tcp: address already in use`,
      ),
    );
    await new Promise((resolve) => holder.close(resolve));
    // Above the kernel's largest pid_max (2^22): no such process.
    await expect(createEndpoint(net, { ...request, pid: 2 ** 22 + 1, ports: [] })).rejects.toThrow(/mount/);
    expect(await countLeaks(net.cfg)).toEqual(before);
    expect(net.ready().pending).toEqual({});
    expect(Object.keys(net.ready().endpoints)).toHaveLength(2);
  });

  it('a restarted engine finds the bridge, the addresses taken and the endpoints', async () => {
    const again = new BridgeNetwork(options());
    const up = await ensureBridge(again);
    expect(up).toMatchObject({ created: false, subnet: net.ready().subnet, added: [] });
    expect(Object.keys(again.ready().endpoints).sort()).toEqual([a.containerId, b.containerId].sort());
    const saved = JSON.parse(readFileSync(net.cfg.stateFile, 'utf8')) as {
      endpoints: Record<string, { ip: string }>;
    };
    expect(saved.endpoints[b.containerId]?.ip).toBe(b.ip);
    net = again;
  });

  it('deleting endpoints removes veths, netns files and rules, also when the init is gone; again is a no-op', async () => {
    const first = children[0];
    first?.kill('SIGKILL');
    await until(() => first?.exitCode !== null || first.signalCode !== null, 'the first init to die');
    expect((await deleteEndpoint(net, a.containerId))?.ip).toBe(a.ip);
    expect((await deleteEndpoint(net, b.containerId))?.ip).toBe(b.ip);
    expect(await deleteEndpoint(net, b.containerId)).toBeUndefined();
    expect(await countLeaks(net.cfg)).toMatchObject({ veths: 0, netnsFiles: 0, portRules: 0 });
    // The address goes back to the pool: the next endpoint gets the lowest free one again.
    const { pid } = await startInit(children);
    const c = await createEndpoint(net, {
      containerId: 'c'.repeat(64),
      sandboxId: 'c'.repeat(64),
      pid,
      ports: [],
      name: 'c',
    });
    expect(c.ip).toBe([a.ip, b.ip].sort()[0]);
    await deleteEndpoint(net, c.containerId);
  });
}

function endCases(): void {
  it('an engine that died while making an endpoint: the next one removes what it left', async () => {
    const before = await countLeaks(net.cfg);
    const { pid } = await startInit(children);
    const d = await createEndpoint(net, {
      containerId: 'd'.repeat(64),
      sandboxId: 'd'.repeat(64),
      pid,
      ports: [{ hostIp: '', hostPort: hostPort + 1, containerPort: 80, protocol: 'tcp' }],
      name: 'd',
    });
    // As if the engine had died before recording it: the state file still calls it pending.
    const saved = JSON.parse(readFileSync(net.cfg.stateFile, 'utf8')) as NetState;
    const { [d.containerId]: made, ...others } = saved.endpoints;
    writeFileSync(
      net.cfg.stateFile,
      JSON.stringify({ ...saved, endpoints: others, pending: { [d.containerId]: made as EndpointRecord } }),
    );
    expect(await countLeaks(net.cfg)).toMatchObject({
      veths: before.veths + 1,
      portRules: before.portRules + 1,
    });
    const again = new BridgeNetwork(options());
    expect((await ensureBridge(again)).swept).toEqual([d.containerId]);
    expect(await countLeaks(net.cfg)).toEqual(before);
    expect(again.ready().pending).toEqual({});
    net = again;
  });

  it('teardown removes the bridge, the chains and the jumps', async () => {
    await teardown(net);
    expect(await countLeaks(net.cfg)).toEqual({
      veths: 0,
      netnsFiles: 0,
      portRules: 0,
      bridge: false,
      chains: 0,
      jumps: 0,
    });
  });
}

realSuite(
  'the engine’s bridge network on the real kernel',
  ['root', 'iproute2', 'iptables', 'busybox'],
  () => {
    hooks();
    madeCases();
    trafficCases();
    lifecycleCases();
    endCases();
  },
);

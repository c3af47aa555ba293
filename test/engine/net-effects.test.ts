// The Network machine's effects (src/layers/network/networkEffects.ts), simulated and real
// (engine/real/network.ts over engine/net), for the same requests: both bring back an endpoint of
// the same shape (address in the bridge's subnet, veth, sandbox named after the sandbox id, the
// rules added), a second connect of a container fails, and a disconnect answers the endpoint
// once, then none. The real one works on a bridge of the test's own and a namespace it made.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createActor, toPromise, type AnyActorLogic } from 'xstate';
import { BridgeNetwork, countLeaks, ensureBridge } from '../../engine/net/index.ts';
import { RealBridgeView, realNetworkEffects } from '../../engine/real/network.ts';
import {
  simNetworkEffects,
  type ConnectEvidence,
  type ConnectInput,
  type DisconnectEvidence,
} from '../../src/layers/network/networkEffects.ts';
import { simPorts } from '../../src/sim/world.ts';
import { VirtualClock } from '../../src/wire/clock.ts';
import { SeededIds } from '../../src/wire/ids.ts';
import { realSuite } from './helpers/caps.ts';
import { labNetOptions, startInit, takeDownLab, type Init } from './helpers/netLab.ts';
import { tempDir } from './helpers/tmp.ts';

const tag = randomBytes(3).toString('hex');
const root = tempDir('net-effects');
let net: BridgeNetwork;
let init: Init;
const inits: ChildProcess[] = [];
let requests = 0;
/** The simulated bridge the simulated effects work on (real ones ignore it and use the engine's). */
const driver = simPorts(new VirtualClock(), new SeededIds(1)).network;

type Effects = Record<'connectEndpoint' | 'disconnectEndpoint', AnyActorLogic>;

async function run<T>(
  effects: Effects,
  name: keyof Effects,
  p: Omit<ConnectInput, 'requestId' | 'driver'>,
): Promise<T> {
  const actor = createActor(effects[name], { input: { ...p, requestId: ++requests, driver } });
  const outcome = toPromise(actor);
  actor.start();
  return (await outcome) as T;
}

const containerId = 'e'.repeat(64);
const sandboxId = 'f0'.repeat(32);
const ports = [
  {
    hostIp: '',
    // Below the kernel's ephemeral range (32768–60999): no other test's loopback server is there.
    hostPort: 26_000 + (parseInt(tag, 16) % 3_000),
    containerPort: 80,
    protocol: 'tcp' as const,
  },
];

async function both(
  effects: Effects,
  pid: number,
): Promise<{ made: ConnectEvidence; gone: DisconnectEvidence }> {
  const made = await run<ConnectEvidence>(effects, 'connectEndpoint', {
    containerId,
    sandboxId,
    pid,
    ports,
    name: 'web',
  });
  await expect(
    run(effects, 'connectEndpoint', { containerId, sandboxId, pid, ports: [], name: 'web' }),
  ).rejects.toThrow(/endpoint with name/);
  const gone = await run<DisconnectEvidence>(effects, 'disconnectEndpoint', { containerId });
  expect(await run<DisconnectEvidence>(effects, 'disconnectEndpoint', { containerId })).toEqual({});
  return { made, gone };
}

function checkShape(e: ConnectEvidence, gateway: string, netnsDir: string): void {
  expect(e).toMatchObject({
    containerId,
    network: 'bridge',
    gateway,
    ports,
    sandbox: `${netnsDir}/${sandboxId.slice(0, 12)}`,
  });
  expect(e.ip.split('.').slice(0, 3)).toEqual(gateway.split('.').slice(0, 3));
  expect(e.hostVeth).toMatch(/^veth[0-9a-f]{7}$/);
  expect(e.rules).toHaveLength(1);
  expect(e.rules[0]).toMatch(
    new RegExp(`--dport ${ports[0]?.hostPort} -j DNAT --to(-destination)? ${e.ip.replace(/\./g, '\\.')}:80`),
  );
}

realSuite('the Network machine’s effects, simulated and real', ['root', 'iproute2', 'iptables'], () => {
  beforeAll(async () => {
    net = new BridgeNetwork(labNetOptions(root.path, 'dse', tag, [81, 82, 83]));
    await ensureBridge(net);
    init = await startInit(inits);
  });

  afterAll(() => takeDownLab(net, inits, root));

  it('simulated: an endpoint on docker0, its sandbox named after the sandbox id', async () => {
    const { made, gone } = await both(simNetworkEffects, 4242);
    checkShape(made, '172.17.0.1', '/var/run/docker/netns');
    expect(made.bridge).toBe('docker0');
    const { bridge: _bridge, rules: _rules, ...endpoint } = made;
    expect(gone.endpoint).toEqual(endpoint);
  });

  it('real: the same evidence from the host, the hosts line added, nothing left after the disconnect', async () => {
    const dir = join(root.path, 'containers', containerId);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'hosts'), '127.0.0.1\tlocalhost\n');
    const effects = realNetworkEffects(net, { containersDir: join(root.path, 'containers') });
    const { made, gone } = await both(effects, init.pid ?? 0);
    checkShape(made, net.ready().gateway, join(root.path, 'netns'));
    expect(made.bridge).toBe(`dse${tag}`);
    expect(made.netnsInode).toBeGreaterThan(0);
    expect(made.networkId).toMatch(/^[0-9a-f]{64}$/);
    expect(gone.endpoint?.ip).toBe(made.ip);
    expect(new RealBridgeView(net).bridge).toEqual({
      name: `dse${tag}`,
      id: made.networkId,
      subnet: net.ready().subnet,
      gateway: net.ready().gateway,
    });
    expect(readFileSync(join(dir, 'hosts'), 'utf8')).toBe(`127.0.0.1\tlocalhost\n${made.ip}\teeeeeeeeeeee\n`);
    expect(await countLeaks(net.cfg)).toMatchObject({ veths: 0, netnsFiles: 0, portRules: 0 });
  });

  it('real: no pid, no endpoint (it is made after Tasks.Create)', async () => {
    const effects = realNetworkEffects(net);
    await expect(run(effects, 'connectEndpoint', { containerId, sandboxId, ports: [] })).rejects.toThrow(
      /no init pid/,
    );
  });
});

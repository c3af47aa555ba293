// The Network machine with its real effects (networkMachine.provide({ actors: realNetworkEffects })),
// as the engine's world will run it: a `net.connect` for a container whose init runc has made
// (here a process asleep in a namespace of the test's own) is answered, once the host's work is
// done, with what was observed — the veth, the netns file named after the sandbox id, the address,
// the rules — and a `net.disconnect` removes it. A bridge and chains of the test's own.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createActor, fromCallback, type AnyActorRef } from 'xstate';
import { BridgeNetwork, countLeaks, ensureBridge } from '../../engine/net/index.ts';
import { realNetworkEffects } from '../../engine/real/network.ts';
import { networkMachine } from '../../src/layers/network/networkMachine.ts';
import { draft } from '../../src/layers/post.ts';
import type { Message } from '../../src/model/message.ts';
import { simPorts } from '../../src/sim/world.ts';
import { VirtualClock } from '../../src/wire/clock.ts';
import { SeededIds } from '../../src/wire/ids.ts';
import { Wire } from '../../src/wire/wire.ts';
import { realSuite } from './helpers/caps.ts';
import { labNetOptions, startInit, takeDownLab, type Init } from './helpers/netLab.ts';
import { tempDir } from './helpers/tmp.ts';
import { until } from './helpers/until.ts';

const tag = randomBytes(3).toString('hex');
const root = tempDir('net-machine');
let net: BridgeNetwork;
let init: Init;
const inits: ChildProcess[] = [];
let network: AnyActorRef;
let client: AnyActorRef;
const clock = new VirtualClock();
const wire = new Wire(clock);
const replies: Message[] = [];

/** Posts a request to the Network participant and delivers messages until its answer comes. */
async function ask(op: string, payload: Record<string, unknown>): Promise<Message> {
  const id = wire.request(client, draft('dockerd', 'Network', op, op, { payload: payload as never }));
  wire.deliverNext();
  await until(() => {
    while (wire.pending() > 0) wire.deliverNext();
    return replies.some((r) => r.inReplyTo === id);
  }, `the answer to ${op}`);
  return replies.find((r) => r.inReplyTo === id) as Message;
}

/** The test's bridge, the machine with its real effects on the wire, a client, an init. */
async function setUp(): Promise<void> {
  net = new BridgeNetwork(labNetOptions(root.path, 'dsm', tag, [41, 42, 43]));
  await ensureBridge(net);
  const machine = networkMachine.provide({ actors: realNetworkEffects(net) });
  network = createActor(machine, {
    input: { wire, ports: simPorts(clock, new SeededIds(1)), profile: 'v29' },
  }).start();
  wire.register('Network', network);
  client = createActor(
    fromCallback<{ type: 'reply'; msg: Message }>(({ receive }) => receive((e) => replies.push(e.msg))),
  ).start();
  init = await startInit(inits);
}

realSuite('the Network machine with real effects', ['root', 'iproute2', 'iptables'], () => {
  beforeAll(setUp);

  afterAll(async () => {
    network?.stop();
    client?.stop();
    await takeDownLab(net, inits, root);
  });

  it('connect answers with the real endpoint; disconnect removes it; a second disconnect is NotFound', async () => {
    const containerId = 'ab'.repeat(32);
    const sandboxId = 'cd'.repeat(32);
    const ports = [
      { hostIp: '', hostPort: 29_000 + (parseInt(tag, 16) % 3_000), containerPort: 80, protocol: 'tcp' },
    ];
    const connected = await ask('net.connect', { containerId, name: 'web', ports, pid: init.pid, sandboxId });
    expect(connected.ok).not.toBe(false);
    const p = connected.payload as { ip: string; sandbox: string; netnsInode: number; rules: string[] };
    expect(p.sandbox).toBe(join(root.path, 'netns', 'cdcdcdcdcdcd'));
    expect(p.netnsInode).toBeGreaterThan(0);
    expect(connected.call).toContain(`master dsm${tag}; eth0 ${p.ip}/24 in ${p.sandbox}`);
    expect(connected.call).toContain(`--to-destination ${p.ip}:80`);
    expect(await countLeaks(net.cfg)).toMatchObject({ veths: 1, netnsFiles: 1, portRules: 1 });
    const disconnected = await ask('net.disconnect', { containerId });
    expect(disconnected.ok).not.toBe(false);
    expect(disconnected.call).toMatch(
      new RegExp(`^ip link del veth[0-9a-f]{7}; release ${p.ip.replace(/\./g, '\\.')}$`),
    );
    expect(await countLeaks(net.cfg)).toMatchObject({ veths: 0, netnsFiles: 0, portRules: 0 });
    const again = await ask('net.disconnect', { containerId });
    expect(again).toMatchObject({ ok: false, status: 'NotFound' });
  });

  it('a connect the host refuses is answered with its error', async () => {
    const failed = await ask('net.connect', {
      containerId: 'ef'.repeat(32),
      sandboxId: 'ef'.repeat(32),
      ports: [],
    });
    expect(failed.ok).toBe(false);
    expect(failed.call).toMatch(/no init pid/);
  });
});

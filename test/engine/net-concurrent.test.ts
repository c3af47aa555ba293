// Twenty containers joining the engine's bridge at once, as twenty concurrent `docker run -d -p`
// would: every endpoint gets its own address, veth, netns file and port rule; removing them all at
// once leaves nothing on the host. A bridge, chains and namespaces of the test's own.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import {
  BridgeNetwork,
  countLeaks,
  createEndpoint,
  deleteEndpoint,
  ensureBridge,
} from '../../engine/net/index.ts';
import { realSuite } from './helpers/caps.ts';
import { tempDir } from './helpers/tmp.ts';
import { labNetOptions, startInits, takeDownLab } from './helpers/netLab.ts';

const COUNT = 20;
const tag = randomBytes(3).toString('hex');
const root = tempDir('net-concurrent');
const inits: ChildProcess[] = [];
let net: BridgeNetwork | undefined;

realSuite('twenty endpoints at once on the engine’s bridge', ['root', 'iproute2', 'iptables'], () => {
  afterAll(() => takeDownLab(net, inits, root));

  it('all get distinct addresses, veths and netns files, and all go without a trace', async () => {
    const bridge = new BridgeNetwork(labNetOptions(root.path, 'dsc', tag, [71, 72, 73]));
    net = bridge;
    await ensureBridge(bridge);
    await startInits(inits, COUNT);
    // Below the kernel's ephemeral range (32768–60999): no other test's loopback server is there.
    const base = 10_000 + (parseInt(tag, 16) % 8_000);
    const made = await Promise.all(
      inits.map((init, i) =>
        createEndpoint(bridge, {
          containerId: `${i}`.padStart(64, 'c'),
          sandboxId: randomBytes(32).toString('hex'),
          pid: init.pid ?? 0,
          ports: [{ hostIp: '', hostPort: base + i, containerPort: 80, protocol: 'tcp' }],
          name: `c${i}`,
        }),
      ),
    );
    expect(new Set(made.map((e) => e.ip)).size).toBe(COUNT);
    expect(new Set(made.map((e) => e.hostVeth)).size).toBe(COUNT);
    expect(new Set(made.map((e) => e.netnsInode)).size).toBe(COUNT);
    expect(await countLeaks(bridge.cfg)).toMatchObject({ veths: COUNT, netnsFiles: COUNT, portRules: COUNT });
    // The lowest addresses, each once: .2 to .21 (the gateway is .1).
    const hosts = made.map((e) => Number(e.ip.split('.')[3])).sort((a, b) => a - b);
    expect(hosts).toEqual(Array.from({ length: COUNT }, (_, i) => i + 2));
    await Promise.all(made.map((e) => deleteEndpoint(bridge, e.containerId)));
    expect(await countLeaks(bridge.cfg)).toMatchObject({ veths: 0, netnsFiles: 0, portRules: 0 });
    expect(bridge.ready()).toMatchObject({ endpoints: {}, pending: {} });
  });
});

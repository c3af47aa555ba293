// Twenty containers joining the engine's bridge at once, as twenty concurrent `docker run -d -p`
// would: every endpoint gets its own address, veth, netns file and port rule; removing them all at
// once leaves nothing on the host. A bridge, chains and namespaces of the test's own.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import {
  BridgeNetwork,
  countLeaks,
  createEndpoint,
  deleteEndpoint,
  ensureBridge,
  teardown,
} from '../../engine/net/index.ts';
import { realSuite } from './helpers/caps.ts';
import { tempDir } from './helpers/tmp.ts';
import { until } from './helpers/until.ts';

const COUNT = 20;
const tag = randomBytes(3).toString('hex');
const root = tempDir('net-concurrent');
const inits: ChildProcess[] = [];
let net: BridgeNetwork | undefined;

function asleep(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('sleep');
  } catch {
    return false;
  }
}

realSuite('twenty endpoints at once on the engine’s bridge', ['root', 'iproute2', 'iptables'], () => {
  afterAll(async () => {
    for (const init of inits) if (init.exitCode === null && init.signalCode === null) init.kill('SIGKILL');
    if (net !== undefined) await teardown(net).catch((error: unknown) => console.error(error));
    root.remove();
  });

  it('all get distinct addresses, veths and netns files, and all go without a trace', async () => {
    const bridge = new BridgeNetwork({
      root: root.path,
      bridge: `dsc${tag}`,
      chain: `DSC${tag}`,
      netnsDir: join(root.path, 'netns'),
      candidates: ['10.251.71.0/24', '10.251.72.0/24', '10.251.73.0/24'],
    });
    net = bridge;
    await ensureBridge(bridge);
    for (let i = 0; i < COUNT; i++)
      inits.push(spawn('unshare', ['--net', 'sleep', '600'], { stdio: 'ignore' }));
    await until(() => inits.every((c) => asleep(c.pid ?? 0)), 'the inits to sleep in their namespaces');
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

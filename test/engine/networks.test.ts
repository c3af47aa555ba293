// User-defined networks in real mode, driven by the real docker CLI: `network create` makes a
// Linux bridge of the engine's own (named after its bridge), two containers on it reach each other
// by name through the embedded DNS server (127.0.0.11 in their namespace, as dockerd 20.10 serves
// it: test/fixtures/real-engine/p-user-networks.txt), `connect`/`disconnect` add and take an
// interface, `rm` refuses a network with endpoints and removes the bridge and its rules, and a
// restarted engine has its networks again. The suite counts and removes its own bridges, veths,
// netns files and rules.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { realSuite } from './helpers/caps.ts';
import { startEngine, type RunningEngine } from './helpers/engine.ts';
import { fixtureBusyboxArchive } from './helpers/fidelityImage.ts';
import { engineProcess } from './helpers/procs.ts';
import { suiteEngine } from './helpers/suiteEngine.ts';
import { until } from './helpers/until.ts';

const run = promisify(execFile);
const suite = suiteEngine('networks', 'dsn');
let engine: RunningEngine;

const docker = (...args: string[]) => engine.docker(args, { timeoutMs: 120_000 });
const lines = (out: string): string[] => out.split('\n').filter((l) => l !== '');

/** The links whose name starts with the suite's user-network prefix (the engine's bridge[:8] and a dash). */
async function userBridges(): Promise<string[]> {
  const { stdout } = await run('ip', ['-j', 'link', 'show', 'type', 'bridge']);
  const prefix = `${suite.bridge.slice(0, 8)}-`;
  return (JSON.parse(stdout) as { ifname: string }[])
    .map((l) => l.ifname)
    .filter((n) => n.startsWith(prefix));
}

/** The host ends of veths on a bridge. */
async function vethsOn(bridge: string): Promise<number> {
  const { stdout } = await run('ip', ['-j', 'link', 'show', 'master', bridge]).catch(() => ({
    stdout: '[]',
  }));
  return (JSON.parse(stdout) as unknown[]).length;
}

/** The engine's filter rules that name a bridge. */
async function rulesFor(bridge: string): Promise<number> {
  const { stdout } = await run('iptables', ['-w', '-S']);
  return lines(stdout).filter((l) => l.includes(` ${bridge} `) || l.endsWith(` ${bridge}`)).length;
}

/** The sandboxes' netns files of a network's endpoints, as its state file records them. */
function netnsFiles(bridge: string): string[] {
  const file = join(engine.root, 'network', `${bridge}.json`);
  const state = JSON.parse(readFileSync(file, 'utf8')) as { endpoints: Record<string, { netns: string }> };
  return Object.values(state.endpoints).map((e) => e.netns);
}

async function bridgeOf(network: string): Promise<string> {
  const before = new Set(await userBridges());
  expect((await docker('network', 'create', network)).code).toBe(0);
  const made = (await userBridges()).filter((b) => !before.has(b));
  expect(made).toHaveLength(1);
  return made[0] ?? '';
}

function createAndResolveCase(): void {
  it('creates a network with a bridge of its own; containers on it reach each other by name', async () => {
    const bridge = await bridgeOf('n1');
    expect(await rulesFor(bridge)).toBeGreaterThan(0);
    const ls = await docker('network', 'ls', '--format', '{{.Name}} {{.Driver}} {{.Scope}}');
    expect(lines(ls.stdout).sort()).toEqual([
      'bridge bridge local',
      'host host local',
      'n1 bridge local',
      'none null local',
    ]);
    // As a private dockerd 20.10 answered them: type, a name filter as a pattern, an unknown key refused.
    const custom = await docker('network', 'ls', '--filter', 'type=custom', '--format', '{{.Name}}');
    expect(custom.stdout).toBe('n1\n');
    const named = await docker('network', 'ls', '--filter', 'name=n', '--format', '{{.Name}}');
    expect(lines(named.stdout).sort()).toEqual(['n1', 'none']);
    const bogus = await docker('network', 'ls', '--filter', 'bogus=1');
    expect(bogus.stderr).toBe("Error response from daemon: Invalid filter 'bogus'\n");
    const db = await docker(
      'run',
      '-d',
      '--name',
      'db',
      '--network',
      'n1',
      '--network-alias',
      'database',
      'busybox',
      'sleep',
      '1000',
    );
    expect(db.code, db.stderr).toBe(0);
    expect(await vethsOn(bridge)).toBe(1);
    const resolv = await docker('run', '--rm', '--network', 'n1', 'busybox', 'cat', '/etc/resolv.conf');
    expect(resolv.stdout).toMatch(/^nameserver 127\.0\.0\.11\n(search .*\n)?options ndots:0\n$/);
    const ip = (
      await docker('inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', 'db')
    ).stdout.trim();
    for (const name of ['db', 'database']) {
      const looked = await docker('run', '--rm', '--network', 'n1', 'busybox', 'nslookup', '-type=a', name);
      expect(looked.stdout, looked.stderr).toContain(`Name:\t${name}\nAddress: ${ip}\n`);
    }
    const ping = await docker(
      'run',
      '--rm',
      '--network',
      'n1',
      'busybox',
      'ping',
      '-c',
      '1',
      '-W',
      '5',
      'db',
    );
    expect(ping.code, ping.stdout + ping.stderr).toBe(0);
    expect(ping.stdout).toContain(`(${ip})`);
  }, 180_000);
}

function connectCase(): void {
  it('connects a running container (eth1, its name resolvable) and disconnects it', async () => {
    expect((await docker('run', '-d', '--name', 'web', 'busybox', 'sleep', '1000')).code).toBe(0);
    expect((await docker('network', 'connect', 'n1', 'web')).code).toBe(0);
    const twice = await docker('network', 'connect', 'n1', 'web');
    expect(twice.stderr).toBe(
      'Error response from daemon: endpoint with name web already exists in network n1\n',
    );
    const eth1 = await docker('exec', 'web', 'ip', '-4', '-o', 'addr', 'show', 'eth1');
    expect(eth1.code, eth1.stderr).toBe(0);
    const found = await docker('exec', 'db', 'nslookup', '-type=a', 'web');
    expect(found.stdout, found.stderr).toMatch(/Name:\tweb\nAddress: /);
    const members = await docker('network', 'inspect', '-f', '{{range .Containers}}{{.Name}} {{end}}', 'n1');
    expect(members.stdout.trim().split(' ').sort()).toEqual(['db', 'web']);
    expect((await docker('network', 'disconnect', 'n1', 'web')).code).toBe(0);
    expect((await docker('exec', 'web', 'ip', 'link', 'show', 'eth1')).code).not.toBe(0);
    // The default bridge's eth0 is still there: the sandbox outlived the second endpoint.
    expect((await docker('exec', 'web', 'ip', 'link', 'show', 'eth0')).code).toBe(0);
  }, 180_000);
}

function removeCase(): void {
  it('refuses rm of a network with endpoints, then removes its bridge and rules', async () => {
    const id = (await docker('network', 'inspect', '-f', '{{.Id}}', 'n1')).stdout.trim();
    const refused = await docker('network', 'rm', 'n1');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `Error response from daemon: error while removing network: network n1 id ${id} has active endpoints\n`,
    );
    const bridge = (await userBridges())[0] ?? '';
    const netns = netnsFiles(bridge);
    expect(netns).toHaveLength(1);
    expect((await docker('rm', '-f', 'db')).code).toBe(0);
    expect(await vethsOn(bridge)).toBe(0);
    expect(netns.filter((f) => existsSync(f))).toEqual([]);
    const removed = await docker('network', 'rm', 'n1');
    expect(removed.stdout).toBe('n1\n');
    expect(await userBridges()).toEqual([]);
    expect(await rulesFor(bridge)).toBe(0);
    const gone = await docker('network', 'inspect', 'n1');
    expect(gone.stderr).toContain('network n1 not found');
    // --gateway: the bridge holds that address, and the containers' default route goes through it.
    const n3 = ['--subnet', '10.199.8.0/24', '--gateway', '10.199.8.254', 'n3'];
    expect((await docker('network', 'create', ...n3)).code).toBe(0);
    const route = await docker('run', '--rm', '--network', 'n3', 'busybox', 'ip', 'route');
    expect(route.stdout, route.stderr).toContain('default via 10.199.8.254 dev eth0');
    expect((await docker('network', 'rm', 'n3')).code).toBe(0);
  }, 180_000);
}

function restartCase(): void {
  it("keeps a network across an engine restart, with its subnet and its running container's names, and removes it after", async () => {
    expect((await docker('network', 'create', '--subnet', '10.199.7.0/24', 'n2')).code).toBe(0);
    const keep = await docker('run', '-d', '--name', 'keep', '--network', 'n2', 'busybox', 'sleep', '1000');
    expect(keep.code, keep.stderr).toBe(0);
    const format = '{{.Id}} {{range .IPAM.Config}}{{.Subnet}}{{end}}';
    const before = (await docker('network', 'inspect', '-f', format, 'n2')).stdout;
    const pid = engineProcess(engine.pid);
    process.kill(pid, 'SIGKILL');
    process.kill(engine.pid, 'SIGKILL');
    await until(() => !existsSync(`/proc/${pid}`), 'the engine to die');
    engine = await startEngine({ base: engine.dir, args: ['--bridge', suite.bridge, '--live-restore'] });
    expect((await docker('network', 'inspect', '-f', format, 'n2')).stdout).toBe(before);
    // The running container's embedded DNS server is served again by the new engine.
    const looked = await docker('exec', 'keep', 'nslookup', '-type=a', 'keep');
    expect(looked.stdout, looked.stderr).toContain('Name:\tkeep\nAddress: 10.199.7.2\n');
    const addr = await docker(
      'run',
      '--rm',
      '--network',
      'n2',
      'busybox',
      'ip',
      '-4',
      '-o',
      'addr',
      'show',
      'eth0',
    );
    expect(addr.stdout, addr.stderr).toContain('inet 10.199.7.3/24');
    expect((await docker('rm', '-f', 'keep')).code).toBe(0);
    const pruned = await docker('network', 'prune', '-f');
    expect(pruned.stdout).toContain('n2');
    expect(await userBridges()).toEqual([]);
  }, 240_000);
}

/**
 * An engine killed while a `docker start` had made the container's endpoint on a user network but
 * not yet written the container as running: its config.v2.json says created, the network's state
 * file holds the endpoint, the veth is on the bridge. The next engine releases it (libnetwork's
 * sandboxCleanup at dockerd's start): no veth, no netns file, the address free again.
 */
function crashMidStartCase(): void {
  it('releases at start the user-network endpoint of a container a killed engine left half started', async () => {
    const before = new Set(await userBridges());
    expect((await docker('network', 'create', '--subnet', '10.199.6.0/24', 'n4')).code).toBe(0);
    const bridge = (await userBridges()).find((b) => !before.has(b)) ?? '';
    const half = await docker('run', '-d', '--name', 'half', '--network', 'n4', 'busybox', 'sleep', '1000');
    expect(half.code, half.stderr).toBe(0);
    const id = half.stdout.trim();
    const netns = netnsFiles(bridge);
    expect(netns).toHaveLength(1);
    const pid = engineProcess(engine.pid);
    process.kill(pid, 'SIGKILL');
    process.kill(engine.pid, 'SIGKILL');
    await until(() => !existsSync(`/proc/${pid}`), 'the engine to die');
    // What the engine had written before it would have checkpointed the container as running.
    const file = join(engine.root, 'containers', id, 'config.v2.json');
    const config = JSON.parse(readFileSync(file, 'utf8')) as { State: Record<string, unknown> };
    Object.assign(config, { HasBeenStartedBefore: false });
    Object.assign(config.State, { Running: false, Pid: 0, StartedAt: '0001-01-01T00:00:00Z' });
    writeFileSync(file, JSON.stringify(config));
    engine = await startEngine({ base: engine.dir, args: ['--bridge', suite.bridge] });
    // Answered once the boot is done (requests wait in dockerd's backlog meanwhile).
    const all = await docker('ps', '-a', '--format', '{{.Names}} {{.Status}}');
    const state = await docker('inspect', '-f', '{{.State.Status}}', 'half');
    expect(state.stdout, all.stdout).toBe('created\n');
    expect(await vethsOn(bridge)).toBe(0);
    expect(netnsFiles(bridge)).toEqual([]);
    expect(netns.filter((f) => existsSync(f))).toEqual([]);
    const addr = await docker(
      'run',
      '--rm',
      '--network',
      'n4',
      'busybox',
      'ip',
      '-4',
      '-o',
      'addr',
      'show',
      'eth0',
    );
    expect(addr.stdout, addr.stderr).toContain('inet 10.199.6.2/24');
    expect((await docker('rm', '-f', 'half')).code).toBe(0);
    expect((await docker('network', 'rm', 'n4')).code).toBe(0);
  }, 240_000);
}

realSuite(
  'user-defined networks: bridges, names, connect, rm, restart',
  ['root', 'overlay', 'skopeo', 'busybox', 'docker', 'shim', 'runc', 'iproute2', 'iptables'],
  () => {
    beforeAll(async () => {
      const archive = await fixtureBusyboxArchive(suite.work.path);
      engine = await suite.startEngine();
      expect((await docker('load', '-i', archive)).code).toBe(0);
    }, 180_000);
    afterAll(async () => {
      const left = lines((await docker('ps', '-aq')).stdout);
      if (left.length > 0) await docker('rm', '-f', ...left);
      await docker('network', 'prune', '-f');
      await suite.stop(engine);
      // Whatever a failed case left: the suite's own bridges only.
      for (const b of await userBridges()) await run('ip', ['link', 'del', b]).catch(() => undefined);
    }, 120_000);

    createAndResolveCase();
    connectCase();
    removeCase();
    restartCase();
    crashMidStartCase();
  },
);

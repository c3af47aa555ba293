// The bundle writer against a real dockerd 20.10 (private: its own roots, socket, no bridge):
// the same busybox file system imported and run there (`docker run -d --network none`), its
// config.json read from its containerd's bundle, the defaults compared field by field; then
// both containers' /proc/<pid>/status compared (capabilities, no_new_privs). Docker's seccomp
// profile is the one known difference: left for later (engine/shim/bundle.ts says so).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dockerSpec } from '../../engine/shim/bundle.ts';
import { powersOf } from '../../engine/shim/evidence/status.ts';
import { startDockerd, type Dockerd } from './helpers/dockerd.ts';
import { realSuite } from './helpers/caps.ts';
import { closeLab, makeBundle, makeLab, runcOptions, startLabShim, type Lab } from './shimFixture.ts';

const run = promisify(execFile);

interface Spec {
  process: { capabilities: object; user: object; env: string[]; oomScoreAdj: number };
  mounts: { destination: string }[];
  linux: Record<string, unknown> & { resources: { devices: object[] } };
}

realSuite('the bundle writer matches dockerd 20.10', ['root', 'busybox', 'shim', 'runc', 'docker'], () => {
  let dockerd: Dockerd;
  let lab: Lab;
  let theirs: Spec;
  let theirPid: number;
  const docker = async (...args: string[]): Promise<string> =>
    (await run('docker', ['-H', dockerd.host, ...args])).stdout.trim();

  beforeAll(async () => {
    lab = await makeLab();
    dockerd = await startDockerd();
    await run('tar', ['-C', lab.rootfs, '-cf', join(lab.dir, 'rootfs.tar'), '.']);
    await docker('import', join(lab.dir, 'rootfs.tar'), 'dockstep/busybox:spec');
    const id = await docker('run', '-d', '--network', 'none', 'dockstep/busybox:spec', 'sleep', '1000');
    const found = await run('find', [join(dockerd.base, 'exec'), '-name', 'config.json', '-path', `*${id}*`]);
    theirs = JSON.parse(await readFile(found.stdout.trim().split('\n')[0] ?? '', 'utf8')) as Spec;
    theirPid = Number(await docker('inspect', '-f', '{{.State.Pid}}', id));
  });
  afterAll(async () => {
    await dockerd?.stop();
    if (lab !== undefined) await closeLab(lab);
  });

  it('writes the capabilities, user, mounts, masked and read-only paths, devices, namespaces and sysctls dockerd writes', () => {
    const hostname = theirs.process.env.find((e) => e.startsWith('HOSTNAME='))?.slice('HOSTNAME='.length);
    const ours = dockerSpec({
      rootfs: lab.rootfs,
      args: ['sleep', '1000'],
      hostname,
      cgroupsPath: '/x',
    }) as Spec;
    expect(ours.process.capabilities).toEqual(theirs.process.capabilities);
    expect(ours.process.user).toEqual(theirs.process.user);
    expect(ours.process.env).toEqual(theirs.process.env);
    expect(ours.process.oomScoreAdj).toBe(theirs.process.oomScoreAdj);
    // dockerd adds the binds of /etc/resolv.conf, hostname and hosts after the defaults: the network's part.
    expect(ours.mounts).toEqual(theirs.mounts.filter((m) => !m.destination.startsWith('/etc/')));
    for (const key of ['maskedPaths', 'readonlyPaths', 'namespaces', 'sysctl'])
      expect(ours.linux[key], key).toEqual(theirs.linux[key]);
    expect(ours.linux.resources.devices).toEqual(theirs.linux.resources.devices);
    expect(Object.keys(theirs.linux)).toContain('seccomp');
  });

  it('gives the container the powers a Docker container has, but for seccomp', async () => {
    const c = await makeBundle(lab, 'powers', { args: ['sleep', '1000'] });
    const shim = await startLabShim(lab, c);
    const pid = await shim.task.create({ bundle: c.bundle, runc: runcOptions(lab) });
    await shim.task.start();
    const [ourPowers, theirPowers] = await Promise.all([powersOf(pid), powersOf(theirPid)]);
    expect({ ...ourPowers, Seccomp: 'left for later' }).toEqual({
      ...theirPowers,
      Seccomp: 'left for later',
    });
    expect(theirPowers['Seccomp']).toBe('2');
    await shim.task.kill(9);
    await shim.task.wait();
    await shim.task.delete();
    await shim.task.shutdown();
    shim.log.close();
  });
});

// The bundle writer against a real dockerd 20.10 (private: its own roots, socket, no bridge):
// the same busybox file system imported and run there (`docker run -d --network none`), its
// config.json read from its containerd's bundle, the defaults compared field by field, the
// seccomp section included; then a container started from our bundle through the real shim and
// Docker's compared: /proc/<pid>/status (capabilities, NoNewPrivs, Seccomp, Seccomp_filters),
// and the masked and read-only paths in their mount tables. The same with
// `--security-opt no-new-privileges`.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dockerSpec } from '../../engine/shim/bundle.ts';
import { powersOf, type Powers } from '../../engine/shim/evidence/status.ts';
import { startDockerd, type Dockerd } from './helpers/dockerd.ts';
import { realSuite } from './helpers/caps.ts';
import { closeLab, makeBundle, makeLab, runcOptions, startLabShim, type Lab } from './shimFixture.ts';

const run = promisify(execFile);

interface Spec {
  process: {
    capabilities: { bounding: string[] };
    user: object;
    env: string[];
    oomScoreAdj: number;
    noNewPrivileges?: boolean;
    apparmorProfile?: string;
  };
  mounts: { destination: string }[];
  linux: Record<string, unknown> & { resources: { devices: object[] } };
}

/** Seccomp_filters from /proc/<pid>/status (kernels from 5.9 on): how many filters are installed. */
async function seccompFilters(pid: number): Promise<string | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return /^Seccomp_filters:\s*(\S+)/m.exec(status)?.[1];
}

/** The container's mount table (/proc/<pid>/mounts is its mount namespace's) but for its root and
 * the /etc binds, which come from the storage and network parts: device, path, type, options. */
async function guardedMounts(pid: number): Promise<string[]> {
  const text = await readFile(`/proc/${pid}/mounts`, 'utf8');
  return text
    .split('\n')
    .map((line) => line.split(' ').slice(0, 4).join(' '))
    .filter(
      (line) => line !== '' && line.split(' ')[1] !== '/' && !(line.split(' ')[1] ?? '').startsWith('/etc/'),
    );
}

interface Theirs {
  spec: Spec;
  pid: number;
}

const IMAGE = 'dockstep/busybox:spec';

/** `docker run -d --network none OPTIONS busybox sleep 1000` on the private dockerd: its bundle's
 * config.json and its pid. */
async function dockerRun(dockerd: Dockerd, ...options: string[]): Promise<Theirs> {
  const docker = async (...args: string[]): Promise<string> =>
    (await run('docker', ['-H', dockerd.host, ...args])).stdout.trim();
  const id = await docker('run', '-d', '--network', 'none', ...options, IMAGE, 'sleep', '1000');
  const found = await run('find', [join(dockerd.base, 'exec'), '-name', 'config.json', '-path', `*${id}*`]);
  const spec = JSON.parse(await readFile(found.stdout.trim().split('\n')[0] ?? '', 'utf8')) as Spec;
  return { spec, pid: Number(await docker('inspect', '-f', '{{.State.Pid}}', id)) };
}

async function ourContainer(
  lab: Lab,
  id: string,
  noNewPrivileges: boolean,
): Promise<{ pid: number; stop(): Promise<void> }> {
  const c = await makeBundle(lab, id, { args: ['sleep', '1000'], noNewPrivileges });
  const shim = await startLabShim(lab, c);
  const pid = await shim.task.create({ bundle: c.bundle, runc: runcOptions(lab) });
  await shim.task.start();
  const stop = async (): Promise<void> => {
    await shim.task.kill(9);
    await shim.task.wait();
    await shim.task.delete();
    await shim.task.shutdown();
    shim.log.close();
  };
  return { pid, stop };
}

/** Runs our container `id` and compares it with Docker's (pid `theirs`); answers our powers. */
async function sameAsDocker(lab: Lab, id: string, noNewPrivileges: boolean, theirs: number): Promise<Powers> {
  const ours = await ourContainer(lab, id, noNewPrivileges);
  try {
    const [ourPowers, theirPowers] = await Promise.all([powersOf(ours.pid), powersOf(theirs)]);
    expect(ourPowers).toEqual(theirPowers);
    expect(theirPowers['Seccomp']).toBe('2');
    expect(await seccompFilters(ours.pid)).toBe(await seccompFilters(theirs));
    expect(await guardedMounts(ours.pid)).toEqual(await guardedMounts(theirs));
    return ourPowers;
  } finally {
    await ours.stop();
  }
}

/** Our spec for the same container against dockerd's, field by field. */
function sameSpec(theirs: Spec, rootfs: string): void {
  const hostname = theirs.process.env.find((e) => e.startsWith('HOSTNAME='))?.slice('HOSTNAME='.length);
  const ours = dockerSpec({
    rootfs,
    args: ['sleep', '1000'],
    hostname,
    cgroupsPath: '/x',
  }) as Spec;
  expect(ours.process.capabilities).toEqual(theirs.process.capabilities);
  expect(ours.process.user).toEqual(theirs.process.user);
  expect(ours.process.env).toEqual(theirs.process.env);
  expect(ours.process.oomScoreAdj).toBe(theirs.process.oomScoreAdj);
  expect(ours.process.noNewPrivileges).toBe(theirs.process.noNewPrivileges);
  expect(ours.process.apparmorProfile).toBe(theirs.process.apparmorProfile);
  // dockerd adds the binds of /etc/resolv.conf, hostname and hosts after the defaults: the network's part.
  expect(ours.mounts).toEqual(theirs.mounts.filter((m) => !m.destination.startsWith('/etc/')));
  for (const key of ['maskedPaths', 'readonlyPaths', 'namespaces', 'sysctl', 'seccomp'])
    expect(ours.linux[key], key).toEqual(theirs.linux[key]);
  expect(ours.linux.resources.devices).toEqual(theirs.linux.resources.devices);
}

realSuite('the bundle writer matches dockerd 20.10', ['root', 'busybox', 'shim', 'runc', 'docker'], () => {
  let dockerd: Dockerd;
  let lab: Lab;
  let plain: Theirs;
  let nnp: Theirs;
  let sysAdmin: Theirs;
  beforeAll(async () => {
    lab = await makeLab();
    dockerd = await startDockerd();
    await run('tar', ['-C', lab.rootfs, '-cf', join(lab.dir, 'rootfs.tar'), '.']);
    await run('docker', ['-H', dockerd.host, 'import', join(lab.dir, 'rootfs.tar'), IMAGE]);
    plain = await dockerRun(dockerd);
    nnp = await dockerRun(dockerd, '--security-opt', 'no-new-privileges');
    sysAdmin = await dockerRun(dockerd, '--cap-add', 'SYS_ADMIN');
  });
  afterAll(async () => {
    await dockerd?.stop();
    if (lab !== undefined) await closeLab(lab);
  });

  it('writes the capabilities, user, mounts, masked and read-only paths, devices, namespaces, sysctls and seccomp dockerd writes', () => {
    sameSpec(plain.spec, lab.rootfs);
  });

  it('sets noNewPrivileges as dockerd does for --security-opt no-new-privileges', () => {
    const ours = dockerSpec({
      rootfs: lab.rootfs,
      args: ['sleep'],
      cgroupsPath: '/x',
      noNewPrivileges: true,
    }) as Spec;
    expect(nnp.spec.process.noNewPrivileges).toBe(true);
    expect(ours.process.noNewPrivileges).toBe(true);
    expect(ours.linux['seccomp']).toEqual(nnp.spec.linux['seccomp']);
  });

  it('filters the seccomp rules by the capabilities as dockerd does for --cap-add SYS_ADMIN', () => {
    const caps = sysAdmin.spec.process.capabilities.bounding;
    expect(caps).toContain('CAP_SYS_ADMIN');
    const ours = dockerSpec({
      rootfs: lab.rootfs,
      args: ['sleep'],
      cgroupsPath: '/x',
      capabilities: caps,
    }) as Spec;
    expect(ours.linux['seccomp']).toEqual(sysAdmin.spec.linux['seccomp']);
    expect(ours.linux['seccomp']).not.toEqual(plain.spec.linux['seccomp']);
  });

  it('gives a container run through the real shim the powers and guarded paths of a Docker container', () =>
    sameAsDocker(lab, 'powers', false, plain.pid));

  it('gives it NoNewPrivs 1 with no-new-privileges, as Docker does', async () => {
    expect(await sameAsDocker(lab, 'nnp', true, nnp.pid)).toMatchObject({ NoNewPrivs: '1' });
  });
});

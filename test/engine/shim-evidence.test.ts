// Evidence readers: /proc/<pid>/cgroup and mountinfo as a v1 hybrid host (this machine), a v2-only
// host and a container with its own cgroup namespace write them, and the readers on this process.
import { describe, expect, it } from 'vitest';
import {
  cgroupDir,
  cgroupLimits,
  cgroupOf,
  parseCgroupMounts,
  parseProcCgroup,
} from '../../engine/shim/evidence/cgroup.ts';
import { namespaceInodes } from '../../engine/shim/evidence/namespaces.ts';
import { powersOf } from '../../engine/shim/evidence/status.ts';

const HYBRID_CGROUP = `9:name=systemd:/
4:memory:/dockstep/abc
2:cpu,cpuacct:/dockstep/abc
1:pids:/dockstep/abc
0::/
`;
const HYBRID_MOUNTS = `31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,release_agent=/x,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate
`;
const V2_MOUNTS = `30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
`;

describe('cgroup evidence', () => {
  it('reads a v1 hybrid host: a path per controller, directories under each hierarchy', () => {
    const m = parseProcCgroup(HYBRID_CGROUP);
    expect(m.version).toBe(1);
    expect(m.paths).toMatchObject({
      memory: '/dockstep/abc',
      cpu: '/dockstep/abc',
      cpuacct: '/dockstep/abc',
      '': '/',
    });
    const h = parseCgroupMounts(HYBRID_MOUNTS);
    expect(h.map((x) => x.controllers)).toEqual([
      ['cpu', 'cpuacct'],
      ['memory'],
      ['pids'],
      ['name=systemd'],
      [''],
    ]);
    expect(cgroupDir(h, 'cpuacct', '/dockstep/abc')).toBe('/sys/fs/cgroup/cpu,cpuacct/dockstep/abc');
    expect(cgroupDir(h, 'memory', '/dockstep/abc')).toBe('/sys/fs/cgroup/memory/dockstep/abc');
    expect(cgroupDir(h, '', '/')).toBe('/sys/fs/cgroup/unified');
    expect(cgroupDir(h, 'blkio', '/x')).toBeUndefined();
  });

  it('reads a v2-only host and a mount showing part of the hierarchy', () => {
    const m = parseProcCgroup('0::/system.slice/dockstep.service/abc\n');
    expect(m).toEqual({ version: 2, paths: { '': '/system.slice/dockstep.service/abc' } });
    const h = parseCgroupMounts(V2_MOUNTS);
    expect(cgroupDir(h, '', m.paths[''] ?? '')).toBe('/sys/fs/cgroup/system.slice/dockstep.service/abc');
    const nested = parseCgroupMounts('30 23 0:26 /kubepods/pod1 /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n');
    expect(cgroupDir(nested, '', '/kubepods/pod1/abc')).toBe('/sys/fs/cgroup/abc');
    expect(cgroupDir(nested, '', '/elsewhere')).toBeUndefined();
  });

  it('reads this process: its namespaces, cgroups, limits and capabilities', async () => {
    const ns = await namespaceInodes('self');
    for (const name of ['mnt', 'net', 'pid', 'uts', 'ipc']) expect(ns[name]).toBeGreaterThan(0);
    const m = await cgroupOf('self');
    expect([1, 2]).toContain(m.version);
    const limits = await cgroupLimits('self');
    expect(limits.dirs.length).toBeGreaterThan(0);
    expect(await powersOf('self')).toMatchObject({
      CapEff: expect.stringMatching(/^[0-9a-f]{16}$/),
      NoNewPrivs: '0',
    });
  });
});

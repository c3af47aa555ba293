// Docker's default seccomp profile as the bundle writer puts it into config.json, against the
// config.json a private dockerd 20.10 wrote on this kind of host (amd64, kernel 6.18, no AppArmor;
// test/fixtures/real-engine/s-config.json, recorded by record-security-logs.sh), and the filter
// rules of moby's profiles/seccomp/seccomp_linux.go on other capabilities, architectures, kernels.
// Needs nothing but Node: the live comparison is test/engine/shim-dockerSpec.test.ts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CAPABILITIES, dockerSpec } from '../../engine/shim/bundle.ts';
import { parseKernelRelease, type HostSecurity } from '../../engine/shim/hostSecurity.ts';
import { DEFAULT_SECCOMP_PROFILE, seccompFor, type LinuxSeccomp } from '../../engine/shim/seccomp.ts';

interface RecordedSpec {
  process: Record<string, unknown>;
  linux: { seccomp: LinuxSeccomp };
}

const fixture = (name: string): RecordedSpec =>
  JSON.parse(
    readFileSync(new URL(`../fixtures/real-engine/${name}`, import.meta.url), 'utf8'),
  ) as RecordedSpec;

const AMD64: HostSecurity = { arch: 'amd64', kernel: { kernel: 6, major: 18 }, appArmor: false };

const rulesFor = (s: LinuxSeccomp | undefined, name: string): object[] =>
  (s?.syscalls ?? []).filter((r) => r.names.includes(name));

describe("Docker's default seccomp profile in the bundle", () => {
  it('is the section dockerd 20.10 wrote on an amd64 host with kernel 6.18', () => {
    const recorded = fixture('s-config.json');
    const ours = seccompFor(DEFAULT_SECCOMP_PROFILE, DEFAULT_CAPABILITIES, AMD64);
    expect(ours).toEqual(recorded.linux.seccomp);
    const spec = dockerSpec({ rootfs: '/r', args: ['sleep'], cgroupsPath: '/x', host: AMD64 });
    expect(spec).toMatchObject({ linux: { seccomp: recorded.linux.seccomp } });
  });

  it('keeps the rules of added capabilities and drops those a capability excludes', () => {
    const caps = [...DEFAULT_CAPABILITIES, 'CAP_SYS_ADMIN', 'CAP_SYS_PTRACE'];
    const ours = seccompFor(DEFAULT_SECCOMP_PROFILE, caps, AMD64);
    // With CAP_SYS_ADMIN: clone3, mount, setns, unshare… allowed; clone without a flag mask and no ENOSYS rule.
    expect(rulesFor(ours, 'mount')).toEqual([expect.objectContaining({ action: 'SCMP_ACT_ALLOW' })]);
    expect(rulesFor(ours, 'clone3')).toEqual([expect.objectContaining({ action: 'SCMP_ACT_ALLOW' })]);
    expect(rulesFor(ours, 'clone')).toEqual([expect.objectContaining({ action: 'SCMP_ACT_ALLOW' })]);
    expect(rulesFor(ours, 'clone')[0]).not.toHaveProperty('args');
    expect(rulesFor(ours, 'kcmp')).toHaveLength(1);
    // Without CAP_SYS_CHROOT, no chroot rule.
    const fewer = DEFAULT_CAPABILITIES.filter((c) => c !== 'CAP_SYS_CHROOT');
    expect(rulesFor(seccompFor(DEFAULT_SECCOMP_PROFILE, fewer, AMD64), 'chroot')).toEqual([]);
    // The bundle's capabilities are the ones its seccomp rules are filtered by.
    const spec = dockerSpec({
      rootfs: '/r',
      args: ['sh'],
      cgroupsPath: '/x',
      host: AMD64,
      capabilities: caps,
    });
    expect(spec).toMatchObject({
      process: { capabilities: { bounding: caps, effective: caps, permitted: caps } },
      linux: { seccomp: ours },
    });
  });

  it('takes the architectures and per-architecture rules of the host', () => {
    const arm64 = seccompFor(DEFAULT_SECCOMP_PROFILE, DEFAULT_CAPABILITIES, { ...AMD64, arch: 'arm64' });
    expect(arm64?.architectures).toEqual(['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']);
    expect(rulesFor(arm64, 'arm_fadvise64_64')).toHaveLength(1);
    expect(rulesFor(arm64, 'arch_prctl')).toEqual([]);
    const s390x = seccompFor(DEFAULT_SECCOMP_PROFILE, DEFAULT_CAPABILITIES, { ...AMD64, arch: 's390x' });
    // s390 passes clone's flags second: its own masked rule, not the amd64 one.
    expect(rulesFor(s390x, 'clone')).toEqual([
      expect.objectContaining({ args: [expect.objectContaining({ index: 1 })] }),
    ]);
    const unknown = seccompFor(DEFAULT_SECCOMP_PROFILE, DEFAULT_CAPABILITIES, { ...AMD64, arch: '' });
    expect(unknown).not.toHaveProperty('architectures');
  });

  it('allows ptrace only from kernel 4.8 on, reading "<kernel>.<major>" of the release', () => {
    const old = { ...AMD64, kernel: parseKernelRelease('4.4.0-210-generic') };
    expect(rulesFor(seccompFor(DEFAULT_SECCOMP_PROFILE, DEFAULT_CAPABILITIES, old), 'ptrace')).toEqual([]);
    const v48 = { ...AMD64, kernel: parseKernelRelease('4.8-1-amd64') };
    expect(rulesFor(seccompFor(DEFAULT_SECCOMP_PROFILE, DEFAULT_CAPABILITIES, v48), 'ptrace')).toHaveLength(
      1,
    );
    expect(() => parseKernelRelease('x')).toThrow('failed to parse kernel version "x"');
  });
});

describe('the security options in the bundle', () => {
  it('writes no seccomp section for seccomp=unconfined, and a given profile filtered the same way', () => {
    const base = { rootfs: '/r', args: ['sleep'], cgroupsPath: '/x', host: AMD64 };
    const unconfined = dockerSpec({ ...base, seccompProfile: 'unconfined' });
    expect(unconfined).toMatchObject({ linux: expect.not.objectContaining({ seccomp: expect.anything() }) });
    const custom = dockerSpec({
      ...base,
      seccompProfile: {
        defaultAction: 'SCMP_ACT_ALLOW',
        syscalls: [
          { names: ['mkdir'], action: 'SCMP_ACT_ERRNO', errnoRet: 1, args: null, includes: {}, excludes: {} },
          {
            name: 'reboot',
            action: 'SCMP_ACT_ALLOW',
            args: [],
            includes: { caps: ['CAP_SYS_BOOT'] },
            excludes: {},
          },
        ],
      },
    });
    expect(custom).toMatchObject({
      linux: { seccomp: { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir'], errnoRet: 1 }] } },
    });
  });

  it('sets noNewPrivileges only when asked, and docker-default only where AppArmor is on', () => {
    const base = { rootfs: '/r', args: ['sleep'], cgroupsPath: '/x', host: AMD64 };
    const plain = fixture('s-config.json');
    const nnp = fixture('s-config-nnp.json');
    const ours = dockerSpec(base);
    expect(ours).toMatchObject({
      process: expect.not.objectContaining({ noNewPrivileges: expect.anything() }),
    });
    expect(plain.process).not.toHaveProperty('noNewPrivileges');
    expect(plain.process).not.toHaveProperty('apparmorProfile');
    expect(dockerSpec({ ...base, noNewPrivileges: true })).toMatchObject({
      process: { noNewPrivileges: nnp.process['noNewPrivileges'] },
    });
    expect(ours).toMatchObject({
      process: expect.not.objectContaining({ apparmorProfile: expect.anything() }),
    });
    const withAppArmor = { ...base, host: { ...AMD64, appArmor: true } };
    expect(dockerSpec(withAppArmor)).toMatchObject({ process: { apparmorProfile: 'docker-default' } });
    expect(dockerSpec({ ...withAppArmor, appArmorProfile: 'unconfined' })).toMatchObject({
      process: { apparmorProfile: 'unconfined' },
    });
  });
});

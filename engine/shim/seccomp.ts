// Docker's default seccomp profile, turned into a spec's `linux.seccomp` the way dockerd 20.10 does
// it (moby v20.10.24 profiles/seccomp/seccomp_linux.go setupSeccomp): the profile's rules are
// filtered by the container's bounding capabilities, the host's architecture and kernel version,
// and only the kept rules reach config.json, with the architecture list taken from the profile's
// archMap entry for the host.
//
// seccomp-default.json beside this file is moby v20.10.24 profiles/seccomp/default.json, its data
// unchanged (formatted by this repository's prettier). Copyright 2012-2017 Docker, Inc., licensed
// under the Apache License, Version 2.0 (http://www.apache.org/licenses/LICENSE-2.0), as this
// project is; moby's NOTICE: "This product includes software developed at Docker, Inc.
// (https://www.docker.com)." Debian's dockerd 20.10.24 adds one clone3 rule for MIPS hosts only
// (a backport of moby#42836); on other architectures the filtered result is the same.
// Spec format: https://github.com/opencontainers/runtime-spec/blob/v1.0.2/config-linux.md#seccomp
import defaultProfileData from './seccomp-default.json' with { type: 'json' };
import type { HostSecurity } from './hostSecurity.ts';

export interface SeccompArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: string;
}

interface ProfileFilter {
  caps?: string[];
  arches?: string[];
  /** "<kernel>.<major>", e.g. "4.8". */
  minKernel?: string;
}

interface ProfileSyscall {
  name?: string;
  names?: string[];
  action: string;
  errnoRet?: number;
  args: SeccompArg[] | null;
  comment?: string;
  includes: ProfileFilter;
  excludes: ProfileFilter;
}

/** A Docker seccomp profile file (moby profiles/seccomp/seccomp.go Seccomp). */
export interface SeccompProfile {
  defaultAction: string;
  architectures?: string[];
  archMap?: { architecture: string; subArchitectures: string[] }[];
  syscalls: ProfileSyscall[] | null;
}

/** A spec's syscall rule: empty args and errnoRet are left out, as Go's omitempty does. */
export interface LinuxSyscall {
  names: string[];
  action: string;
  errnoRet?: number;
  args?: SeccompArg[];
}

export interface LinuxSeccomp {
  defaultAction: string;
  architectures?: string[];
  syscalls?: LinuxSyscall[];
}

export const DEFAULT_SECCOMP_PROFILE: SeccompProfile = defaultProfileData;

/** libseccomp's architecture names as the profile's archMap spells them (seccomp_linux.go nativeToSeccomp). */
const NATIVE_TO_SECCOMP: Readonly<Record<string, string>> = {
  x86: 'SCMP_ARCH_X86',
  amd64: 'SCMP_ARCH_X86_64',
  arm: 'SCMP_ARCH_ARM',
  arm64: 'SCMP_ARCH_AARCH64',
  mips64: 'SCMP_ARCH_MIPS64',
  mips64n32: 'SCMP_ARCH_MIPS64N32',
  mipsel64: 'SCMP_ARCH_MIPSEL64',
  mips3l64n32: 'SCMP_ARCH_MIPSEL64N32',
  mipsle: 'SCMP_ARCH_MIPSEL',
  ppc: 'SCMP_ARCH_PPC',
  ppc64: 'SCMP_ARCH_PPC64',
  ppc64le: 'SCMP_ARCH_PPC64LE',
  s390: 'SCMP_ARCH_S390',
  s390x: 'SCMP_ARCH_S390X',
};

function parseKernel(version: string): { kernel: number; major: number } {
  const m = /^(\d+)\.(\d+)$/.exec(version);
  if (m === null) throw new Error(`invalid kernel version: ${version}, expected "<kernel>.<major>"`);
  return { kernel: Number(m[1]), major: Number(m[2]) };
}

function kernelAtLeast(host: HostSecurity, version: string): boolean {
  const want = parseKernel(version);
  return (
    host.kernel.kernel > want.kernel ||
    (host.kernel.kernel === want.kernel && host.kernel.major >= want.major)
  );
}

/** Whether a rule applies here: the excludes and includes checks of setupSeccomp, in its order. */
function applies(call: ProfileSyscall, caps: readonly string[], host: HostSecurity): boolean {
  const { excludes: ex, includes: inc } = call;
  if (ex.arches?.includes(host.arch) === true) return false;
  if (ex.caps?.some((c) => caps.includes(c)) === true) return false;
  if (ex.minKernel !== undefined && ex.minKernel !== '' && kernelAtLeast(host, ex.minKernel)) return false;
  if (inc.arches !== undefined && inc.arches.length > 0 && !inc.arches.includes(host.arch)) return false;
  if (inc.caps?.every((c) => caps.includes(c)) === false) return false;
  if (inc.minKernel !== undefined && inc.minKernel !== '' && !kernelAtLeast(host, inc.minKernel))
    return false;
  return true;
}

function specRule(call: ProfileSyscall): LinuxSyscall {
  if (call.name !== undefined && call.name !== '' && (call.names?.length ?? 0) > 0)
    throw new Error(`'name' and 'names' were specified in the seccomp profile (${call.name})`);
  const names = call.name !== undefined && call.name !== '' ? [call.name] : (call.names ?? []);
  return {
    names,
    action: call.action,
    ...(call.errnoRet === undefined ? {} : { errnoRet: call.errnoRet }),
    ...(call.args === null || call.args.length === 0 ? {} : { args: call.args }),
  };
}

function architectures(profile: SeccompProfile, host: HostSecurity): string[] {
  const archMap = profile.archMap ?? [];
  if ((profile.architectures?.length ?? 0) > 0 && archMap.length > 0)
    throw new Error("'architectures' and 'archMap' were specified in the seccomp profile, use either");
  const found = [...(profile.architectures ?? [])];
  const native = NATIVE_TO_SECCOMP[host.arch];
  const entry = native === undefined ? undefined : archMap.find((a) => a.architecture === native);
  if (entry !== undefined) found.push(entry.architecture, ...entry.subArchitectures);
  return found;
}

/** The spec's `linux.seccomp` for a profile, a container's bounding capabilities and this host;
 * undefined for a profile that turns seccomp off (no default action, no rules). */
export function seccompFor(
  profile: SeccompProfile,
  boundingCaps: readonly string[],
  host: HostSecurity,
): LinuxSeccomp | undefined {
  const calls = profile.syscalls ?? [];
  if (profile.defaultAction === '' && calls.length === 0) return undefined;
  const archs = architectures(profile, host);
  const syscalls = calls.filter((c) => applies(c, boundingCaps, host)).map(specRule);
  return {
    defaultAction: profile.defaultAction,
    ...(archs.length === 0 ? {} : { architectures: archs }),
    ...(syscalls.length === 0 ? {} : { syscalls }),
  };
}

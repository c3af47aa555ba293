// The host facts dockerd's security defaults depend on: the architecture and kernel version the
// seccomp profile's rules are filtered by (moby v20.10.24 profiles/seccomp/seccomp_linux.go
// goToNative, kernel_linux.go: only "<kernel>.<major>" of the release counts), and whether
// AppArmor is on, which decides whether dockerd names the docker-default profile
// (daemon/oci_linux.go WithApparmor, through runc's libcontainer/apparmor IsEnabled: the
// securityfs directory exists and the module parameter `enabled` starts with Y).
import { existsSync, readFileSync } from 'node:fs';
import { endianness, release } from 'node:os';

export interface HostSecurity {
  /** libseccomp's name for the architecture ("amd64", "arm64", "x86", …); "" when unknown. */
  arch: string;
  kernel: { kernel: number; major: number };
  appArmor: boolean;
}

/** Node's process.arch to libseccomp's native names (Go's GOARCH in between). */
function nativeArch(arch: string): string {
  const table: Readonly<Record<string, string>> = {
    ia32: 'x86',
    x64: 'amd64',
    arm: 'arm',
    arm64: 'arm64',
    mipsel: 'mipsel',
    ppc: 'ppc',
    ppc64: endianness() === 'LE' ? 'ppc64le' : 'ppc64',
    s390: 's390',
    s390x: 's390x',
  };
  return table[arch] ?? '';
}

export function parseKernelRelease(text: string): { kernel: number; major: number } {
  const m = /^(\d+)\.(\d+)/.exec(text);
  if (m === null) throw new Error(`failed to parse kernel version "${text}"`);
  return { kernel: Number(m[1]), major: Number(m[2]) };
}

export function appArmorEnabled(): boolean {
  if (!existsSync('/sys/kernel/security/apparmor')) return false;
  try {
    return readFileSync('/sys/module/apparmor/parameters/enabled', 'utf8').startsWith('Y');
  } catch {
    return false;
  }
}

let cached: HostSecurity | undefined;

/** This host's facts, read once (dockerd reads them once too). */
export function hostSecurity(): HostSecurity {
  cached ??= {
    arch: nativeArch(process.arch),
    kernel: parseKernelRelease(release()),
    appArmor: appArmorEnabled(),
  };
  return cached;
}

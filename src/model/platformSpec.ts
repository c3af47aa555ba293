/**
 * The `platform` a pull asks for (`docker pull --platform`, `POST /images/create?platform=`), read
 * as dockerd reads it: containerd's `platforms.Parse` (containerd 1.6, platforms/platforms.go and
 * database.go, https://github.com/containerd/containerd/blob/v1.6.20/platforms/platforms.go).
 * `os`, `os/arch` or `os/arch/variant`, each part `^[A-Za-z0-9_-]+$`, spellings normalised
 * (`x86_64` → amd64, `aarch64` → arm64, `LINUX` → linux); a lone part is an OS (with the host's
 * architecture) or an architecture (with the host's OS). Anything else is refused with
 * containerd's words, which dockerd answers with 400 (measured on dockerd 20.10:
 * `"bad/bad/bad/bad": cannot parse platform specifier: invalid argument`).
 */
import type { Platform } from './image.ts';

const COMPONENT = /^[A-Za-z0-9_-]+$/;

const KNOWN_OS = new Set(
  'aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 solaris windows zos'.split(
    ' ',
  ),
);

const KNOWN_ARCH = new Set(
  '386 amd64 amd64p32 arm armbe arm64 arm64be ppc64 ppc64le loong64 mips mipsle mips64 mips64le mips64p32 mips64p32le ppc riscv riscv64 s390 s390x sparc sparc64 wasm'.split(
    ' ',
  ),
);

/** containerd's errdefs.ErrInvalidArgument, as its wrapped errors end. */
export class PlatformSpecError extends Error {
  constructor(message: string) {
    super(`${message}: invalid argument`);
    this.name = 'PlatformSpecError';
  }
}

function normalizeOS(os: string): string {
  const lower = os.toLowerCase();
  return lower === 'macos' ? 'darwin' : lower;
}

/** containerd's normalizeArch: Go's names, and the variants it implies or drops. */
function normalizeArch(arch: string, variant: string): [string, string] {
  const a = arch.toLowerCase();
  const v = variant.toLowerCase();
  if (a === 'i386') return ['386', ''];
  if (a === 'x86_64' || a === 'x86-64' || a === 'amd64') return ['amd64', v === 'v1' ? '' : v];
  if (a === 'aarch64' || a === 'arm64') return ['arm64', v === '8' || v === 'v8' ? '' : v];
  if (a === 'armhf') return ['arm', 'v7'];
  if (a === 'armel') return ['arm', 'v6'];
  if (a === 'arm') {
    if (v === '' || v === '7') return ['arm', 'v7'];
    if (v === '5' || v === '6' || v === '8') return ['arm', `v${v}`];
  }
  return [a, v];
}

function platform(os: string, architecture: string, variant: string): Platform {
  return variant === '' ? { os, architecture } : { os, architecture, variant };
}

/** A lone part: an OS known to containerd, else an architecture it knows, else refused. */
function single(part: string, specifier: string, host: Platform): Platform {
  const os = normalizeOS(part);
  if (KNOWN_OS.has(os))
    return platform(os, host.architecture, host.architecture === 'arm' ? (host.variant ?? '') : '');
  const [architecture, variant] = normalizeArch(part, '');
  if (KNOWN_ARCH.has(architecture))
    return platform(host.os, architecture, architecture === 'arm' && variant === 'v7' ? '' : variant);
  throw new PlatformSpecError(`${JSON.stringify(specifier)}: unknown operating system or architecture`);
}

/** `specifier` as containerd parses it; `host` fills what a lone OS or architecture leaves out. */
export function parsePlatformSpecifier(specifier: string, host: Platform): Platform {
  const quoted = JSON.stringify(specifier);
  if (specifier.includes('*')) throw new PlatformSpecError(`${quoted}: wildcards not yet supported`);
  const parts = specifier.split('/');
  for (const part of parts) {
    if (!COMPONENT.test(part))
      throw new PlatformSpecError(
        `${JSON.stringify(part)} is an invalid component of ${quoted}: platform specifier component must match ${JSON.stringify(COMPONENT.source)}`,
      );
  }
  const [first = '', second = '', third = ''] = parts;
  if (parts.length === 1) return single(first, specifier, host);
  if (parts.length === 2) {
    const [architecture, variant] = normalizeArch(second, '');
    return platform(
      normalizeOS(first),
      architecture,
      architecture === 'arm' && variant === 'v7' ? '' : variant,
    );
  }
  if (parts.length === 3) {
    const [architecture, variant] = normalizeArch(second, third);
    return platform(
      normalizeOS(first),
      architecture,
      architecture === 'arm64' && variant === '' ? 'v8' : variant,
    );
  }
  throw new PlatformSpecError(`${quoted}: cannot parse platform specifier`);
}

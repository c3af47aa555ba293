// Platform choice in an image index (OCI image-index "platform", Docker manifest list), as
// containerd's platforms.Default() does: os linux, the host's architecture in Go's spelling
// (Node's x64 → amd64, ia32 → 386, arm → arm with variant v7/v6), attestation entries
// (platform unknown/unknown, annotation vnd.docker.reference.type=attestation-manifest) skipped.
import { ImageError } from './errors.ts';
import type { Descriptor } from './oci.ts';
import type { Platform } from '../../src/model/image.ts';

/** A platform as the image spec defines it (the core's model). */
export type { Platform } from '../../src/model/image.ts';

const GO_ARCH: Record<string, string> = {
  x64: 'amd64',
  ia32: '386',
  arm64: 'arm64',
  arm: 'arm',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  mips: 'mips',
  mipsel: 'mipsle',
};

export function hostPlatform(arch: string = process.arch): Platform {
  const architecture = GO_ARCH[arch] ?? arch;
  if (architecture === 'arm') {
    const version = (process.config.variables as Record<string, unknown>)['arm_version'];
    return { os: 'linux', architecture, variant: `v${typeof version === 'string' ? version : '7'}` };
  }
  if (architecture === 'arm64') return { os: 'linux', architecture, variant: 'v8' };
  return { os: 'linux', architecture };
}

export function formatPlatform(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant === undefined ? '' : `/${p.variant}`}`;
}

function isAttestation(d: Descriptor): boolean {
  return (
    (d.platform?.os === 'unknown' && d.platform.architecture === 'unknown') ||
    d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest'
  );
}

/** The best entry for `want`: exact variant first, then a missing variant (arm64 often has none). */
export function choosePlatform(manifests: readonly Descriptor[], want: Platform, where: string): Descriptor {
  const candidates = manifests.filter(
    (d) => !isAttestation(d) && d.platform?.os === want.os && d.platform.architecture === want.architecture,
  );
  const exact = candidates.find((d) => d.platform?.variant === want.variant);
  const loose = candidates.find((d) => d.platform?.variant === undefined || want.variant === undefined);
  const chosen = exact ?? loose;
  if (chosen === undefined) {
    const offered = manifests
      .filter((d) => !isAttestation(d))
      .map((d) => (d.platform === undefined ? '?' : formatPlatform(d.platform)));
    throw new ImageError(
      'unsupported',
      `no matching manifest for ${formatPlatform(want)} in the manifest list entries of ${where} (offered: ${offered.join(', ') || 'none'})`,
    );
  }
  return chosen;
}

// What the real-mode suites need (root on Linux, overlayfs, the Debian tools), and what to do
// when it is missing: off CI the suite is skipped with the reason printed; with CI=true the
// missing capability is a failing test, so a CI machine without them cannot pass quietly.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'vitest';

export type Need =
  | 'root'
  | 'overlay'
  | 'registry'
  | 'skopeo'
  | 'busybox'
  | 'attr'
  | 'docker'
  | 'shim'
  | 'runc'
  | 'iproute2'
  | 'iptables';

const TOOLS: Record<Exclude<Need, 'root' | 'overlay'>, { path: string; pkg: string }> = {
  registry: { path: '/usr/bin/docker-registry', pkg: 'docker-registry' },
  skopeo: { path: '/usr/bin/skopeo', pkg: 'skopeo' },
  busybox: { path: '/bin/busybox', pkg: 'busybox-static' },
  attr: { path: '/usr/bin/setfattr', pkg: 'attr' },
  docker: { path: '/usr/sbin/dockerd', pkg: 'docker.io' },
  shim: { path: '/usr/bin/containerd-shim-runc-v2', pkg: 'containerd' },
  runc: { path: '/usr/sbin/runc', pkg: 'runc' },
  iproute2: { path: '/usr/sbin/ip', pkg: 'iproute2' },
  iptables: { path: '/usr/sbin/iptables', pkg: 'iptables' },
};

function overlayAvailable(): boolean {
  try {
    if (readFileSync('/proc/filesystems', 'utf8').includes('overlay')) return true;
    execFileSync('modprobe', ['overlay'], { stdio: 'ignore' });
    return readFileSync('/proc/filesystems', 'utf8').includes('overlay');
  } catch {
    return false;
  }
}

/** Why the needs are not met here, or undefined. */
export function missing(needs: readonly Need[]): string | undefined {
  const why: string[] = [];
  for (const need of needs) {
    if (need === 'root') {
      if (process.platform !== 'linux' || process.getuid?.() !== 0) why.push('not root on linux');
    } else if (need === 'overlay') {
      if (!overlayAvailable()) why.push('no overlayfs in this kernel');
    } else if (!existsSync(TOOLS[need].path)) {
      why.push(`no ${TOOLS[need].path} (apt-get install ${TOOLS[need].pkg})`);
    }
  }
  return why.length === 0 ? undefined : why.join('; ');
}

/** `describe`, or a skip that says why (off CI), or a failure that says why (CI=true). */
export function realSuite(name: string, needs: readonly Need[], body: () => void): void {
  const why = missing(needs);
  if (why === undefined) {
    describe(name, body);
    return;
  }
  if (process.env['CI'] === 'true') {
    describe(name, () => {
      it('has what the real-mode suite needs', () => {
        throw new Error(`${name}: cannot run on CI: ${why}`);
      });
    });
    return;
  }
  console.log(`skipping ${name}: ${why}`);
  describe.skip(name, body);
}

// What an engine's containers hold on the host, counted from /proc and /sys (never from the
// engine's own records): its shims, the mounts under its directory, each container's cgroup
// directories, and the network's veths, netns files and port rules.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { countLeaks } from '../../../engine/net/index.ts';
import { engineBridge } from '../../../engine/real/world.ts';

function argvOf(pid: string): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

/** Shims started for the engine in `dir` (their -address is under it). */
export function shimsOf(dir: string): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .filter((n) => {
      const argv = argvOf(n);
      return (
        argv[0]?.endsWith('containerd-shim-runc-v2') === true && argv.some((a) => a.startsWith(`${dir}/`))
      );
    })
    .map(Number);
}

export function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => m.startsWith(`${dir}/`));
}

/** cgroup directories of these containers under the engine's parent, in any hierarchy. */
export function cgroupsOf(ids: readonly string[]): string[] {
  const hierarchies = readdirSync('/sys/fs/cgroup').map((h) => `/sys/fs/cgroup/${h}/dockstep`);
  const parents = [...hierarchies, '/sys/fs/cgroup/dockstep'];
  return ids.flatMap((id) => parents.map((p) => `${p}/${id}`)).filter((d) => existsSync(d));
}

export interface HostLeaks {
  shims: number;
  mounts: number;
  cgroups: number;
  veths: number;
  netns: number;
  portRules: number;
}

/** Everything the engine in `dir` (root `root`, bridge `bridge`) holds for these containers. */
export async function hostLeaks(
  dir: string,
  root: string,
  bridge: string,
  ids: readonly string[],
): Promise<HostLeaks> {
  const net = await countLeaks(engineBridge(root, bridge).cfg);
  return {
    shims: shimsOf(dir).length,
    mounts: mountsUnder(dir).length,
    cgroups: cgroupsOf(ids).length,
    veths: net.veths,
    netns: net.netnsFiles,
    portRules: net.portRules,
  };
}

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
export function cgroupsOf(...ids: readonly string[]): string[] {
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
  /** These containers' netns files, as seen while they ran (netnsOf). */
  netnsFiles: readonly string[] = [],
): Promise<HostLeaks> {
  const { cfg } = engineBridge(root, bridge);
  const net = await countLeaks(cfg);
  // The netns directory is shared by every engine on the host: only these containers' files count.
  const netns = [...new Set([...netnsFiles, ...netnsOf(root, bridge, ids)])].filter((f) => existsSync(f));
  return {
    shims: shimsOf(dir).length,
    mounts: mountsUnder(dir).length,
    cgroups: cgroupsOf(...ids).length,
    veths: net.veths,
    netns: netns.length,
    portRules: net.portRules,
  };
}

/** The netns files of these containers' endpoints, as the engine's network state records them. */
export function netnsOf(root: string, bridge: string, ids: readonly string[]): string[] {
  const { cfg } = engineBridge(root, bridge);
  if (!existsSync(cfg.stateFile)) return [];
  const state = JSON.parse(readFileSync(cfg.stateFile, 'utf8')) as {
    endpoints?: Record<string, { netns?: string }>;
  };
  return ids.flatMap((id) => state.endpoints?.[id]?.netns ?? []);
}

import type { CtrdContext } from '../layers/containerd/containerdMachine.ts';
import type { Daemon } from '../layers/dockerd/daemon.ts';
import type { ContainerRecord } from '../layers/dockerd/records.ts';
import type { KernelRecord } from '../layers/kernel/kernelMachine.ts';
import { familiarName } from '../model/image.ts';
import type { Profile } from '../model/trace.ts';
import type { Snapshotter } from '../ports/snapshotter.ts';
import type { HostContainer, HostLayer, HostProcess, HostSnapshot } from '../views/host.ts';
import type { World } from './world.ts';
import { criChains, criContainers, criImages, KUBELET_PROCESS, kubeletRan } from './hostCri.ts';

/**
 * Reads a simulated world into a HostSnapshot: what `pstree -p`, `lsns`, the cgroup tree and
 * `mount -t overlay` would show on the host at this step. Read-only: nothing here changes the
 * world, so a view can be drawn between any two steps.
 *
 * The daemons' pids are those of a host that started them early at boot; they never change.
 */
const SYSTEMD = { pid: 1, comm: 'systemd' };
const DAEMONS = [
  { pid: 612, comm: 'containerd' },
  { pid: 745, comm: 'dockerd' },
];

interface ShimView {
  containerId: string;
  shimPid: number;
}

export function daemonOf(world: World): Daemon {
  return (world.actors.dockerd.getSnapshot().context as { daemon: Daemon }).daemon;
}

function shimsOf(world: World): ShimView[] {
  const { shims } = world.actors.shim.getSnapshot().context as {
    shims: Record<string, { getSnapshot(): { status: string; context: { shimPid: number } } }>;
  };
  return Object.entries(shims)
    .filter(([, actor]) => actor.getSnapshot().status === 'active')
    .map(([containerId, actor]) => ({ containerId, shimPid: actor.getSnapshot().context.shimPid }));
}

/**
 * The daemons: containerd and dockerd; on a Kubernetes node, containerd and the kubelet, and no
 * dockerd (the simulated world has one, but a node where only the kubelet ran shows none).
 */
function daemonsOf(world: World): { pid: number; comm: string }[] {
  if (!kubeletRan(world)) return DAEMONS;
  const d = daemonOf(world);
  const dockerUsed = d.containers.size > 0 || d.images.size > 0 || d.events.length > 0;
  return [...DAEMONS.filter((p) => p.comm !== 'dockerd' || dockerUsed), KUBELET_PROCESS];
}

function processesOf(world: World): HostProcess[] {
  const out: HostProcess[] = [
    { ...SYSTEMD, ppid: 0 },
    ...daemonsOf(world).map((d) => ({ ...d, ppid: SYSTEMD.pid })),
  ];
  const shims = shimsOf(world);
  // containerd-shim-runc-v2 double-forks at start, so its parent is PID 1; the kernel
  // truncates its name to 15 bytes (TASK_COMM_LEN), hence "containerd-shim". A pod's shim
  // serves all its containers: one process, listed once.
  const listed = new Set<number>();
  for (const s of shims) {
    if (listed.has(s.shimPid)) continue;
    listed.add(s.shimPid);
    out.push({ pid: s.shimPid, ppid: SYSTEMD.pid, comm: 'containerd-shim', containerId: s.containerId });
  }
  for (const p of world.ports.runtime.processes()) {
    const shim = shims.find((s) => s.containerId === p.containerId);
    const frozen = p.state === 'paused';
    const base = {
      containerId: p.containerId,
      ...(frozen ? { frozen } : {}),
      ...(p.modeled ? {} : { unmodelled: true }),
    };
    // The shim is the container's subreaper: runc exits after start, so init and every exec'd
    // process are re-parented to it (PR_SET_CHILD_SUBREAPER, man 2 prctl).
    out.push({ pid: p.pid, ppid: shim?.shimPid ?? SYSTEMD.pid, comm: p.comm, ...base });
    for (const child of p.children) out.push({ pid: child.pid, ppid: p.pid, comm: child.comm, ...base });
  }
  return out;
}

export function statusOf(c: ContainerRecord): string {
  const snap = c.actor.getSnapshot();
  if (snap.matches({ running: 'paused' })) return 'paused';
  if (snap.matches({ running: 'restarting' })) return 'restarting';
  return typeof snap.value === 'string' ? snap.value : 'running';
}

/** Every image on the host: containerd's image store (v29) and dockerd's own (classic). */
export function imagesOf(
  world: World,
  daemon = daemonOf(world),
): { name: string; layers: { chainId: string }[] }[] {
  const ctrd = world.actors.containerd.getSnapshot().context as CtrdContext;
  return [...Object.values(ctrd.images), ...daemon.images.values(), ...criImages(world)];
}

/** Who uses each snapshot key: images by their layer chain, containers by their chain. */
function usersByKey(world: World, daemon: Daemon, chains: Map<string, string[]>): Map<string, string[]> {
  const users = new Map<string, string[]>();
  const add = (key: string, who: string): void => {
    const list = users.get(key) ?? [];
    if (!list.includes(who)) users.set(key, [...list, who]);
  };
  for (const image of imagesOf(world, daemon))
    for (const layer of image.layers) add(layer.chainId, familiarName(image.name));
  for (const [name, chain] of chains) for (const key of chain) add(key, name);
  return users;
}

function chainOf(snapshotter: Snapshotter, key: string): string[] {
  const chain: string[] = [];
  for (
    let k: string | undefined = key;
    k !== undefined && chain.length < 1000;
    k = snapshotter.stat(k)?.parent
  )
    chain.push(k);
  return chain;
}

function containerView(
  world: World,
  c: ContainerRecord,
  snapshotter: Snapshotter,
  chain: string[],
  users: Map<string, string[]>,
): HostContainer {
  const kernel = (world.actors.Kernel.getSnapshot().context as { containers: Record<string, KernelRecord> })
    .containers[c.id];
  const own = new Set([c.name, familiarName(c.image.name)]);
  const layers: HostLayer[] = chain.map((key, i) => {
    const info = snapshotter.stat(key);
    return {
      key,
      dir: snapshotter.pathOf(key),
      size: info?.size ?? 0,
      writable: i === 0,
      sharedWith: (users.get(key) ?? []).filter((u) => !own.has(u)),
    };
  });
  const mount = snapshotter.stat(c.rwKey) ? snapshotter.mounts(c.rwKey)[0] : undefined;
  const view: HostContainer = {
    id: c.id,
    name: c.name,
    image: c.imageRef,
    status: statusOf(c),
    pid: kernel?.pid ?? 0,
    namespaces: kernel?.namespaces ?? [],
    limits: kernel?.limits ?? {},
    layers,
    mountOptions: mount?.options ?? [],
  };
  if (kernel?.cgroup) view.cgroup = kernel.cgroup;
  if (kernel?.binds?.length) view.binds = kernel.binds;
  return view;
}

export function hostSnapshot(world: World, profile: Profile): HostSnapshot {
  const daemon = daemonOf(world);
  const snapshotter = profile === 'classic' ? world.ports.graphdriver : world.ports.snapshotter;
  const records = [...daemon.containers.values()].filter((c) => statusOf(c) !== 'removed');
  const chains = new Map(records.map((c) => [c.name, chainOf(snapshotter, c.rwKey)]));
  const chain = (key: string): string[] => chainOf(world.ports.snapshotter, key);
  const users = usersByKey(world, daemon, new Map([...chains, ...criChains(world, chain)]));
  const containers = [
    ...records.map((c) => containerView(world, c, snapshotter, chains.get(c.name) ?? [], users)),
    ...criContainers(world, world.ports.snapshotter, users, chain),
  ];
  return {
    driver: profile === 'classic' ? 'overlay2' : 'overlayfs',
    processes: processesOf(world),
    containers,
  };
}

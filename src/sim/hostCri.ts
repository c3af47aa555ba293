import type { CtrdContext } from '../layers/containerd/containerdMachine.ts';
import type { CriState } from '../layers/containerd/criState.ts';
import type { KernelRecord } from '../layers/kernel/kernelMachine.ts';
import type { Kubelet } from '../layers/kubelet/kubelet.ts';
import { familiarName } from '../model/image.ts';
import type { Snapshotter } from '../ports/snapshotter.ts';
import type { HostContainer, HostLayer } from '../views/host.ts';
import type { World } from './world.ts';

/**
 * The Kubernetes side of the host view: the kubelet's process, and the pod containers of the
 * CRI plugin (the pause container and the pod's containers), which dockerd knows nothing of.
 * Their layers live in the k8s.io namespace of containerd's overlayfs snapshotter.
 */
export const KUBELET_PROCESS = { pid: 833, comm: 'kubelet' };

export function criOf(world: World): CriState {
  return (world.actors.containerd.getSnapshot().context as CtrdContext).cri;
}

/** Whether a kubectl line has reached the kubelet: then this host is a Kubernetes node. */
export function kubeletRan(world: World): boolean {
  const k = (world.actors.kubelet.getSnapshot().context as { kubelet?: Kubelet }).kubelet;
  return (k?.lines ?? 0) > 0;
}

/** The k8s.io images, one entry per image with its familiar name, for layer sharing and goals. */
export function criImages(world: World): { name: string; layers: { chainId: string }[] }[] {
  return criOf(world)
    .uniqueImages()
    .map((i) => ({
      name: i.repoTags[0] ?? i.id,
      layers: i.layers.map((l) => ({ chainId: `k8s.io/${l.chainId}` })),
    }));
}

interface Entry {
  id: string;
  name: string;
  image: string;
  status: string;
  key: string;
}

function entries(cri: CriState): Entry[] {
  const sandboxes = [...cri.sandboxes.values()].map((s) => ({
    id: s.id,
    name: s.name,
    image: 'registry.k8s.io/pause:3.10.1',
    status: s.state === 'ready' ? 'running' : 'exited',
    key: s.snapshotKey,
  }));
  const containers = [...cri.containers.values()].map((c) => ({
    id: c.id,
    name: c.name,
    image: familiarName(c.imageName),
    status: c.state,
    key: c.snapshotKey,
  }));
  return [...sandboxes, ...containers];
}

export function criContainers(
  world: World,
  snapshotter: Snapshotter,
  users: Map<string, string[]>,
  chainOf: (key: string) => string[],
): HostContainer[] {
  const kernel = (world.actors.Kernel.getSnapshot().context as { containers: Record<string, KernelRecord> })
    .containers;
  return entries(criOf(world)).map((e) => {
    const k = kernel[e.id];
    const own = new Set([e.name, e.image]);
    const layers: HostLayer[] = chainOf(e.key).map((key, i) => ({
      key: key.replace(/^k8s\.io\//, ''),
      dir: snapshotter.pathOf(key),
      size: snapshotter.stat(key)?.size ?? 0,
      writable: i === 0,
      sharedWith: (users.get(key) ?? []).filter((u) => !own.has(u)),
    }));
    const mount = snapshotter.stat(e.key) ? snapshotter.mounts(e.key)[0] : undefined;
    const view: HostContainer = {
      id: e.id,
      name: e.name,
      image: e.image,
      status: e.status,
      pid: k?.pid ?? 0,
      namespaces: k?.namespaces ?? [],
      limits: k?.limits ?? {},
      layers,
      mountOptions: mount?.options ?? [],
    };
    if (k?.cgroup) view.cgroup = k.cgroup;
    return view;
  });
}

/** Each pod container's snapshot chain, for the layer users map. */
export function criChains(world: World, chainOf: (key: string) => string[]): Map<string, string[]> {
  return new Map(entries(criOf(world)).map((e) => [e.name, chainOf(e.key)]));
}

/**
 * The participants of a run, in the order the customer's seed diagrams draw them
 * (seed 000: User, CLI, dockerd, Registry, containerd, shim, runc, Storage, Network), plus the
 * kernel, which appears where it helps show namespaces, cgroups, mounts and signals, and three
 * that only some lessons meet: the kubelet (Kubernetes talks CRI to containerd, no dockerd), the
 * Docker Desktop VM boundary (between the CLI on the host and dockerd in the VM) and the
 * builder inside dockerd for `docker build` (the legacy builder of Engine 20.10, BuildKit in Engine 29).
 *
 * Note the real parent/child order differs from the seed's column order: containerd starts the
 * shim, and the shim runs runc (seed 000 draws runc starting the shim). Columns stay as the seeds
 * draw them so the diagram is familiar; the arrows follow reality.
 */
export const PARTICIPANTS = [
  'User',
  'kubelet',
  'CLI',
  'VM',
  'dockerd',
  'Builder',
  'Registry',
  'containerd',
  'shim',
  'runc',
  'Storage',
  'Network',
  'Kernel',
] as const;

export type Participant = (typeof PARTICIPANTS)[number];

/**
 * Columns drawn only when a run has a message to or from them: most runs never meet them, and
 * an empty column would only push the others apart.
 */
export const OCCASIONAL: ReadonlySet<Participant> = new Set<Participant>(['kubelet', 'VM', 'Builder']);

/** Layers that own a machine (the user is a person, not a machine). */
export type Layer = Exclude<Participant, 'User'>;

export function isParticipant(value: string): value is Participant {
  return (PARTICIPANTS as readonly string[]).includes(value);
}

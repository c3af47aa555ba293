import type {
  DiskFault,
  Fault,
  PortFault,
  ProcessFault,
  RegistryFault,
  RegistryFaultStatus,
} from '../model/faults.ts';
import type {
  EndpointResult,
  EndpointTarget,
  NetworkDriver,
  PortBinding,
  UserNetwork,
} from '../ports/network.ts';
import type { RegistryRequest, RegistryResponse, RegistryTransport } from '../ports/registry.ts';
import type { Mount, SnapshotInfo, Snapshotter } from '../ports/snapshotter.ts';
import type { Profile } from '../model/trace.ts';

/**
 * The simulated adapters with a lesson's faults (model/faults.ts). Each wrapper answers what
 * the real thing answers when it breaks that way, and passes everything else through. They all
 * share one switch: off while a lesson's world is being built, on from its first step.
 */
export interface FaultSwitch {
  armed: boolean;
}

const TEXT: Record<RegistryFaultStatus, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** Error bodies of the Distribution spec (https://distribution.github.io/distribution/spec/api/#errors). */
const CODE: Record<RegistryFaultStatus, [string, string]> = {
  401: ['UNAUTHORIZED', 'authentication required'],
  403: ['DENIED', 'requested access to the resource is denied'],
  404: ['MANIFEST_UNKNOWN', 'manifest unknown'],
  429: [
    'TOOMANYREQUESTS',
    'You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
  ],
  500: ['UNKNOWN', 'unknown error'],
  502: ['UNKNOWN', 'bad gateway'],
  503: ['UNAVAILABLE', 'service unavailable'],
};

export class FaultyRegistry implements RegistryTransport {
  private readonly left: (number | undefined)[];

  constructor(
    private readonly inner: RegistryTransport,
    private readonly faults: readonly RegistryFault[],
    private readonly on: FaultSwitch,
  ) {
    this.left = faults.map((f) => f.times);
  }

  roundTrip(request: RegistryRequest): RegistryResponse {
    if (!this.on.armed) return this.inner.roundTrip(request);
    const i = this.faults.findIndex((f, k) => request.path.startsWith(f.path) && this.left[k] !== 0);
    const fault = this.faults[i];
    if (!fault) return this.inner.roundTrip(request);
    const left = this.left[i];
    if (left !== undefined) this.left[i] = left - 1;
    if (fault.timeout || fault.status === undefined)
      return { status: 0, statusText: 'no answer', headers: {}, bodySize: 0, noAnswer: true };
    const [code, message] = CODE[fault.status];
    const body =
      request.method === 'HEAD' ? undefined : JSON.stringify({ errors: [{ code, message, detail: null }] });
    return {
      status: fault.status,
      statusText: TEXT[fault.status],
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      ...(body ? { body } : {}),
      bodySize: body?.length ?? 0,
    };
  }
}

/** What the disk fault needs to know of a layer: how much it writes, and its biggest file. */
export type LayerFootprint = (diffId: string) => { bytes: number; path: string } | undefined;

/**
 * A snapshotter on a file system with `free` bytes left: applying a layer that does not fit
 * fails with ENOSPC on the layer's biggest file, as tar extraction would. The half-written
 * snapshot stays active; the caller removes it, as containerd's unpacker and dockerd's layer
 * store do.
 */
export class FullDiskSnapshotter implements Snapshotter {
  private free: number;

  constructor(
    private readonly inner: Snapshotter,
    fault: DiskFault,
    private readonly footprint: LayerFootprint,
    private readonly on: FaultSwitch,
  ) {
    this.free = fault.free;
  }

  get name(): string {
    return this.inner.name;
  }

  get root(): string {
    return this.inner.root;
  }

  apply(key: string, layer: { digest: string; diffId: string; size: number }): { applied: number } {
    const foot = this.footprint(layer.diffId) ?? { bytes: layer.size, path: '/layer.tar' };
    // overlay2 untars in a chroot (docker-untar), so its error names the path inside the layer;
    // containerd's applier writes from the host and names the snapshot's own directory.
    const path = this.inner.name === 'overlay2' ? foot.path : `${this.inner.pathOf(key)}/fs${foot.path}`;
    if (!this.on.armed) return this.inner.apply(key, layer);
    if (foot.bytes > this.free) throw new Error(`write ${path}: no space left on device`);
    this.free -= foot.bytes;
    return this.inner.apply(key, layer);
  }

  prepare(key: string, parent: string | undefined, labels?: Record<string, string>): Mount[] {
    return this.inner.prepare(key, parent, labels);
  }

  commit(name: string, key: string, parent?: string): SnapshotInfo {
    return this.inner.commit(name, key, parent);
  }

  mounts(key: string): Mount[] {
    return this.inner.mounts(key);
  }

  remove(key: string): boolean {
    return this.inner.remove(key);
  }

  stat(key: string): SnapshotInfo | undefined {
    return this.inner.stat(key);
  }

  list(): SnapshotInfo[] {
    return this.inner.list();
  }

  write(key: string, path: string, size: number): { copiedUp: boolean } {
    return this.inner.write(key, path, size);
  }

  pathOf(key: string): string {
    return this.inner.pathOf(key);
  }

  changes(key: string): { path: string; size: number }[] {
    return this.inner.changes(key);
  }
}

/**
 * The bridge driver on a host where another process already listens on some ports: publishing
 * one of them fails at bind(2). dockerd 20.10 has the userland proxy (docker-proxy) listen
 * (v20.10.24 libnetwork portmapper/proxy.go); Engine 28+ binds the host port itself and hands the
 * socket on (docker-v29.0.0 daemon/libnetwork/portallocator/osallocator_linux.go bindTCPOrUDP).
 */
export class BusyPortsNetwork implements NetworkDriver {
  constructor(
    private readonly inner: NetworkDriver,
    private readonly busy: readonly PortFault[],
    private readonly endpointId: () => string,
    private readonly on: FaultSwitch,
    private readonly profile: Profile,
  ) {}

  get bridge(): NetworkDriver['bridge'] {
    return this.inner.bridge;
  }

  createEndpoint(
    containerId: string,
    ports: PortBinding[],
    name?: string,
    on?: EndpointTarget,
    sandboxId?: string,
  ): EndpointResult {
    const taken = this.on.armed
      ? ports.find((p) => p.protocol === 'tcp' && this.busy.some((b) => b.port === p.hostPort))
      : undefined;
    if (!taken) return this.inner.createEndpoint(containerId, ports, name, on, sandboxId);
    const ip = taken.hostIp === '' || taken.hostIp === '0.0.0.0' ? '0.0.0.0' : taken.hostIp;
    const bind =
      this.profile === 'classic'
        ? `Error starting userland proxy: listen tcp4 ${ip}:${taken.hostPort}: bind: address already in use`
        : `failed to bind host port ${ip}:${taken.hostPort}/tcp: address already in use`;
    return {
      ok: false,
      error: `driver failed programming external connectivity on endpoint ${name ?? containerId.slice(0, 12)} (${this.endpointId()}): ${bind}`,
    };
  }

  deleteEndpoint(containerId: string, network?: string): ReturnType<NetworkDriver['deleteEndpoint']> {
    return this.inner.deleteEndpoint(containerId, network);
  }

  endpoint(containerId: string, network?: string): ReturnType<NetworkDriver['endpoint']> {
    return this.inner.endpoint(containerId, network);
  }

  sandboxKey(sandboxId: string, host: boolean): string {
    return this.inner.sandboxKey?.(sandboxId, host) ?? '';
  }

  createNetwork(network: UserNetwork): { ok: true } | { ok: false; error: string } {
    return this.inner.createNetwork?.(network) ?? { ok: false, error: 'user-defined networks not supported' };
  }

  deleteNetwork(name: string): boolean {
    return this.inner.deleteNetwork?.(name) ?? false;
  }

  resolve(containerId: string, name: string): string | undefined {
    return this.inner.resolve?.(containerId, name);
  }

  onUserNetwork(containerId: string): boolean {
    return this.inner.onUserNetwork?.(containerId) ?? false;
  }
}

type FaultKind = 'registry' | 'process' | 'disk' | 'port';
type FaultOf<K extends FaultKind> = Extract<Fault, Record<K, unknown>>[K];

/** The lesson's faults of one kind, in the order given. */
export function faultsOf<K extends FaultKind>(faults: readonly Fault[], kind: K): FaultOf<K>[] {
  const out: FaultOf<K>[] = [];
  for (const f of faults) if (kind in f) out.push((f as unknown as Record<K, FaultOf<K>>)[kind]);
  return out;
}

/** The signals a process of catalogue image `image` (`nginx`) ignores, by the lesson's process faults. */
export function ignoredSignals(faults: readonly ProcessFault[], image: string): string[] {
  return faults.filter((f) => f.image === image).flatMap((f) => f.ignore);
}

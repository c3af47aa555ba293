import { createActor } from 'xstate';
import type { JsonValue } from '../../model/json.ts';
import type { Message } from '../../model/message.ts';
import type { Participant } from '../../model/participants.ts';
import type { DockerEvent, Profile } from '../../model/trace.ts';
import type { Wire } from '../../wire/wire.ts';
import {
  TopicWaiters,
  type CallEffect,
  type Effect,
  type WorkPayload,
  type WorkResult,
} from '../operation.ts';
import type { Ports } from '../ports.ts';
import { draft, replyDraft, type PostOptions } from '../post.ts';
import { containerMachine } from './containerMachine.ts';
import type { VolumeRecord } from './ops/volumes.ts';
import type { ContainerRecord, ExecRecord, ImageRecord, NetworkRecord } from './records.ts';

/**
 * dockerd's in-memory state and the helpers its operations share: the container and exec
 * tables, the classic image store, the event log, and reply/event/self-message builders.
 * Operations (one per Engine API endpoint, under ops/) read and change it; the container
 * lifecycle itself is each container's actor.
 */
const HTTP_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  304: 'Not Modified',
  400: 'Bad Request',
  404: 'Not Found',
  409: 'Conflict',
  500: 'Internal Server Error',
};

/** Events dockerd keeps in memory for `--since` (moby daemon/events/events.go eventsLimit). */
export const EVENTS_LIMIT = 256;

export interface DaemonConfig {
  /** `live-restore`: containers keep running while dockerd is down, and are kept when it starts. */
  liveRestore: boolean;
  /**
   * Unpack a pull's layers side by side and commit them in order (containerd's parallel unpack,
   * ops/imagePullParallel.ts). Off in Docker 29's default; the dockstep engine turns it on.
   */
  parallelUnpack?: boolean;
  /** `max-concurrent-downloads`: layers a pull downloads at once (3 by default). */
  maxConcurrentDownloads?: number;
  /**
   * Which digest names an image in dockerd's answers (its events, its history rows): Engine
   * 29's containerd image service uses the image's target (moby daemon/containerd image_tag.go,
   * image_history.go), dockerd ≤ 28 its config digest, the image id (daemon/images). The
   * dockstep engine answers as the dockerd 20.10 it is measured against: `config`. The
   * simulation's v29 profile shows Engine 29: `target` (the default).
   */
  imageId?: 'config' | 'target';
}

export class Daemon {
  readonly containers = new Map<string, ContainerRecord>();
  /** The classic image store's references: normalised name → image. */
  readonly images = new Map<string, ImageRecord>();
  /** Classic images kept without any reference (`<none>`): a container still uses them. Keyed by id. */
  readonly untagged = new Map<string, ImageRecord>();
  readonly execs = new Map<string, ExecRecord>();
  /** Every image the legacy builder committed (classic), by id: the build cache and `docker history`. */
  readonly built = new Map<string, ImageRecord>();
  readonly events: DockerEvent[] = [];
  /** Volumes of the local driver, by name (ops/volumes.ts). */
  readonly volumes = new Map<string, VolumeRecord>();
  /** User-defined networks by name (the predefined three: predefinedNetworks()). */
  readonly networks = new Map<string, NetworkRecord>();
  private others: NetworkRecord[] | undefined;
  readonly waiters = new TopicWaiters();
  /** Containers a shutdown still waits for (ops/daemonLifecycle.ts). */
  shutdownLeft = 0;
  /** Daemon.Shutdown has begun: its stops are not the user's (moby daemon.IsShuttingDown). */
  shuttingDown = false;
  /** API requests that connected while the daemon was starting: served once the API is (boot). */
  backlog: Message[] = [];
  private eventNanos = 0;

  constructor(
    readonly wire: Wire,
    readonly ports: Ports,
    readonly profile: Profile,
    /** /etc/docker/daemon.json, as far as the simulation reads it. */
    readonly config: DaemonConfig = { liveRestore: false },
  ) {}

  get parallelUnpack(): boolean {
    return this.config.parallelUnpack === true;
  }

  /** The digest dockerd's answers name an image by (DaemonConfig.imageId). */
  imageIdOf(image: { id: string; target: { digest: string } }): string {
    return this.namesByConfig ? image.id : image.target.digest;
  }

  /** dockerd ≤ 28's answers: images by config digest, Go's zero time for a missing date. */
  get namesByConfig(): boolean {
    return this.profile === 'classic' || this.config.imageId === 'config';
  }

  get maxConcurrentDownloads(): number | undefined {
    return this.config.maxConcurrentDownloads;
  }

  /**
   * The process died: what it held in memory goes (the event log, execs, who waited for what);
   * what it wrote to disk (containers, images) stays for the next start to read.
   */
  forgetMemory(): void {
    this.events.length = 0;
    this.execs.clear();
    this.waiters.clear();
    this.shutdownLeft = 0;
    this.shuttingDown = false;
    // Restart managers live in memory: the next dockerd makes new ones from RestartCount.
    for (const c of this.containers.values()) delete c.restartManager;
    // Connections waiting in the socket's backlog are reset with it.
    this.backlog = [];
  }

  reply(req: Message, code: number, body?: JsonValue, o: PostOptions = {}): void {
    const text = `${code} ${HTTP_TEXT[code] ?? ''}`.trim();
    // A 200 can still fail: a pull's error arrives inside its progress stream.
    const opts: PostOptions = { ...o, status: String(code), ok: o.ok ?? code < 400 };
    if (body !== undefined) opts.payload = body;
    this.wire.reply(req, replyDraft(req.op, text, opts));
  }

  error(req: Message, code: number, message: string): void {
    this.reply(req, code, { message }, { narration: 'dockerd.error.reply', params: { code, message } });
  }

  call(to: Participant, op: string, call: string, o: PostOptions = {}): CallEffect {
    return { kind: 'call', draft: draft('dockerd', to, op, call, o) };
  }

  /**
   * Work dockerd does itself (reading a `docker load` archive), as an effect: `sim` is what the
   * simulation's effect answers, real mode does the named work on the host.
   */
  *work(name: string, input: WorkPayload, sim: () => WorkPayload): Generator<Effect, WorkResult, unknown> {
    const result = yield { kind: 'work', name, input, sim };
    return result as WorkResult;
  }

  self(op: string, call: string, o: PostOptions = {}): void {
    const d = draft('dockerd', 'dockerd', op, call, o);
    this.wire.self('dockerd', d);
  }

  /** Publish a docker event (`docker events`), shaped as the Engine's events.Message. */
  emit(
    type: DockerEvent['Type'],
    action: string,
    id: string,
    attributes: Record<string, string>,
    from?: string,
  ): void {
    const now = this.ports.clock.now();
    const sorted: Record<string, string> = {};
    for (const key of Object.keys(attributes).sort()) sorted[key] = attributes[key] ?? '';
    const timeNano = now * 1_000_000 + (this.eventNanos++ % 1000) * 1000;
    const event: DockerEvent = {
      Type: type,
      Action: action,
      Actor: { ID: id, Attributes: sorted },
      scope: 'local',
      time: Math.floor(now / 1000),
      timeNano,
    };
    // The legacy status/id/from fields are only container and image events' (moby
    // api/types/events Message: `id` omitted when empty, as a prune's is).
    const withLegacy: DockerEvent =
      type === 'network' || type === 'volume' || type === 'builder'
        ? event
        : { status: action, ...(id !== '' ? { id } : {}), ...(from !== undefined ? { from } : {}), ...event };
    this.events.push(withLegacy);
    // dockerd keeps the last 256 events for `docker events --since` (moby daemon/events/events.go
    // eventsLimit): a daemon that runs for weeks does not grow with what it has done.
    if (this.events.length > EVENTS_LIMIT) this.events.splice(0, this.events.length - EVENTS_LIMIT);
    this.wire.dockerEvent(withLegacy);
  }

  containerEvent(c: ContainerRecord, action: string, extra: Record<string, string> = {}): void {
    this.emit('container', action, c.id, { image: c.imageRef, name: c.name, ...extra }, c.imageRef);
  }

  /** `network connect`/`disconnect`, on the default bridge unless another network is named. */
  networkEvent(
    c: ContainerRecord,
    action: 'connect' | 'disconnect',
    network: { id: string; name: string } = { id: this.ports.network.bridge.id, name: 'bridge' },
  ): void {
    this.emit('network', action, network.id, { container: c.id, name: network.name, type: 'bridge' });
  }

  /** The default bridge network (docker0), as libnetwork names it. */
  bridgeNetwork(): NetworkRecord {
    const b = this.ports.network.bridge;
    return {
      id: b.id,
      name: 'bridge',
      driver: 'bridge',
      subnet: b.subnet,
      gateway: b.gateway,
      bridge: b.name,
      createdMs: 0,
      predefined: true,
      ipamConfig: [{ Subnet: b.subnet, Gateway: b.gateway }],
    };
  }

  /**
   * bridge, host and none, which dockerd makes at its first start (host's and none's ids are
   * drawn when a command first shows them, so runs without network commands keep their ids).
   */
  predefinedNetworks(): NetworkRecord[] {
    const none = { createdMs: 0, predefined: true, subnet: '', gateway: '', bridge: '', ipamConfig: [] };
    this.others ??= [
      { ...none, id: this.ports.ids.id64(), name: 'host', driver: 'host' },
      { ...none, id: this.ports.ids.id64(), name: 'none', driver: 'null' },
    ];
    return [this.bridgeNetwork(), ...this.others];
  }

  /** A network by name, full id or unique id prefix (libnetwork's lookup order). */
  findNetwork(ref: string): NetworkRecord | undefined {
    if (ref === 'bridge') return this.bridgeNetwork();
    const named = [
      ...(ref === 'host' || ref === 'none' ? this.predefinedNetworks() : []),
      ...this.networks.values(),
    ];
    const byName = named.find((n) => n.name === ref || n.id === ref);
    if (byName) return byName;
    const matches = [...this.predefinedNetworks(), ...this.networks.values()].filter((n) =>
      n.id.startsWith(ref),
    );
    return matches.length === 1 ? matches[0] : undefined;
  }

  /** Find a container by full id, name, or unique id prefix, as dockerd's GetContainer does. */
  findContainer(ref: string): ContainerRecord | undefined {
    const byId = this.containers.get(ref);
    if (byId) return byId;
    const name = ref.replace(/^\//, '');
    for (const c of this.containers.values()) if (c.name === name) return c;
    const matches = [...this.containers.values()].filter((c) => c.id.startsWith(ref));
    return matches.length === 1 ? matches[0] : undefined;
  }

  /** Each container's lifecycle actor. */
  spawnContainer(id: string): ContainerRecord['actor'] {
    return createActor(containerMachine, { input: { id } }).start();
  }

  now(): number {
    return this.ports.clock.now();
  }
}

// The engine's one long-lived world: the simulation's layer machines, started once per
// `dockstep engine` on one wire, with their effects provided for real
// (`machine.provide({ actors })`): the registry answers from the network, the storage driver
// and containerd's content and image stores work on the engine's root. Every Engine API request
// that runs through the machines enters here (the gateway, `request`) as a message from the CLI
// participant, and its operation's reply comes back as the answer. Requests run concurrently in
// the one world, as dockerd serves them; each has its session (session.ts) for what it holds.
// With a run directory, containers are real too: the shim and runc machines drive real shims
// (runtime.ts, tasks.ts), the Network machine's effects drive the engine's bridge (network.ts), and
// the engine's json-file logger keeps their output (logs.ts); the log store port is still the simulation's.
import { createActor, fromCallback, type AnyActorRef, type AnyStateMachine, type SnapshotFrom } from 'xstate';
import type { dockerdMachine } from '../../src/layers/dockerd/dockerdMachine.ts';
import { draft } from '../../src/layers/post.ts';
import type { LayerInput } from '../../src/layers/ports.ts';
import type { Daemon } from '../../src/layers/dockerd/daemon.ts';
import type { MessageDraft, Message } from '../../src/model/message.ts';
import type { Layer } from '../../src/model/participants.ts';
import { simPorts, startLayers } from '../../src/sim/world.ts';
import { readLayerState } from '../../src/views/layerStates.ts';
import { SeededIds } from '../../src/wire/ids.ts';
import { Scheduler } from '../../src/wire/scheduler.ts';
import { Wire } from '../../src/wire/wire.ts';
import { join } from 'node:path';
import type { ImageRoot } from '../image/root.ts';
import { ensureBridge, type BridgeNetwork } from '../net/index.ts';
import { WallClock } from './clock.ts';
import { ContainerStore } from './containerStore.ts';
import { RealDriver } from './driver.ts';
import { engineBridge } from './engineBridge.ts';
import { RealBridgeView } from './network.ts';
import { UserBridges } from './networkUser.ts';
import { OomWitness } from './oomWitness.ts';
import { bootEngine, seenOn, type Boot } from './restore.ts';
import { RealSession } from './session.ts';
import { tellShimEvent } from './shimEvents.ts';
import { RealTasks } from './tasks.ts';
import { TraceHub } from './traceHub.ts';
import { RealContentView, RealSnapshotView } from './views.ts';
import { realMachines } from './worldMachines.ts';

export { engineBridge } from './engineBridge.ts';

/**
 * Container events that change nothing dockerd writes: moby logs them without a CheckpointTo
 * (daemon/attach.go, kill.go — the state changes at `die` —, top, export, archive, commit).
 */
const UNCHANGED_BY = new Set(['attach', 'kill', 'top', 'export', 'archive-path', 'extract-to-dir', 'commit']);

export interface RealWorldOptions {
  /** dockerd's `max-concurrent-downloads` (3 when absent). */
  maxConcurrentDownloads?: number | undefined;
  /**
   * Where real containers keep their runtime state (bundles, runc's root, the shims' events
   * socket). Without it the container half of the world stays simulated (image-only uses).
   */
  runDir?: string | undefined;
  /** The engine's bridge (`dockstep0` unless said): its own chains are named after it. */
  bridge?: string | undefined;
  /** dockerd's `--live-restore`: containers outlive the engine's stop and are kept at its start. */
  liveRestore?: boolean | undefined;
}

/** One request through the gateway: its id on the wire and its answer. */
export interface GatewayCall {
  id: number;
  answer: Promise<Message>;
}

export class RealWorld {
  readonly clock = new WallClock(Date.now());
  readonly wire = new Wire(this.clock);
  readonly scheduler = new Scheduler(this.wire, this.clock);
  readonly driver = new RealDriver(this.scheduler);
  readonly trace = new TraceHub();
  readonly actors: Record<Layer, AnyActorRef>;
  private readonly sessions = new Map<number, RealSession>();
  private readonly answers = new Map<
    number,
    { resolve: (msg: Message) => void; reject: (error: Error) => void }
  >();
  /** Requests being cancelled: their answer is the cancellation, once dockerd has acted on it. */
  private readonly cancelling = new Map<number, (error: Error) => void>();
  /** The root of the message delivered last (its state record belongs to the same request). */
  private lastRoot: number | undefined;
  /** The CLI participant's end of every connection: replies to gateway requests land here. */
  private readonly client: AnyActorRef;
  /** Requests whose delivery someone waits for (a wait's early answer). */
  private readonly delivered = new Map<number, () => void>();
  /** OOM kills the shims reported, and those only the kernel's count shows (oomWitness.ts). */
  private readonly oom = new OomWitness();
  /** The work of dockerd's own operations, which no client's request started. */
  private readonly background: RealSession;
  /** The real shims and their containers (when the world has a run directory). */
  readonly tasks: RealTasks | undefined;
  /** The engine's bridge network, set up when the first endpoint needs it. */
  readonly network: BridgeNetwork | undefined;
  /** The user-defined networks' bridges and the embedded DNS server (`docker network create`). */
  readonly userNetworks: UserBridges | undefined;
  private bridgeUp: Promise<unknown> | undefined;
  /** dockerd's containers on disk (`<root>/containers/<id>/config.v2.json`, hostconfig.json). */
  readonly containers: ContainerStore;

  constructor(
    readonly root: ImageRoot,
    options: RealWorldOptions = {},
  ) {
    this.background = new RealSession(root);
    this.tasks = options.runDir === undefined ? undefined : new RealTasks(root, options.runDir);
    this.network = options.runDir === undefined ? undefined : engineBridge(root.root, options.bridge);
    this.userNetworks = this.network === undefined ? undefined : new UserBridges(this.network);
    this.containers = new ContainerStore(join(root.root, 'containers'), (id) =>
      this.daemon().containers.get(id),
    );
    this.clock.follow(this.driver);
    this.wire.keep = false;
    this.wire.onEntry = (entry, rootId) => {
      if (entry.type === 'message') this.lastRoot = rootId;
      this.trace.push(entry, rootId);
      if (entry.type === 'message' && entry.message.op === 'dockerd.cancelled' && rootId !== undefined)
        this.cancelled(rootId);
      // Every state change of a container is a container event: dockerd checkpoints it to disk.
      if (entry.type === 'docker-event' && entry.event.Type === 'container') {
        const { Action: action, Actor: actor } = entry.event;
        if (action === 'destroy') void this.containers.remove(actor.ID);
        else if (!action.startsWith('exec_') && !UNCHANGED_BY.has(action))
          void this.containers.checkpoint(actor.ID);
      }
      // An exit's network release comes after its `die` (moby monitor.go: Cleanup, then
      // CheckpointTo): the files are written again without the endpoint.
      const left = entry.type === 'docker-event' && entry.event.Type === 'network' ? entry.event : undefined;
      if (left?.Action === 'disconnect' && left.Actor.Attributes['container'] !== undefined)
        void this.containers.checkpoint(left.Actor.Attributes['container']);
    };
    const ports = simPorts(this.clock, new SeededIds(Date.now() % 2 ** 31));
    ports.content = new RealContentView(root);
    if (this.network !== undefined) ports.network = new RealBridgeView(this.network, this.userNetworks);
    // A layer the pull finds already there is held by that pull's session from then on.
    ports.snapshotter = new RealSnapshotView(root, (key) => this.current()?.holdSnapshot(key));
    // The engine's snapshotter can rebase, so its pulls unpack layers side by side.
    const daemonConfig = {
      liveRestore: options.liveRestore === true,
      parallelUnpack: true,
      imageId: 'config' as const,
      ...(options.maxConcurrentDownloads === undefined
        ? {}
        : { maxConcurrentDownloads: options.maxConcurrentDownloads }),
    };
    const input: LayerInput = { wire: this.wire, ports, profile: 'v29', daemonConfig };
    this.actors = startLayers(input, this.clock, this.machines());
    this.tasks?.onEvent((event) => tellShimEvent(this.wire, this.oom, event));
    // Each step carries the state of the layer it reached (a real run cannot be replayed).
    this.driver.onDeliver = (msg) => {
      this.delivered.get(msg.id)?.();
      this.delivered.delete(msg.id);
      if (this.trace.followers === 0) return;
      const layer = msg.kind === 'self' || msg.to === 'User' ? msg.from : msg.to;
      const state = layer === 'User' ? undefined : readLayerState(this, layer);
      if (state !== undefined) this.trace.pushState(msg.seq, state, this.lastRoot);
    };
    this.scheduler.gate.onChange((_held, change) => this.trace.pushHold(change));
    this.client = createActor(
      fromCallback<{ type: 'reply'; msg: Message }>(({ receive }) => receive((e) => this.answered(e.msg))),
    ).start();
  }

  /** The machines with their real effects: the same definitions, other implementations. */
  private machines(): Record<Layer, AnyStateMachine> {
    return realMachines({
      root: this.root,
      tasks: this.tasks,
      network: this.network,
      userNetworks: this.userNetworks,
      containers: this.containers,
      scratch: this.scratch,
      sessionOf: (requestId) => this.sessionOf(requestId),
      sessionAt: (root) => this.sessionAt(root),
      bridge: () => this.bridge(),
      roots: this.wire,
    });
  }

  /** Where dockerd's own work mounts a container's snapshot for a moment (a copy-up, a `docker cp`). */
  private get scratch(): string {
    return join(this.tasks?.runDir ?? join(this.root.root, 'tmp'), 'scratch');
  }

  /** dockerd's table, as its machine holds it. */
  daemon(): Daemon {
    const snapshot: SnapshotFrom<typeof dockerdMachine> = this.actors.dockerd.getSnapshot();
    return snapshot.context.daemon;
  }

  /**
   * The engine starts as dockerd does after a stop or a crash (restore.ts): `posted` once the
   * machines have the start queued (the socket may listen then: requests wait in dockerd's
   * backlog), `ready` once the API is served and every container's state is written back.
   */
  boot(): Boot {
    const boot = bootEngine({
      wire: this.wire,
      tasks: this.tasks,
      store: this.containers,
      network: this.network,
      bridge: () => this.bridge(),
      seen: seenOn(this.wire),
    });
    const ready = boot.ready.then(async () => {
      for (const id of this.daemon().containers.keys()) void this.containers.checkpoint(id);
      await this.containers.flushed();
    });
    return { posted: boot.posted, ready };
  }

  /** The bridge, its chains and its IPAM state, made once (as dockerd makes docker0). */
  private bridge(): Promise<unknown> {
    const network = this.network;
    if (network === undefined) return Promise.resolve();
    this.bridgeUp ??= ensureBridge(network).catch((error: unknown) => {
      this.bridgeUp = undefined;
      throw error;
    });
    return this.bridgeUp;
  }

  /** The session of the operation whose message is being delivered now, if any. */
  private current(): RealSession | undefined {
    const root = this.wire.currentRoot();
    return root === undefined ? undefined : this.sessions.get(root);
  }

  /** The session of the operation whose root request this is. */
  sessionAt(root: number | undefined): RealSession {
    const session = root === undefined ? undefined : this.sessions.get(root);
    if (session !== undefined) return session;
    if (root !== undefined && this.answers.has(root))
      throw new Error(`request ${root} is no running operation`);
    return this.background;
  }

  /**
   * The session of the operation a request belongs to. dockerd's own operations (a container's
   * exit handling, an auto-remove, the shutdown) serve no client: their work is the engine's,
   * in the background session, which holds nothing and never ends.
   */
  sessionOf(requestId: number): RealSession {
    const root = this.wire.rootOf(requestId);
    const session = root === undefined ? undefined : this.sessions.get(root);
    if (session !== undefined) return session;
    if (root !== undefined && this.answers.has(root))
      throw new Error(`request ${requestId} belongs to no running operation`);
    return this.background;
  }

  /**
   * The gateway: an Engine API request enters the wire from the CLI participant, with the session
   * its real work uses; the answer is dockerd's reply. The operation's entries are kept until
   * `end` (its trace).
   */
  request(
    line: string,
    request: Omit<MessageDraft, 'kind' | 'from' | 'to'> & Partial<Pick<MessageDraft, 'from' | 'to'>>,
    session: RealSession,
  ): GatewayCall {
    let settle: { resolve: (msg: Message) => void; reject: (error: Error) => void } = {
      resolve: () => undefined,
      reject: () => undefined,
    };
    const answer = new Promise<Message>((resolve, reject) => (settle = { resolve, reject }));
    // A command line typed in the live page enters as the user's, to the CLI (engine/ui/console.ts).
    const id = this.wire.request(this.client, { from: 'CLI', to: 'dockerd', ...request });
    this.sessions.set(id, session);
    this.answers.set(id, settle);
    this.trace.keep(id, [{ type: 'command', command: 0, line, at: this.clock.now() }]);
    return { id, answer };
  }

  /** Resolves once the request has been delivered to dockerd and its operation has begun. */
  deliveredTo(id: number): Promise<void> {
    return new Promise((resolve) => this.delivered.set(id, resolve));
  }

  /**
   * The client hung up: the request is cancelled on the wire (its answer goes nowhere) and dockerd
   * is told, so the operation serving it stops (the trace shows it); the session's network work
   * is aborted.
   */
  cancel(id: number): void {
    const waiting = this.answers.get(id);
    if (waiting === undefined) return;
    this.answers.delete(id);
    this.cancelling.set(id, waiting.reject);
    this.wire.cancel(id);
    this.wire.event(
      draft('CLI', 'dockerd', 'api.cancel', `connection closed: request ${id} cancelled`, {
        payload: { request: id },
      }),
      id,
    );
    this.sessions.get(id)?.aborter.abort();
  }

  /** dockerd has cancelled the operation: the caller hears it now, with the trace complete. */
  private cancelled(id: number): void {
    this.cancelling.get(id)?.(new GatewayCancelled(id));
    this.cancelling.delete(id);
  }

  /** The operation is over: its session is forgotten, and its trace entries are handed back. */
  end(id: number): ReturnType<TraceHub['take']> {
    this.delivered.delete(id);
    this.sessions.delete(id);
    this.answers.delete(id);
    this.cancelling.delete(id);
    return this.trace.take(id);
  }

  /** Operations running now. */
  get running(): number {
    return this.sessions.size;
  }

  /**
   * The engine got SIGTERM: dockerd's machine is told so, and stops every running container as
   * dockerd's Daemon.Shutdown does (ops/daemonLifecycle.ts); this answers when it is done. A
   * world without real containers has nothing to stop.
   */
  async shutdown(): Promise<void> {
    if (this.tasks === undefined || this.tasks.live.size === 0) return;
    const exited = new Promise<void>((resolve) => {
      const previous = this.wire.onEntry;
      this.wire.onEntry = (entry, rootId) => {
        previous?.(entry, rootId);
        if (entry.type === 'message' && entry.message.op === 'host.exited') resolve();
      };
    });
    this.wire.event(
      draft('Kernel', 'dockerd', 'host.signal', `kill(${process.pid}, SIGTERM)`, {
        payload: { signal: 15, pid: process.pid },
        params: { pid: process.pid, signal: 'SIGTERM' },
        narration: 'host.signal.15',
      }),
    );
    await exited;
  }

  stop(): void {
    void this.tasks?.close();
    this.userNetworks?.dns.closeAll();
    this.driver.stop();
    for (const actor of Object.values(this.actors)) actor.stop();
    this.client.stop();
  }

  /**
   * dockerd's reply goes out once what the operation changed is on disk (moby writes a
   * container's files before it answers: CheckpointTo under the container's lock).
   */
  private answered(msg: Message): void {
    const id = msg.inReplyTo;
    if (id === undefined) return;
    const waiting = this.answers.get(id);
    if (waiting === undefined) return;
    void this.containers.flushed().then(() => waiting.resolve(msg));
  }
}

/** What a cancelled request's answer rejects with. */
export class GatewayCancelled extends Error {
  constructor(readonly id: number) {
    super(`request ${id} cancelled: the client closed its connection`);
  }
}

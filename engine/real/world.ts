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
import { containerdMachine } from '../../src/layers/containerd/containerdMachine.ts';
import { dockerdMachine } from '../../src/layers/dockerd/dockerdMachine.ts';
import { operationMachine } from '../../src/layers/operation.ts';
import type { LayerInput } from '../../src/layers/ports.ts';
import { draft } from '../../src/layers/post.ts';
import { registryMachine } from '../../src/layers/registry/registryMachine.ts';
import { runcMachine } from '../../src/layers/runc/runcMachine.ts';
import { shimMachine } from '../../src/layers/shim/shimMachine.ts';
import type { TaskEvent } from '../shim/events.ts';
import { realRuntimeEffects } from './runtime.ts';
import { RealTasks } from './tasks.ts';
import { realLogWorks } from './logs.ts';
import { realVolumeWorks } from './volumes.ts';
import { realArchiveWorks } from './containerFiles.ts';
import { join } from 'node:path';
import { realExecWorks } from './exec.ts';
import { OomWitness } from './oomWitness.ts';
import { networkMachine } from '../../src/layers/network/networkMachine.ts';
import { BridgeNetwork, ensureBridge } from '../net/index.ts';
import { netConfig } from '../net/config.ts';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { RealBridgeView, realNetworkEffects } from './network.ts';
import { storageMachine } from '../../src/layers/storage/storageMachine.ts';
import type { MessageDraft, Message } from '../../src/model/message.ts';
import type { JsonObject } from '../../src/model/json.ts';
import type { Layer } from '../../src/model/participants.ts';
import { MACHINES, simPorts, startLayers } from '../../src/sim/world.ts';
import { SeededIds } from '../../src/wire/ids.ts';
import { Scheduler } from '../../src/wire/scheduler.ts';
import { Wire } from '../../src/wire/wire.ts';
import type { ImageRoot } from '../image/root.ts';
import { realWork } from './archive.ts';
import { WallClock } from './clock.ts';
import { realContentEffects } from './content.ts';
import { RealDriver } from './driver.ts';
import { realRegistryEffects } from './registry.ts';
import { RealSession } from './session.ts';
import { realStorageEffects } from './storage.ts';
import { TraceHub } from './traceHub.ts';
import { readLayerState } from '../../src/views/layerStates.ts';
import { RealContentView, RealSnapshotView } from './views.ts';
import { ContainerStore } from './containerStore.ts';
import { realReconnectEffects } from './reconnect.ts';
import { bootEngine, seenOn, type Boot } from './restore.ts';
import type { Daemon } from '../../src/layers/dockerd/daemon.ts';

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
        else if (!action.startsWith('exec_')) void this.containers.checkpoint(actor.ID);
      }
    };
    const ports = simPorts(this.clock, new SeededIds(Date.now() % 2 ** 31));
    ports.content = new RealContentView(root);
    if (this.network !== undefined) ports.network = new RealBridgeView(this.network);
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
    this.tasks?.onEvent((event) => this.shimEvent(event));
    // Each step carries the state of the layer it reached (a real run cannot be replayed).
    this.driver.onDeliver = (msg) => {
      this.delivered.get(msg.id)?.();
      this.delivered.delete(msg.id);
      if (this.trace.followers === 0) return;
      const layer = msg.kind === 'self' || msg.to === 'User' ? msg.from : msg.to;
      const state = layer === 'User' ? undefined : readLayerState(this, layer);
      if (state !== undefined) this.trace.pushState(msg.seq, state, this.lastRoot);
    };
    this.scheduler.gate.onChange((hold) => this.trace.pushHold(hold));
    this.client = createActor(
      fromCallback<{ type: 'reply'; msg: Message }>(({ receive }) => receive((e) => this.answered(e.msg))),
    ).start();
  }

  /** The machines with their real effects: the same definitions, other implementations. */
  private machines(): Record<Layer, AnyStateMachine> {
    const sessionOf = (requestId: number): RealSession => this.sessionOf(requestId);
    const runtime = this.tasks === undefined ? undefined : realRuntimeEffects(this.tasks);
    return {
      ...MACHINES,
      ...(runtime === undefined
        ? {}
        : {
            shim: shimMachine.provide({
              actors: {
                ...runtime.shim,
                ...(this.tasks === undefined ? {} : realReconnectEffects(this.tasks)),
              },
            }),
            runc: runcMachine.provide({ actors: runtime.runc }),
            ...(this.network === undefined || this.tasks === undefined
              ? {}
              : {
                  Network: networkMachine.provide({
                    actors: realNetworkEffects(this.network, {
                      containersDir: this.tasks.bundleOf('moby', ''),
                      ready: () => this.bridge(),
                    }),
                  }),
                }),
          }),
      Registry: registryMachine.provide({ actors: realRegistryEffects(sessionOf) }),
      Storage: storageMachine.provide({ actors: realStorageEffects(sessionOf) }),
      containerd: containerdMachine.provide({ actors: realContentEffects(sessionOf, this.root) }),
      dockerd: dockerdMachine.provide({
        actors: {
          operation: operationMachine.provide({
            actors: {
              work: realWork((root) => this.sessionAt(root), {
                ...(this.tasks === undefined
                  ? {}
                  : { ...realLogWorks(this.tasks), ...realExecWorks(this.tasks) }),
                ...realVolumeWorks(this.root, this.scratch),
                ...(this.tasks === undefined ? {} : realArchiveWorks(this.root, this.tasks, this.scratch)),
                loadContainers: async () => ({ containers: await this.containers.loadAll() }),
              }),
            },
          }),
        },
      }),
    };
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
   * What a real shim saw happen to a container's processes reaches the shim participant as the
   * kernel told the shim (SIGCHLD, memory.events), as the simulated runtime's events do.
   */
  private shimEvent(event: TaskEvent): void {
    if (event.topic === '/tasks/exit') {
      const e = event.event;
      // An exec's exit names its exec id; the init's names the container.
      const payload: JsonObject = {
        type: 'exit',
        containerId: e.containerId,
        pid: e.pid,
        status: e.exitStatus,
      };
      if (e.id !== e.containerId) payload.execId = e.id;
      const unreported =
        e.id === e.containerId ? this.oom.unreportedAtExit(e.containerId, e.exitStatus) : undefined;
      if (unreported !== undefined) this.tellOom(e.containerId, unreported);
      this.wire.event(
        draft('Kernel', 'shim', 'kernel.exit', `SIGCHLD → wait4(${e.pid}) = ${e.exitStatus}`, { payload }),
      );
    } else if (event.topic === '/tasks/oom') {
      const id = event.event.containerId;
      if (this.oom.shimReported(id)) this.tellOom(id, 'memory.events: oom_kill 1');
    }
  }

  private tellOom(containerId: string, call: string): void {
    const payload = { type: 'oom', containerId };
    this.wire.event(draft('Kernel', 'shim', 'kernel.oom', call, { payload }));
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

/**
 * The engine's bridge: `dockstep0` and the DOCKSTEP chains, or for another bridge name chains
 * named after it, so two engines on one host (the test suites) never share rules.
 */
export function engineBridge(root: string, bridge: string | undefined): BridgeNetwork {
  const id = networkId(root, bridge ?? 'dockstep0');
  if (bridge === undefined) return new BridgeNetwork({ root, id });
  const chain = `DS-${bridge
    .toUpperCase()
    .replace(/[^A-Z0-9_-]/g, '-')
    .slice(0, 14)}`;
  return new BridgeNetwork({ root, bridge, chain, id });
}

/**
 * The bridge network's id from the engine's start, as dockerd's `bridge` network has it: the one
 * its state recorded, or a new one that the bridge keeps when it is set up. `network connect`
 * events name it, the first container's too.
 */
function networkId(root: string, bridge: string): string {
  try {
    const state: unknown = JSON.parse(readFileSync(netConfig({ root, bridge }).stateFile, 'utf8'));
    if (typeof state === 'object' && state !== null && 'id' in state && typeof state.id === 'string')
      return state.id;
  } catch {
    // No state yet: a new network.
  }
  return randomBytes(32).toString('hex');
}

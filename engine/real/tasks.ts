// The engine's real containers: one containerd-shim-runc-v2 per container, started and driven
// the way containerd does (engine/shim/), with the engine's own paths beside a real Docker: the
// bundles under the run directory (`tasks/<namespace>/<id>`, named after the container id as the
// shim's `delete` expects), runc's state under `runc/`, the events socket the shims forward to,
// and the recorder that runc is run through, so every runc argv is observed. Nothing here knows
// the layer machines: engine/real/runtime.ts turns their requests into these calls.
//
// The root file system: Engine 29's dockerd mounts the container's snapshot itself and gives the
// runtime an absolute root path (moby v29 daemon/start_linux.go, containerd's snapshot mounts on
// BUNDLE/rootfs); the engine does the same, and unmounts it when the task is deleted.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { mountAll, unmount } from '../image/snapshot/mount.ts';
import type { ImageRoot } from '../image/root.ts';
import { writeBundle, type BundleOptions, type OciMount } from '../shim/bundle.ts';
import { ShimEvents, type TaskEvent } from '../shim/events.ts';
import { RUNC_LOG_ENV, RuncLog, writeRecorder } from '../shim/recorder.ts';
import type { RuncOptions } from '../shim/anys.ts';
import type { Shim } from '../shim/shim.ts';
import { startShim } from '../shim/start.ts';
import { closeFifoStock, stockFifos, type FifoStock } from '../shim/fifoStock.ts';
import { writeEtcFiles, type EtcOptions } from '../net/index.ts';
import { writeHostEtcFiles } from './hostEtcFiles.ts';
import {
  copyToLog,
  JsonFileLogger,
  openStdio,
  type ContainerStdio,
  type StdioOptions,
} from '../logs/index.ts';

const depth = (m: OciMount): number => m.destination.split('/').filter(Boolean).length;
const byDepth = (mounts: OciMount[]): OciMount[] => [...mounts].sort((a, b) => depth(a) - depth(b));

const etcOptions = (o: Omit<BundleOptions, 'rootfs'>): EtcOptions => ({ hostname: o.hostname ?? '' });

/** How long dockerd waits for a container's copier after its exit (moby container.Reset). */
const COPIER_WAIT_MS = 10_000;

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

export interface Attacher {
  write(stream: 'stdout' | 'stderr', chunk: Buffer): void;
  end(): void;
}

export interface LiveTask {
  shim: Shim;
  bundle: string;
  rootfs: string;
  /** The runc calls this shim made, as its recorder logged them. */
  calls: RuncLog;
  /** The long-lived shim's pid (as its Connect answers). */
  shimPid: number;
  /** The container's init, once created. */
  pid: number;
  rootfsMounted: boolean;
  /** dockerd's ends of the container's stdout and stderr FIFOs. */
  stdio: ContainerStdio;
  /** The json-file log the FIFOs are copied into. */
  logger: JsonFileLogger;
  /** Settles when both streams have ended (the container's last writer is gone) and the log is closed. */
  copied: Promise<void>;
}

interface Ready {
  events: ShimEvents;
  recorder: string;
  /** FIFOs made ahead for the containers' stdio and the shims' logs (fifoStock.ts). */
  fifos: FifoStock;
}

export class RealTasks {
  readonly live = new Map<string, LiveTask>();
  private readonly attachers = new Map<string, Set<Attacher>>();
  private ready: Promise<Ready> | undefined;
  private readonly listeners = new Set<(event: TaskEvent) => void>();
  /** Shims being shut down, by container id, until their bundle is gone. */
  private readonly closing = new Map<string, Promise<void>>();

  constructor(
    readonly root: ImageRoot,
    readonly runDir: string,
  ) {}

  /** containerd's -address: the shim only hashes it (with namespace and id) into its socket's name. */
  get address(): string {
    return join(this.runDir, 'containerd.sock');
  }

  get eventsAddress(): string {
    return join(this.runDir, 'events.sock');
  }

  runcOptions(recorder: string): RuncOptions {
    return { binaryName: recorder, root: join(this.runDir, 'runc') };
  }

  bundleOf(namespace: string, id: string): string {
    return join(this.runDir, 'tasks', namespace, id);
  }

  /** The events socket and the recorder, made once, before the first shim is started. */
  private setUp(): Promise<Ready> {
    this.ready ??= (async () => {
      await mkdir(this.runDir, { recursive: true, mode: 0o700 });
      const events = await ShimEvents.listen(this.eventsAddress);
      events.on((event) => this.listeners.forEach((listener) => listener(event)));
      const recorder = await writeRecorder(this.runDir);
      return { events, recorder, fifos: stockFifos(this.runDir) };
    })();
    return this.ready;
  }

  /** Every event a shim forwards (exits, OOM kills, …). */
  onEvent(listener: (event: TaskEvent) => void): void {
    this.listeners.add(listener);
  }

  task(id: string): LiveTask {
    const task = this.live.get(id);
    if (task === undefined) throw new Error(`no shim serves container ${id}`);
    return task;
  }

  /**
   * The bundle written, the snapshot mounted on its rootfs, the shim started in it. Three pieces
   * of work that need nothing of each other run at once: the rootfs mount, dockerd's FIFOs and
   * log, and the bundle and the shim's start (runc needs the rootfs only at Create, the shim's
   * `start` reads only config.json). All are done before the shim is asked to Create.
   */
  async start(
    namespace: string,
    id: string,
    options: Omit<BundleOptions, 'rootfs'>,
    io: StdioOptions = {},
  ): Promise<LiveTask> {
    // The events socket listens before the shim's first event (it dials it per event).
    await this.setUp();
    // A restart's start comes after the last task's Delete, which containerd answers only once
    // the old shim has shut down and its bundle is removed (runtime/v2 shim.go delete →
    // waitShutdown, bundle.Delete): the new shim never meets the old one's socket or bundle.
    await this.closing.get(id)?.catch(() => undefined);
    const bundle = this.bundleOf(namespace, id);
    const rootfs = join(bundle, 'rootfs');
    await mkdir(rootfs, { recursive: true });
    const task: Partial<LiveTask> = { bundle, rootfs, rootfsMounted: false, pid: 0 };
    const done = await Promise.allSettled([
      mountAll(this.root.snapshots.mounts(id), rootfs).then(() => (task.rootfsMounted = true)),
      this.openOutput(id, io, task),
      this.startShimIn(namespace, id, options, task),
    ]);
    const failed = done.find((d) => d.status === 'rejected');
    if (failed !== undefined) {
      await this.undoStart(task);
      throw failed.reason;
    }
    const live = task as LiveTask;
    this.live.set(id, live);
    return live;
  }

  /**
   * dockerd makes the FIFOs and opens its ends before the shim's Create, and copies them into the
   * container's json-file log from then on (moby libcontainerd newFIFOSet, logger/copier.go).
   */
  private async openOutput(id: string, io: StdioOptions, task: Partial<LiveTask>): Promise<void> {
    const stdio = await openStdio(join(this.runDir, 'fifo'), id, io);
    task.stdio = stdio;
    this.teeToAttached(id, stdio);
    const logger = await JsonFileLogger.open(await this.logPath(id));
    task.logger = logger;
    task.copied = copyToLog(stdio, logger).finally(() => logger.close());
  }

  /** The bundle's files, then the shim started in it and asked for its pid. */
  private async startShimIn(
    namespace: string,
    id: string,
    options: Omit<BundleOptions, 'rootfs'>,
    task: Partial<LiveTask>,
  ): Promise<void> {
    const bundle = this.bundleOf(namespace, id);
    // dockerd's per-container /etc files, bind-mounted over the image's (on the host's network,
    // copies of the host's: hostEtcFiles.ts). They live where dockerd keeps them, in the
    // container's directory (moby container.GetRootResourcePath): they outlive the task, and
    // `docker inspect` names them.
    const dir = this.containerDir(id);
    const etc = (
      options.hostNetwork === true
        ? await writeHostEtcFiles(dir, options.hostname ?? '')
        : await writeEtcFiles(dir, etcOptions(options))
    ).mounts;
    // All by depth, as dockerd sorts them (daemon/volumes.go sortMounts): a volume on /etc
    // goes under the /etc files, not over them.
    const mounts = byDepth([...etc, ...(options.mounts ?? [])]);
    await writeBundle(bundle, { ...options, rootfs: join(bundle, 'rootfs'), mounts });
    const log = join(bundle, 'runc-calls.log');
    task.shim = await startShim({
      id,
      namespace,
      bundle,
      address: this.address,
      eventsAddress: this.eventsAddress,
      env: { [RUNC_LOG_ENV]: log },
    });
    task.calls = new RuncLog(log);
    // containerd asks the new shim for its pid the same way (runtime/v2 shim.go Connect).
    task.shimPid = (await task.shim.task.connect()).shimPid;
  }

  /** What a failed start made is undone: the shim asked to exit, the FIFOs closed, the rootfs unmounted. */
  private async undoStart(task: Partial<LiveTask>): Promise<void> {
    if (task.shim !== undefined) {
      await task.shim.task.shutdown().catch(() => undefined);
      await task.shim.detach().catch(() => undefined);
    }
    await task.stdio?.close().catch(() => undefined);
    if (task.rootfsMounted === true && task.rootfs !== undefined)
      await unmount(task.rootfs).catch(() => undefined);
    if (task.bundle !== undefined)
      await rm(task.bundle, { recursive: true, force: true }).catch(() => undefined);
  }

  /**
   * A client attached to the container's output (`docker attach`, a foreground `docker run`):
   * it gets the raw bytes of each stream as they come, from the next start on, and is ended
   * when the streams end (dockerd's stream broadcaster, container/stream).
   */
  attach(id: string, attacher: Attacher): void {
    const set = this.attachers.get(id) ?? new Set<Attacher>();
    set.add(attacher);
    this.attachers.set(id, set);
  }

  detach(id: string, attacher: Attacher): void {
    this.attachers.get(id)?.delete(attacher);
  }

  /** Attached clients get the container's output as it comes (also after a reconnect). */
  teeToAttached(id: string, stdio: ContainerStdio): void {
    const streams = [
      ['stdout', stdio.stdout],
      ['stderr', stdio.stderr],
    ] as const;
    let open = 0;
    for (const [name, stream] of streams) {
      if (stream === undefined) continue;
      open++;
      stream.on('data', (chunk: Buffer) => this.attachers.get(id)?.forEach((a) => a.write(name, chunk)));
      stream.once('close', () => {
        if (--open > 0) return;
        const ended = this.attachers.get(id);
        this.attachers.delete(id);
        ended?.forEach((a) => a.end());
      });
    }
  }

  /** `<root>/containers/<id>`: the container's files (config, log, /etc files), as dockerd's. */
  containerDir(id: string): string {
    return join(this.root.root, 'containers', id);
  }

  /** `<root>/containers/<id>/<id>-json.log`, where dockerd's json-file driver writes it; its directory made. */
  async logPath(id: string): Promise<string> {
    const dir = this.containerDir(id);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return join(dir, `${id}-json.log`);
  }

  /** The container is removed: its directory (its log) goes with it. */
  async removeContainerFiles(id: string): Promise<void> {
    await rm(join(this.root.root, 'containers', id), { recursive: true, force: true });
  }

  async recorder(): Promise<string> {
    return (await this.setUp()).recorder;
  }

  /** The task is deleted: its root file system is unmounted (containerd does so after Delete). */
  async unmountRootfs(task: LiveTask): Promise<void> {
    if (!task.rootfsMounted) return;
    await unmount(task.rootfs);
    task.rootfsMounted = false;
  }

  /** The shim is asked to exit; its bundle goes. */
  async shutdown(id: string): Promise<void> {
    const task = this.live.get(id);
    if (task === undefined) return;
    this.live.delete(id);
    const closed = this.closeShim(task).finally(() => this.closing.delete(id));
    this.closing.set(id, closed);
    await closed;
  }

  private async closeShim(task: LiveTask): Promise<void> {
    await task.shim.task.shutdown().catch(() => undefined);
    await task.shim.detach().catch(() => undefined);
    // The shim has closed its ends: the copier has read the last lines (dockerd waits for it).
    await Promise.race([task.copied.catch(() => undefined), delay(COPIER_WAIT_MS)]);
    await task.stdio.close().catch(() => undefined);
    await this.unmountRootfs(task).catch(() => undefined);
    await rm(task.bundle, { recursive: true, force: true });
  }

  /** The engine stops: our connections go, the shims and their containers stay. */
  async close(): Promise<void> {
    for (const task of this.live.values()) await task.shim.detach().catch(() => undefined);
    this.live.clear();
    const ready = this.ready;
    this.ready = undefined;
    if (ready === undefined) return;
    const { events, fifos } = await ready;
    await events.close().catch(() => undefined);
    await closeFifoStock(fifos);
  }
}

// The shim's task API (containerd.task.v2.Task, runtime/v2/task/shim.proto) over ttrpc, one
// typed method per rpc, bound to one container id. Messages are containerd's own, generated
// from its .proto files; what the shim answers is returned as it came (pids, statuses, times).
import {
  create,
  fromBinary,
  toBinary,
  type DescMessage,
  type MessageInitShape,
  type MessageShape,
} from '@bufbuild/protobuf';
import { timestampDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import { stat } from 'node:fs/promises';
import { MetricsSchema as MetricsV1Schema } from './proto/gen/github.com/containerd/cgroups/stats/v1/metrics_pb.ts';
import { MetricsSchema as MetricsV2Schema } from './proto/gen/github.com/containerd/cgroups/v2/stats/metrics_pb.ts';
import { Task } from './proto/gen/github.com/containerd/containerd/runtime/v2/task/shim_pb.ts';
import { runcOptionsAny, specAny, unpack, type RuncOptions } from './anys.ts';
import { TASK_SERVICE } from './binaries.ts';
import { TtrpcClient, type CallOptions } from './ttrpc/client.ts';
import { isClosed } from './ttrpc/status.ts';

type Out<K extends keyof typeof Task.method> = MessageShape<(typeof Task.method)[K]['output']>;

export interface CreateOptions {
  bundle: string;
  /** FIFO or file paths (`file://` works); empty for none. */
  stdin?: string;
  stdout?: string;
  stderr?: string;
  terminal?: boolean;
  runc: RuncOptions;
}

export interface ExecOptions {
  execId: string;
  /** The OCI process (args, env, cwd, user, terminal, capabilities, …). */
  spec: object;
  stdin?: string;
  stdout?: string;
  stderr?: string;
  terminal?: boolean;
}

export interface Exit {
  pid: number;
  exitStatus: number;
  exitedAt: Date | undefined;
}

/**
 * Checks that every stdio path names something that exists (a FIFO, or the file of a `file://`
 * or `binary://` URI's path is made by the shim itself). The shim only opens them after `runc
 * create`, so a missing one fails Create with a `runc init` left behind that only the shim's
 * `delete` subcommand removes (REFERENCE.md, "containerd-shim-runc-v2 without containerd").
 */
async function assertStdio(id: string, paths: (string | undefined)[]): Promise<void> {
  for (const path of paths) {
    if (path === undefined || path === '' || /^[a-z]+:\/\//.test(path)) continue;
    await stat(path).catch(() => {
      throw new Error(`stdio of ${id}: ${path} does not exist (make the FIFO first)`);
    });
  }
}

const dateOf = (t: Timestamp | undefined): Date | undefined =>
  t === undefined || (t.seconds === 0n && t.nanos === 0) ? undefined : timestampDate(t);

export class TaskClient {
  constructor(
    readonly ttrpc: TtrpcClient,
    readonly id: string,
    /** Options for every call but Wait, which blocks until the process exits. */
    readonly callOptions: CallOptions = {},
  ) {}

  static async connect(address: string, id: string, callOptions: CallOptions = {}): Promise<TaskClient> {
    return new TaskClient(await TtrpcClient.connect(address), id, callOptions);
  }

  /** One rpc by its descriptor (`Task.method.state`, …): marshal, call, unmarshal. */
  async rpc<I extends DescMessage, O extends DescMessage>(
    method: { name: string; input: I; output: O },
    input: MessageInitShape<I>,
    options: CallOptions = this.callOptions,
  ): Promise<MessageShape<O>> {
    const payload = toBinary(method.input, create(method.input, input));
    return fromBinary(method.output, await this.ttrpc.call(TASK_SERVICE, method.name, payload, options));
  }

  /** Runs `runc create` through the shim; answers the init pid. */
  async create(o: CreateOptions): Promise<number> {
    await assertStdio(this.id, [o.stdin, o.stdout, o.stderr]);
    const r = await this.rpc(Task.method.create, {
      id: this.id,
      bundle: o.bundle,
      stdin: o.stdin ?? '',
      stdout: o.stdout ?? '',
      stderr: o.stderr ?? '',
      terminal: o.terminal ?? false,
      options: runcOptionsAny(o.runc),
    });
    return r.pid;
  }

  async start(execId = ''): Promise<number> {
    return (await this.rpc(Task.method.start, { id: this.id, execId })).pid;
  }

  async kill(signal: number, options: { execId?: string; all?: boolean } = {}): Promise<void> {
    await this.rpc(Task.method.kill, {
      id: this.id,
      signal,
      execId: options.execId ?? '',
      all: options.all ?? false,
    });
  }

  async delete(execId = ''): Promise<Exit> {
    const r = await this.rpc(Task.method.delete, { id: this.id, execId });
    return { pid: r.pid, exitStatus: r.exitStatus, exitedAt: dateOf(r.exitedAt) };
  }

  /** Blocks until the process exits (no timeout unless `options` sets one). */
  async wait(execId = '', options: CallOptions = {}): Promise<Omit<Exit, 'pid'>> {
    const r = await this.rpc(Task.method.wait, { id: this.id, execId }, options);
    return { exitStatus: r.exitStatus, exitedAt: dateOf(r.exitedAt) };
  }

  state(execId = ''): Promise<Out<'state'>> {
    return this.rpc(Task.method.state, { id: this.id, execId });
  }

  async pids(): Promise<Out<'pids'>['processes']> {
    return (await this.rpc(Task.method.pids, { id: this.id })).processes;
  }

  async exec(o: ExecOptions): Promise<void> {
    await assertStdio(`${this.id} exec ${o.execId}`, [o.stdin, o.stdout, o.stderr]);
    await this.rpc(Task.method.exec, {
      id: this.id,
      execId: o.execId,
      terminal: o.terminal ?? false,
      stdin: o.stdin ?? '',
      stdout: o.stdout ?? '',
      stderr: o.stderr ?? '',
      spec: specAny('Process', o.spec),
    });
  }

  async resizePty(width: number, height: number, execId = ''): Promise<void> {
    await this.rpc(Task.method.resizePty, { id: this.id, execId, width, height });
  }

  async closeIO(execId = ''): Promise<void> {
    await this.rpc(Task.method.closeIO, { id: this.id, execId, stdin: true });
  }

  async pause(): Promise<void> {
    await this.rpc(Task.method.pause, { id: this.id });
  }

  async resume(): Promise<void> {
    await this.rpc(Task.method.resume, { id: this.id });
  }

  /** cgroup metrics: v1 (io.containerd.cgroups.v1.Metrics) or v2, as the host has. */
  async stats(): Promise<
    | { version: 1; metrics: MessageShape<typeof MetricsV1Schema> }
    | { version: 2; metrics: MessageShape<typeof MetricsV2Schema> }
  > {
    const any = (await this.rpc(Task.method.stats, { id: this.id })).stats;
    const v1 = unpack(any, MetricsV1Schema);
    if (v1 !== undefined) return { version: 1, metrics: v1 };
    const v2 = unpack(any, MetricsV2Schema);
    if (v2 !== undefined) return { version: 2, metrics: v2 };
    throw new Error(`stats of ${this.id}: unknown metrics type ${any?.typeUrl ?? '(none)'}`);
  }

  /** Changes the container's resources (an OCI LinuxResources object). */
  async update(resources: object, annotations: Record<string, string> = {}): Promise<void> {
    await this.rpc(Task.method.update, {
      id: this.id,
      resources: specAny('LinuxResources', resources),
      annotations,
    });
  }

  async connect(): Promise<{ shimPid: number; taskPid: number; version: string }> {
    return this.rpc(Task.method.connect, { id: this.id });
  }

  /**
   * Asks the shim to exit and closes our connection. The shim ignores the request (and `now`)
   * while it still has a container: Delete first (runtime/v2/runc/task/service.go Shutdown).
   */
  async shutdown(now = false): Promise<void> {
    try {
      await this.rpc(Task.method.shutdown, { id: this.id, now });
    } catch (error) {
      // The shim may exit before its answer is read: a closed connection is the shutdown done.
      if (!isClosed(error)) throw error;
    }
    await this.ttrpc.close();
  }

  close(): Promise<void> {
    return this.ttrpc.close();
  }
}

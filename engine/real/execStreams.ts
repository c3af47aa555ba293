// An exec's stdio on dockerd's side (moby daemon/exec.go ContainerExecStart, container/stream):
// its FIFOs, and the client holding its hijacked connection, which gets the output as it comes
// and whose input is the exec's stdin. Closing the client's input closes the process's stdin
// (the shim's CloseIO, as containerd's cio does when the copy ends). An exec no client holds (a
// detached one) has its output read and dropped, as dockerd's unattached streams are.
import { rm } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { openFifoSet, type ContainerStdio } from '../logs/index.ts';
import type { RealTasks } from './tasks.ts';

/** An exec's FIFOs and dockerd's ends of them: the same set as a container's (engine/logs/stdio.ts). */
export type ExecStdio = ContainerStdio;

/** `<dir>/<exec id>-stdout`, `-stderr` (none with a TTY), `-stdin` (when attached). */
export function openExecStdio(
  dir: string,
  execId: string,
  o: { terminal: boolean; stdin: boolean },
): Promise<ExecStdio> {
  return openFifoSet(join(dir, execId), o, async (paths) => {
    await Promise.all(paths.map((p) => rm(p, { force: true })));
  });
}

/** Who holds an exec's hijacked connection. */
export interface ExecClient {
  write(stream: 'stdout' | 'stderr', chunk: Buffer): void;
  /** What the client sends: the exec's stdin, when it is attached. */
  input?: Readable;
}

interface Running {
  containerId: string;
  /** Settles when the exec's output has ended (its last writer is gone). */
  ended: Promise<void>;
  /** Starts feeding the client's input to the process's stdin. */
  feed?: () => void;
}

export class ExecStreams {
  private readonly clients = new Map<string, ExecClient>();
  private readonly running = new Map<string, Running>();

  /** The client is there before the exec starts (dockerd hijacks, then starts the process). */
  hold(execId: string, client: ExecClient): void {
    this.clients.set(execId, client);
  }

  release(execId: string): void {
    this.clients.delete(execId);
    this.running.delete(execId);
  }

  /** The container an exec runs in, while it runs. */
  containerOf(execId: string): string | undefined {
    return this.running.get(execId)?.containerId;
  }

  /** The exec's output is copied to its client (or dropped); its input feeds stdin. */
  connect(execId: string, containerId: string, stdio: ExecStdio, closeIO: () => Promise<void>): void {
    const client = this.clients.get(execId);
    const outputs = [
      ['stdout', stdio.stdout],
      ['stderr', stdio.stderr],
    ] as const;
    const ends: Promise<void>[] = [];
    for (const [name, stream] of outputs) {
      if (stream === undefined) continue;
      ends.push(new Promise((resolve) => stream.once('close', () => resolve())));
      stream.on('data', (chunk: Buffer) => client?.write(name, chunk));
    }
    const ended = Promise.all(ends).then(() => stdio.close().catch(() => undefined));
    const stdin = stdio.stdin;
    const input = client?.input;
    const feed =
      stdin === undefined || input === undefined ? undefined : () => feedStdin(input, stdin, closeIO);
    this.running.set(execId, { containerId, ended, ...(feed === undefined ? {} : { feed }) });
  }

  /**
   * The process has started: the client's input goes to its stdin from now on. Not before: the
   * shim opens its end of the stdin FIFO during Start (pkg/process/io.go copyPipes), and bytes
   * written, and an end, before that would be lost with the pipe (libcontainerd waits for the
   * Start before it may call CloseIO, client.go stdinCloseSync).
   */
  started(execId: string): void {
    this.running.get(execId)?.feed?.();
  }

  /** The exec could not start: nothing more comes. */
  failed(execId: string): void {
    this.running.delete(execId);
  }

  /** Resolves when the exec's output has ended, at once for one that never ran. */
  ended(execId: string): Promise<void> {
    return this.running.get(execId)?.ended ?? Promise.resolve();
  }
}

/** The client's bytes into the stdin FIFO; its end closes the FIFO and, through the shim, the process's stdin. */
function feedStdin(input: Readable, stdin: Socket, closeIO: () => Promise<void>): void {
  input.on('data', (chunk: Buffer) => {
    if (!stdin.destroyed) stdin.write(chunk);
  });
  input.once('end', () => {
    stdin.end();
    void closeIO().catch(() => undefined);
  });
  // The client's stream was paused after the request's body (engine/daemon/api/exec.ts).
  input.resume();
}

const byTasks = new WeakMap<RealTasks, ExecStreams>();

/** The engine's exec streams (one set per engine's tasks). */
export function execStreams(tasks: RealTasks): ExecStreams {
  let streams = byTasks.get(tasks);
  if (streams === undefined) {
    streams = new ExecStreams();
    byTasks.set(tasks, streams);
  }
  return streams;
}

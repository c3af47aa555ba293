// The shim's log FIFO, BUNDLE/log. The shim opens it write-only as its stderr at start and
// fails without it; containerd makes it and holds it open O_RDWR|O_NONBLOCK (so the shim never
// meets a FIFO without a reader) and copies what arrives to its own log
// (runtime/v2/shim_unix.go openShimLog). We do the same, keeping the last lines for errors.
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { openFifoReader } from './fifo.ts';

const KEPT_LINES = 200;

export class ShimLog {
  private readonly kept: string[] = [];
  private partial = '';

  private constructor(
    readonly path: string,
    private readonly socket: Socket,
  ) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => this.add(text));
    socket.on('error', () => undefined);
    // The engine may exit with shims running: this reader must not keep it alive.
    socket.unref();
  }

  /** Makes BUNDLE/log if missing and holds it open for reading. */
  static async open(bundle: string): Promise<ShimLog> {
    const path = join(bundle, 'log');
    return new ShimLog(path, await openFifoReader(path));
  }

  private add(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    this.kept.push(...lines.filter((l) => l !== ''));
    if (this.kept.length > KEPT_LINES) this.kept.splice(0, this.kept.length - KEPT_LINES);
  }

  /** The last lines the shim logged (logrus text: time=… level=… msg=…). */
  lines(): string[] {
    return [...this.kept];
  }

  close(): void {
    this.socket.destroy();
  }
}

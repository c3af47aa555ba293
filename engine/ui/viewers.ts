// The pages watching the engine. Every record of the trace stream is encoded once and handed to
// each viewer in batches (one frame per BATCH_MS, not one per message), so the wire's delivery
// path only appends to an array. A batch is made into bytes once and the same bytes are written
// to every viewer's socket (ws frames a Buffer without copying it; a string it would encode again
// per socket): one more viewer costs one socket write per batch, not one more encoding of it. A
// viewer whose socket holds more than its limit unsent (MAX_UNSENT by default: a page that
// stopped reading, a stalled network) is cut off: the engine never buffers without bound for a
// viewer and never waits for one.
import WebSocket from 'ws';
import type { LiveRecord, ServerFrame } from '../../src/wire/live.ts';

/**
 * How long records gather before they go out in one frame to every viewer: a burst of messages
 * costs each viewer one write, not one per message (a page draws once per animation frame anyway).
 */
export const BATCH_MS = 25;

/** What one viewer may have unsent before it is dropped, unless --ui-viewer-buffer says otherwise. */
export const MAX_UNSENT = 4 << 20;

export class Viewers {
  private readonly all = new Set<WebSocket>();
  private pending: string[] = [];
  private flushing = false;
  /** Viewers dropped for not reading. */
  dropped = 0;

  constructor(
    private readonly maxUnsent = MAX_UNSENT,
    private readonly onDrop: (unsent: number) => void = () => undefined,
  ) {}

  add(ws: WebSocket): void {
    this.all.add(ws);
    ws.on('close', () => this.all.delete(ws));
  }

  get count(): number {
    return this.all.size;
  }

  /** Queue a record for every viewer; sent within BATCH_MS. */
  record(record: LiveRecord): void {
    if (this.all.size === 0) return;
    this.pending.push(JSON.stringify(record));
    if (this.flushing) return;
    this.flushing = true;
    setTimeout(() => this.flush(), BATCH_MS);
  }

  private flush(): void {
    this.flushing = false;
    const records = this.pending;
    this.pending = [];
    if (records.length > 0) this.sendText(`{"type":"records","records":[${records.join(',')}]}`);
  }

  /** A frame to every viewer (records queued before it go first). */
  broadcast(frame: ServerFrame): void {
    this.flush();
    this.sendText(JSON.stringify(frame));
  }

  send(ws: WebSocket, frame: ServerFrame): void {
    this.sendTo(ws, JSON.stringify(frame));
  }

  private sendText(text: string): void {
    if (this.all.size === 0) return;
    const bytes = Buffer.from(text);
    for (const ws of this.all) this.sendTo(ws, bytes);
  }

  /** One frame to one viewer: text, whether given as a string or as its UTF-8 bytes. */
  private sendTo(ws: WebSocket, text: string | Buffer): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > this.maxUnsent) {
      this.dropped++;
      this.onDrop(ws.bufferedAmount);
      this.all.delete(ws);
      // terminate, not close: a closing handshake would queue behind the unread bytes.
      ws.terminate();
      return;
    }
    ws.send(text, { binary: false });
  }

  closeAll(): void {
    for (const ws of this.all) ws.close(1001, 'the engine is shutting down');
    this.all.clear();
  }
}

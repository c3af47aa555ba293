// A ttrpc client over a unix socket, as github.com/containerd/ttrpc's client.go behaves: each
// call gets the next odd stream id (1, 3, 5, …), calls run concurrently and their responses are
// matched by stream id, a deadline travels in Request.timeout_nano, a non-OK status becomes a
// TtrpcError with its gRPC code and message, and a closed connection fails every pending call
// with "ttrpc: closed" (ttrpc's ErrClosed).
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { connect, type Socket } from 'node:net';
import { RequestSchema, ResponseSchema } from '../proto/gen/github.com/containerd/ttrpc/request_pb.ts';
import { encodeFrame, FrameReader, MESSAGE_LENGTH_MAX, MessageType, type Received } from './frame.ts';
import { closedError, Code, TtrpcError } from './status.ts';

export interface CallOptions {
  /** Fails the call with DEADLINE_EXCEEDED after this long; sent to the server too. */
  timeoutMs?: number;
  /** ttrpc metadata (e.g. containerd-namespace-ttrpc). */
  metadata?: Record<string, string>;
  signal?: AbortSignal;
}

interface Pending {
  method: string;
  resolve(payload: Uint8Array): void;
  reject(error: Error): void;
}

const STREAM_ID_MAX = 0xffff_ffff;

export class TtrpcClient {
  private nextStreamId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly reader = new FrameReader();
  private closedWith: TtrpcError | undefined;
  /** Settles when the connection is gone, with why. */
  readonly closed: Promise<TtrpcError>;

  private constructor(private readonly socket: Socket) {
    let onClosed: (e: TtrpcError) => void = () => undefined;
    this.closed = new Promise((resolve) => (onClosed = resolve));
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    // EOF, EPIPE on write and ECONNRESET on read are "ttrpc: closed", as ttrpc's filterCloseErr says.
    socket.on('error', (error: NodeJS.ErrnoException) =>
      this.fail(
        error.code === 'EPIPE' || error.code === 'ECONNRESET'
          ? closedError()
          : closedError('', `ttrpc: closed: ${error.message.toLowerCase()}`),
      ),
    );
    socket.on('close', () => {
      this.fail(closedError());
      onClosed(this.closedWith ?? closedError());
    });
  }

  /** Connects to a socket path or a `unix://` address. */
  static connect(address: string, timeoutMs = 10_000): Promise<TtrpcClient> {
    const path = address.startsWith('unix://') ? address.slice('unix://'.length) : address;
    return new Promise((resolve, reject) => {
      const socket = connect({ path });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new TtrpcError(Code.deadlineExceeded, `dial ${path}: timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new TtrpcClient(socket));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new TtrpcError(Code.unavailable, `dial ${path}: ${error.message.toLowerCase()}`));
      });
    });
  }

  /** Calls `service/method` with a marshalled request; answers the marshalled response. */
  call(service: string, method: string, payload: Uint8Array, options: CallOptions = {}): Promise<Uint8Array> {
    const name = `${service}/${method}`;
    if (this.closedWith !== undefined) return Promise.reject(closedError(name, this.closedWith.detail));
    if (this.nextStreamId > STREAM_ID_MAX)
      return Promise.reject(closedError(name, 'ttrpc: stream ids exhausted'));
    const streamId = this.nextStreamId;
    this.nextStreamId += 2;
    const request = create(RequestSchema, {
      service,
      method,
      payload,
      timeoutNano: options.timeoutMs === undefined ? 0n : BigInt(Math.round(options.timeoutMs * 1e6)),
      metadata: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
    });
    return new Promise<Uint8Array>((resolve, reject) => {
      let disarm = (): void => undefined;
      this.pending.set(streamId, {
        method: name,
        resolve: (p) => {
          disarm();
          resolve(p);
        },
        reject: (e) => {
          disarm();
          reject(e);
        },
      });
      disarm = this.watch(streamId, name, options);
      try {
        this.socket.write(encodeFrame(streamId, MessageType.request, toBinary(RequestSchema, request)));
      } catch (error) {
        this.settle(streamId, undefined, error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** A timeout and an abort signal for one pending call; answers the function that disarms them. */
  private watch(streamId: number, name: string, options: CallOptions): () => void {
    const expire = (error: TtrpcError): void => this.settle(streamId, undefined, error);
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(
            () => expire(new TtrpcError(Code.deadlineExceeded, 'context deadline exceeded', name)),
            options.timeoutMs,
          );
    const onAbort = (): void => expire(new TtrpcError(Code.cancelled, 'context canceled', name));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted === true) queueMicrotask(onAbort);
    return () => {
      if (timer !== undefined) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
  }

  private receive(chunk: Buffer): void {
    let found: Received[];
    try {
      found = this.reader.push(chunk);
    } catch (error) {
      this.abort(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    for (const r of found) {
      if (r.kind === 'oversize') {
        const detail = `message length ${r.length} exceed maximum message size of ${MESSAGE_LENGTH_MAX}`;
        this.settle(r.streamId, undefined, new TtrpcError(Code.resourceExhausted, detail));
      } else if (r.frame.type !== MessageType.response) {
        this.settle(r.frame.streamId, undefined, new Error('unknown message type received'));
      } else {
        this.settle(r.frame.streamId, r.frame.payload);
      }
    }
  }

  /** Answers a pending call from its response bytes, or fails it. Unknown stream ids are dropped. */
  private settle(streamId: number, bytes: Uint8Array | undefined, error?: Error): void {
    const call = this.pending.get(streamId);
    if (call === undefined) return;
    this.pending.delete(streamId);
    if (error !== undefined || bytes === undefined) {
      call.reject(error ?? new Error('no response'));
      return;
    }
    let response;
    try {
      response = fromBinary(ResponseSchema, bytes);
    } catch (e) {
      call.reject(
        new TtrpcError(Code.internal, `bad response: ${e instanceof Error ? e.message : String(e)}`),
      );
      return;
    }
    const status = response.status;
    if (status !== undefined && status.code !== Code.ok) {
      call.reject(new TtrpcError(status.code, status.message, call.method));
    } else call.resolve(response.payload);
  }

  private fail(error: TtrpcError): void {
    this.closedWith ??= error;
    for (const [id, call] of this.pending) {
      this.pending.delete(id);
      call.reject(closedError(call.method, this.closedWith.detail));
    }
  }

  /** Closes the connection once written; pending calls fail with "ttrpc: closed". */
  close(): Promise<void> {
    this.fail(closedError());
    this.socket.end();
    return this.closed.then(() => undefined);
  }

  /** Drops the connection at once, failing pending calls with `why`. */
  abort(why?: Error): void {
    this.fail(closedError('', why === undefined ? 'ttrpc: closed' : `ttrpc: closed: ${why.message}`));
    this.socket.destroy();
  }

  get isClosed(): boolean {
    return this.closedWith !== undefined;
  }
}

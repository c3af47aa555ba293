// A ttrpc server on a unix socket, for the services a shim calls back (the events service at
// TTRPC_ADDRESS). As github.com/containerd/ttrpc/blob/v1.1.1/server.go does: requests on odd
// stream ids are served concurrently, each answered on its own stream id; an even stream id gets
// INVALID_ARGUMENT, an oversized message RESOURCE_EXHAUSTED, an unknown service or method
// UNIMPLEMENTED; a frame of another type is ignored (kept for future use by ttrpc).
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import {
  RequestSchema,
  ResponseSchema,
  type Response,
} from '../proto/gen/github.com/containerd/ttrpc/request_pb.ts';
import { encodeFrame, FrameReader, MessageType, MESSAGE_LENGTH_MAX } from './frame.ts';
import { Code, TtrpcError } from './status.ts';

export interface RequestContext {
  service: string;
  method: string;
  metadata: Map<string, string>;
  /** The caller's deadline in nanoseconds, 0 when none. */
  timeoutNano: bigint;
}

/** Serves one method: the request's bytes in, the response's bytes out; throw a TtrpcError to fail. */
export type Handler = (payload: Uint8Array, context: RequestContext) => Promise<Uint8Array> | Uint8Array;

export class TtrpcServer {
  private readonly handlers = new Map<string, Map<string, Handler>>();
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private path: string | undefined;

  /** Registers `service/method`. */
  handle(service: string, method: string, handler: Handler): this {
    const methods = this.handlers.get(service) ?? new Map<string, Handler>();
    methods.set(method, handler);
    this.handlers.set(service, methods);
    return this;
  }

  /** Listens on a socket path (a stale socket file there is removed first). */
  async listen(path: string): Promise<void> {
    await rm(path, { force: true });
    const server = createServer((socket) => this.serve(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.path = path;
  }

  /** Stops listening, drops every connection and removes the socket file. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
    if (this.path !== undefined) await rm(this.path, { force: true });
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    const reader = new FrameReader();
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      for (const r of reader.push(chunk)) {
        if (r.kind === 'oversize') {
          const detail = `message length ${r.length} exceed maximum message size of ${MESSAGE_LENGTH_MAX}`;
          this.reply(socket, r.streamId, Promise.reject(new TtrpcError(Code.resourceExhausted, detail)));
        } else if (r.frame.type === MessageType.request) {
          this.reply(socket, r.frame.streamId, this.dispatch(r.frame.streamId, r.frame.payload));
        }
      }
    });
  }

  private async dispatch(streamId: number, bytes: Uint8Array): Promise<Uint8Array> {
    let request;
    try {
      request = fromBinary(RequestSchema, bytes);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new TtrpcError(Code.invalidArgument, `unmarshal request error: ${why}`);
    }
    if (streamId % 2 !== 1) {
      throw new TtrpcError(Code.invalidArgument, 'StreamID must be odd for client initiated streams');
    }
    const methods = this.handlers.get(request.service);
    if (methods === undefined) throw new TtrpcError(Code.unimplemented, `service ${request.service}`);
    const handler = methods.get(request.method);
    if (handler === undefined) throw new TtrpcError(Code.unimplemented, `method ${request.method}`);
    const metadata = new Map(request.metadata.map((kv) => [kv.key, kv.value]));
    return handler(request.payload, {
      service: request.service,
      method: request.method,
      metadata,
      timeoutNano: request.timeoutNano,
    });
  }

  private reply(socket: Socket, streamId: number, work: Promise<Uint8Array>): void {
    work.then(
      (payload) => this.send(socket, streamId, create(ResponseSchema, { payload })),
      (error: unknown) => {
        const status =
          error instanceof TtrpcError
            ? { code: error.code, message: error.detail }
            : { code: Code.unknown, message: error instanceof Error ? error.message : String(error) };
        this.send(socket, streamId, create(ResponseSchema, { status }));
      },
    );
  }

  private send(socket: Socket, streamId: number, response: Response): void {
    if (socket.destroyed) return;
    socket.write(encodeFrame(streamId, MessageType.response, toBinary(ResponseSchema, response)));
  }
}

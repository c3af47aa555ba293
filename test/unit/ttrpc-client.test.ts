// The ttrpc client and server against each other and against raw sockets: stream ids, concurrent
// calls matched by id, statuses as errors, deadlines, metadata, closing, and what the server does
// with even stream ids and unknown frame types.
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  RequestSchema,
  ResponseSchema,
} from '../../engine/shim/proto/gen/github.com/containerd/ttrpc/request_pb.ts';
import { TtrpcClient } from '../../engine/shim/ttrpc/client.ts';
import { encodeFrame, FrameReader, MessageType, type Frame } from '../../engine/shim/ttrpc/frame.ts';
import { TtrpcServer } from '../../engine/shim/ttrpc/server.ts';
import { Code, TtrpcError } from '../../engine/shim/ttrpc/status.ts';

const dir = mkdtempSync(join(tmpdir(), 'dockstep-ttrpc-'));
let n = 0;
const sock = (): string => join(dir, `s${++n}.sock`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const text = (s: string): Uint8Array => Buffer.from(s);
const str = (b: Uint8Array): string => Buffer.from(b).toString();

/** A raw server: collects every frame, answers through `respond`. */
async function rawServer(path: string, respond: (f: Frame, s: Socket) => void): Promise<Server> {
  const server = createServer((s) => {
    const r = new FrameReader();
    s.on('data', (c: Buffer) => r.push(c).forEach((x) => x.kind === 'frame' && respond(x.frame, s)));
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return server;
}

const answer = (s: Socket, id: number, payload: string): void => {
  s.write(
    encodeFrame(
      id,
      MessageType.response,
      toBinary(ResponseSchema, create(ResponseSchema, { payload: text(payload) })),
    ),
  );
};

describe('ttrpc client', () => {
  it('numbers streams 1, 3, 5 and matches responses that come back out of order', async () => {
    const path = sock();
    const seen: Frame[] = [];
    const server = await rawServer(path, (f, s) => {
      seen.push(f);
      if (seen.length === 3)
        for (const g of [...seen].reverse())
          answer(s, g.streamId, `re ${str(fromBinary(RequestSchema, g.payload).payload)}`);
    });
    const client = await TtrpcClient.connect(path);
    const got = await Promise.all(['a', 'b', 'c'].map((p) => client.call('svc', 'M', text(p)).then(str)));
    expect(got).toEqual(['re a', 're b', 're c']);
    expect(seen.map((f) => [f.streamId, f.type])).toEqual([
      [1, 1],
      [3, 1],
      [5, 1],
    ]);
    await client.close();
    server.close();
  });

  it('fails pending calls on close and refuses a dial to nothing', async () => {
    const path = sock();
    const server = await rawServer(path, () => undefined);
    const client = await TtrpcClient.connect(path);
    const pending = client.call('svc', 'M', text('')).catch((e: unknown) => e);
    client.abort();
    expect(await pending).toMatchObject({ code: Code.unavailable });
    server.close();
    await expect(TtrpcClient.connect(join(dir, 'none.sock'))).rejects.toMatchObject({
      code: Code.unavailable,
    });
  });
});

/** A server with a failing, an echoing and a hanging method. */
async function served(): Promise<{ server: TtrpcServer; client: TtrpcClient }> {
  const path = sock();
  const server = new TtrpcServer()
    .handle('svc', 'Fail', () => {
      throw new TtrpcError(Code.notFound, 'process does not exist x');
    })
    .handle('svc', 'Echo', (p, ctx) => text(`${str(p)} ${ctx.metadata.get('k')} ${ctx.timeoutNano}`))
    .handle('svc', 'Hang', () => new Promise<Uint8Array>(() => undefined));
  await server.listen(path);
  return { server, client: await TtrpcClient.connect(`unix://${path}`) };
}

describe('ttrpc client errors', () => {
  it('turns a status into an error with its code, sends deadlines and metadata', async () => {
    const { server, client } = await served();
    const failed = await client.call('svc', 'Fail', text('')).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(TtrpcError);
    expect(failed).toMatchObject({
      code: Code.notFound,
      codeName: 'notFound',
      detail: 'process does not exist x',
    });
    expect(String(failed)).toContain('svc/Fail: notFound: process does not exist x');
    const echo = await client.call('svc', 'Echo', text('hi'), { metadata: { k: 'v' }, timeoutMs: 2000 });
    expect(str(echo)).toBe('hi v 2000000000');
    await expect(client.call('svc', 'Nope', text(''))).rejects.toMatchObject({
      code: Code.unimplemented,
      detail: 'method Nope',
    });
    await expect(client.call('other', 'X', text(''))).rejects.toMatchObject({ code: Code.unimplemented });
    await client.close();
    await server.close();
  });

  it('times out and cancels calls, keeps the connection, and fails pending calls when it closes', async () => {
    const { server, client } = await served();
    await expect(client.call('svc', 'Hang', text(''), { timeoutMs: 50 })).rejects.toMatchObject({
      code: Code.deadlineExceeded,
    });
    const abort = new AbortController();
    const hung = client.call('svc', 'Hang', text(''), { signal: abort.signal });
    abort.abort();
    await expect(hung).rejects.toMatchObject({ code: Code.cancelled });
    // The connection is still good after a timeout and a cancel.
    expect(str(await client.call('svc', 'Echo', text('again')))).toBe('again undefined 0');
    const pending = client.call('svc', 'Hang', text('')).catch((e: unknown) => e);
    await server.close();
    expect(await pending).toMatchObject({ code: Code.unavailable, detail: 'ttrpc: closed' });
    await expect(client.call('svc', 'Echo', text(''))).rejects.toMatchObject({ code: Code.unavailable });
    expect(client.isClosed).toBe(true);
  });
});

describe('ttrpc server', () => {
  it('answers an even stream id with INVALID_ARGUMENT and ignores frames of another type', async () => {
    const path = sock();
    const server = new TtrpcServer().handle('svc', 'Echo', (p) => p);
    await server.listen(path);
    const s = connect({ path });
    const reader = new FrameReader();
    const got: Frame[] = [];
    s.on('data', (c: Buffer) => reader.push(c).forEach((r) => r.kind === 'frame' && got.push(r.frame)));
    const req = (payload: string): Uint8Array =>
      toBinary(
        RequestSchema,
        create(RequestSchema, { service: 'svc', method: 'Echo', payload: text(payload) }),
      );
    s.write(
      Buffer.concat([encodeFrame(2, MessageType.request, req('even')), encodeFrame(1, 7, req('odd type'))]),
    );
    s.write(encodeFrame(3, MessageType.request, req('fine')));
    await expect.poll(() => got.length).toBe(2);
    const [even, fine] = got.map((f) => ({ id: f.streamId, r: fromBinary(ResponseSchema, f.payload) }));
    expect(even?.id).toBe(2);
    expect(even?.r.status).toMatchObject({
      code: Code.invalidArgument,
      message: 'StreamID must be odd for client initiated streams',
    });
    expect(fine?.id).toBe(3);
    expect(str(fine?.r.payload ?? new Uint8Array())).toBe('fine');
    s.destroy();
    await server.close();
  });
});

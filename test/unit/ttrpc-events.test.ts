// The events service the shim forwards to, fed by a ttrpc client as the shim's publisher calls
// it: Forward(envelope) → a typed event by topic; unknown topics answered and set aside; an event
// whose type does not match its topic refused with INVALID_ARGUMENT. Also the server's answer to
// an oversized request.
import { create, fromBinary, toBinary, type DescMessage, type MessageInitShape } from '@bufbuild/protobuf';
import { AnySchema, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EVENTS_SERVICE } from '../../engine/shim/binaries.ts';
import { ShimEvents } from '../../engine/shim/events.ts';
import {
  TaskExitSchema,
  TaskOOMSchema,
} from '../../engine/shim/proto/gen/github.com/containerd/containerd/api/events/task_pb.ts';
import { ForwardRequestSchema } from '../../engine/shim/proto/gen/github.com/containerd/containerd/api/services/ttrpc/events/v1/events_pb.ts';
import { TtrpcClient } from '../../engine/shim/ttrpc/client.ts';
import {
  FrameReader,
  HEADER_LENGTH,
  MESSAGE_LENGTH_MAX,
  MessageType,
} from '../../engine/shim/ttrpc/frame.ts';
import { Code } from '../../engine/shim/ttrpc/status.ts';
import { ResponseSchema } from '../../engine/shim/proto/gen/github.com/containerd/ttrpc/request_pb.ts';

const dir = mkdtempSync(join(tmpdir(), 'dockstep-events-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A Forward request as containerd's shim publisher sends it (type URL = the message's full name). */
function forward<D extends DescMessage>(
  topic: string,
  schema: D,
  event: MessageInitShape<D>,
  typeUrl = schema.typeName,
): Uint8Array {
  const value = toBinary(schema, create(schema, event));
  return toBinary(
    ForwardRequestSchema,
    create(ForwardRequestSchema, {
      envelope: {
        timestamp: timestampFromDate(new Date('2026-12-07T08:00:00Z')),
        namespace: 'ns1',
        topic,
        event: create(AnySchema, { typeUrl, value }),
      },
    }),
  );
}

describe('shim events service', () => {
  it('turns forwarded envelopes into typed events by topic', async () => {
    const events = await ShimEvents.listen(join(dir, 'e.sock'));
    const client = await TtrpcClient.connect(join(dir, 'e.sock'));
    const meta = { metadata: { 'containerd-namespace-ttrpc': 'ns1' }, timeoutMs: 5000 };
    const exit = events.next('/tasks/exit');
    const answer = await client.call(
      EVENTS_SERVICE,
      'Forward',
      forward('/tasks/exit', TaskExitSchema, { containerId: 'c1', id: 'c1', pid: 42, exitStatus: 137 }),
      meta,
    );
    expect(answer.length).toBe(0);
    expect(await exit).toMatchObject({
      topic: '/tasks/exit',
      namespace: 'ns1',
      timestamp: new Date('2026-12-07T08:00:00Z'),
      event: { containerId: 'c1', pid: 42, exitStatus: 137 },
    });

    await client.call(
      EVENTS_SERVICE,
      'Forward',
      forward('/snapshot/prepare', TaskOOMSchema, { containerId: 'c1' }),
      meta,
    );
    expect([...events.unknownTopics]).toEqual(['/snapshot/prepare']);
    await expect(
      client.call(
        EVENTS_SERVICE,
        'Forward',
        forward('/tasks/exit', TaskOOMSchema, { containerId: 'c1' }),
        meta,
      ),
    ).rejects.toMatchObject({ code: Code.invalidArgument });
    // The `type.googleapis.com/` form of the type URL is read too.
    const oom = events.next('/tasks/oom');
    await client.call(
      EVENTS_SERVICE,
      'Forward',
      forward(
        '/tasks/oom',
        TaskOOMSchema,
        { containerId: 'c2' },
        'type.googleapis.com/containerd.events.TaskOOM',
      ),
      meta,
    );
    expect((await oom).event.containerId).toBe('c2');
    await expect(events.next('/tasks/start', () => true, 50)).rejects.toThrow(
      /no \/tasks\/start event within 50 ms/,
    );
    await client.close();
    await events.close();
  });
});

describe('ttrpc server limits', () => {
  it('answers an oversized request with RESOURCE_EXHAUSTED on its stream and reads on', async () => {
    const events = await ShimEvents.listen(join(dir, 'o.sock'));
    const s = connect({ path: join(dir, 'o.sock') });
    const reader = new FrameReader();
    const got: { id: number; code: number }[] = [];
    s.on('data', (c: Buffer) => {
      for (const r of reader.push(c))
        if (r.kind === 'frame')
          got.push({
            id: r.frame.streamId,
            code: fromBinary(ResponseSchema, r.frame.payload).status?.code ?? 0,
          });
    });
    const head = Buffer.alloc(HEADER_LENGTH);
    head.writeUInt32BE(MESSAGE_LENGTH_MAX + 1, 0);
    head.writeUInt32BE(5, 4);
    head.writeUInt8(MessageType.request, 8);
    s.write(Buffer.concat([head, Buffer.alloc(MESSAGE_LENGTH_MAX + 1)]));
    await expect.poll(() => got).toEqual([{ id: 5, code: Code.resourceExhausted }]);
    s.destroy();
    await events.close();
  });
});

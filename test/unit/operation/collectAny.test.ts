// The operation machine's `collectAny`: resume with whichever of several posted requests answers
// first, and take replies that came while the operation was busy in the order they arrived.
import { createActor, fromCallback } from 'xstate';
import { describe, expect, it } from 'vitest';
import {
  operationMachine,
  TopicWaiters,
  type Effect,
  type OperationProgram,
} from '../../../src/layers/operation.ts';
import { draft, replyDraft } from '../../../src/layers/post.ts';
import type { Message } from '../../../src/model/message.ts';
import { VirtualClock } from '../../../src/wire/clock.ts';
import { Wire } from '../../../src/wire/wire.ts';

/** A wire whose Registry participant keeps each request for the test to answer. */
function harness(): { wire: Wire; held: Message[]; deliverAll: () => void } {
  const wire = new Wire(new VirtualClock(0));
  const held: Message[] = [];
  const registry = createActor(
    fromCallback<{ type: string; msg: Message }>(({ receive }) => receive((e) => held.push(e.msg))),
  );
  registry.start();
  wire.register('Registry', registry);
  return {
    wire,
    held,
    deliverAll: () => {
      while (wire.pending() > 0) wire.deliverNext();
    },
  };
}

function get(path: string): Effect {
  return { kind: 'post', draft: draft('dockerd', 'Registry', 'registry.get', `GET ${path}`) };
}

describe('collectAny', () => {
  it('resumes with the first reply among the posted requests', () => {
    const { wire, held, deliverAll } = harness();
    const order: string[] = [];
    function* program(): OperationProgram {
      const ids = [(yield get('/a')) as number, (yield get('/b')) as number];
      order.push(((yield { kind: 'collectAny', ids }) as Message).call);
    }
    createActor(operationMachine, {
      input: { wire, program: program(), waiters: new TopicWaiters() },
    }).start();
    deliverAll();
    const [, b] = held as [Message, Message];
    wire.reply(b, replyDraft(b.op, 'b done'));
    deliverAll();
    expect(order).toEqual(['b done']);
  });

  it('takes replies that came while it was busy in the order they arrived', () => {
    const { wire, held, deliverAll } = harness();
    const order: string[] = [];
    function* program(): OperationProgram {
      let left = [(yield get('/a')) as number, (yield get('/b')) as number, (yield get('/c')) as number];
      // Busy with a call of its own while /c and then /a answer.
      yield { kind: 'call', draft: draft('dockerd', 'Registry', 'registry.get', 'GET /busy') };
      while (left.length > 0) {
        const reply = (yield { kind: 'collectAny', ids: left }) as Message;
        order.push(reply.call);
        left = left.filter((id) => id !== reply.inReplyTo);
      }
    }
    const op = createActor(operationMachine, {
      input: { wire, program: program(), waiters: new TopicWaiters() },
    });
    op.start();
    deliverAll();
    expect(held.map((m) => m.call)).toEqual(['GET /a', 'GET /b', 'GET /c', 'GET /busy']);
    const [a, b, c, busy] = held as [Message, Message, Message, Message];
    wire.reply(c, replyDraft(c.op, 'c done'));
    wire.reply(a, replyDraft(a.op, 'a done'));
    deliverAll();
    expect(order).toEqual([]);
    wire.reply(busy, replyDraft(busy.op, 'busy done'));
    wire.reply(b, replyDraft(b.op, 'b done'));
    deliverAll();
    expect(order).toEqual(['c done', 'a done', 'b done']);
    expect(op.getSnapshot().status).toBe('done');
  });
});

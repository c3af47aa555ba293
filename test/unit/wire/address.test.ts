// Replies are addressed, not routed by reference: a request says where its answer goes
// (`replyTo`: a participant and one of its objects), so the message is plain data that can be
// written to a socket and read back; the wire's address book holds an address only while a
// reply is awaited there.
import { createActor, fromCallback } from 'xstate';
import { describe, expect, it } from 'vitest';
import { draft, replyDraft } from '../../../src/layers/post.ts';
import type { Message } from '../../../src/model/message.ts';
import { VirtualClock } from '../../../src/wire/clock.ts';
import { Wire } from '../../../src/wire/wire.ts';

function collector(into: Message[]) {
  return createActor(
    fromCallback<{ type: string; msg: Message }>(({ receive }) => receive((e) => into.push(e.msg))),
  ).start();
}

describe('reply addresses', () => {
  it('a request carries its reply address as data; the reply reaches the object there, and the book empties', () => {
    const wire = new Wire(new VirtualClock(0));
    const served: Message[] = [];
    const answers: Message[] = [];
    wire.register('containerd', collector(served));
    const op = createActor(
      fromCallback<{ type: string; msg: Message }>(({ receive }) => receive((e) => answers.push(e.msg))),
      { id: 'op.7' },
    ).start();
    wire.request(op, draft('dockerd', 'containerd', 'ctrd.Images.Get', 'Images.Get(busybox)'));
    wire.request(op, draft('dockerd', 'containerd', 'ctrd.Images.List', 'Images.List()'));
    wire.deliverNext();
    wire.deliverNext();
    const [first, second] = served.map((m) => JSON.parse(JSON.stringify(m)) as Message);
    expect(first?.replyTo).toEqual({ participant: 'dockerd', object: 'op.7#1' });
    expect(second?.replyTo).toEqual(first?.replyTo);
    expect(wire.resolve(first?.replyTo ?? { participant: 'dockerd', object: '' })).toBe(op);
    expect(wire.held().addresses).toBe(1);
    // Answered from the data read back, as a process across a socket would answer.
    for (const m of [first, second]) if (m) wire.reply(m, replyDraft(m.op, 'OK'));
    wire.deliverNext();
    wire.deliverNext();
    expect(answers.map((m) => m.inReplyTo)).toEqual([first?.id, second?.id]);
    expect(wire.held()).toMatchObject({ routes: 0, addresses: 0 });
  });

  it('names an actor without an id of its own by its number only, so runs compare equal', () => {
    const wire = new Wire(new VirtualClock(0));
    wire.register('dockerd', collector([]));
    const cli = collector([]);
    wire.request(cli, draft('CLI', 'dockerd', 'api.ping', 'HEAD /_ping'));
    expect(wire.deliverNext()?.replyTo).toEqual({ participant: 'CLI', object: 'actor#1' });
  });
});

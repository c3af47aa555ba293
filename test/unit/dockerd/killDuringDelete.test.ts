import { createActor, fromCallback } from 'xstate';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../../src/model/message.ts';
import { draft, replyDraft } from '../../../src/layers/post.ts';
import { shimProcessMachine } from '../../../src/layers/shim/shimProcessMachine.ts';
import { taskMachine } from '../../../src/layers/containerd/taskMachine.ts';
import { VirtualClock } from '../../../src/wire/clock.ts';
import { Wire } from '../../../src/wire/wire.ts';

/**
 * A `docker stop` that lands while a restart policy's start ends: the stop's Kill and the exit
 * handler's Delete reach the shim together, and runc's delete can end before its kill (seen on
 * a real engine: `runc delete` answered, then `runc kill` refused with "not found"). The shim
 * answers both (containerd-shim-runc-v2 task/service.go Kill answers every call, an error for a
 * process already gone), and so does containerd's task, whose Delete may be answered first: the
 * stop is never left without an answer.
 */
/** An actor that keeps what the wire hands it: a layer the test answers for. */
function sink(kept: Message[]) {
  const keep = fromCallback<{ type: string; msg: Message }>(({ receive }) => {
    receive((e) => kept.push(e.msg));
  });
  return createActor(keep).start();
}

function world() {
  const wire = new Wire(new VirtualClock());
  const runc: Message[] = [];
  wire.register('runc', sink(runc));
  wire.register('containerd', sink([]));
  const shim = createActor(shimProcessMachine, { input: { id: 'c1', wire, shimPid: 10, pid: 20 } }).start();
  const route = fromCallback<{ type: string; msg: Message }>(({ receive }) => {
    receive((e) => shim.send({ type: 'ttrpc', msg: e.msg }));
  });
  wire.register('shim', createActor(route).start());
  const deliverAll = () => {
    while (wire.deliverNext() !== undefined);
  };
  return { wire, runc, shim, deliverAll };
}

const answerTo = (wire: Wire, id: number): Message | undefined =>
  wire.trace.flatMap((e) => (e.type === 'message' && e.message.inReplyTo === id ? [e.message] : []))[0];

function shimAnswersBoth(): void {
  const { wire, runc, shim, deliverAll } = world();
  const kill = wire.request(
    undefined,
    draft('containerd', 'shim', 'shim.Kill', 'Task/Kill', { payload: { id: 'c1', signal: 15 } }),
  );
  const del = wire.request(
    undefined,
    draft('containerd', 'shim', 'shim.Delete', 'Task/Delete', { payload: { id: 'c1' } }),
  );
  shim.send({ type: 'process', event: { type: 'exit', containerId: 'c1', pid: 20, status: 3 } });
  deliverAll();
  const runcKill = runc.find((m) => m.op === 'runc.kill');
  const runcDelete = runc.find((m) => m.op === 'runc.delete');
  expect(runcKill && runcDelete).toBeDefined();
  if (!runcKill || !runcDelete) return;
  wire.reply(runcDelete, replyDraft('runc.delete', 'exit 0'));
  deliverAll();
  wire.reply(
    runcKill,
    replyDraft('runc.kill', 'exit 1: not found', { ok: false, payload: { error: 'not found' } }),
  );
  deliverAll();
  expect(answerTo(wire, del)?.ok).toBe(true);
  expect(answerTo(wire, kill)?.ok).toBe(false);
}

function containerdAnswersBoth(): void {
  const wire = new Wire(new VirtualClock());
  const shim: Message[] = [];
  wire.register('shim', sink(shim));
  wire.register('dockerd', sink([]));
  const task = createActor(taskMachine, { input: { id: 'c1', wire } }).start();
  const route = fromCallback<{ type: string; msg: Message }>(({ receive }) => {
    receive((e) => task.send({ type: 'request', msg: e.msg }));
  });
  wire.register('containerd', createActor(route).start());
  const deliverAll = () => {
    while (wire.deliverNext() !== undefined);
  };
  const shimCall = (op: string): Message | undefined => shim.find((m) => m.op === op);
  // A task found running again (containerd's restart path), whose init then exits.
  wire.request(
    undefined,
    draft('dockerd', 'containerd', 'ctrd.restore.load', 'load', { payload: { id: 'c1' } }),
  );
  deliverAll();
  const connect = shimCall('shim.Connect');
  if (!connect) throw new Error('no shim.Connect');
  wire.reply(connect, replyDraft('shim.Connect', 'OK', { payload: { status: 'running', pid: 20 } }));
  deliverAll();
  task.send({ type: 'exited' });
  const kill = wire.request(
    undefined,
    draft('dockerd', 'containerd', 'ctrd.Tasks.Kill', 'Kill', { payload: { id: 'c1', signal: 15 } }),
  );
  const del = wire.request(
    undefined,
    draft('dockerd', 'containerd', 'ctrd.Tasks.Delete', 'Delete', { payload: { id: 'c1' } }),
  );
  deliverAll();
  const shimKill = shimCall('shim.Kill');
  const shimDelete = shimCall('shim.Delete');
  if (!shimKill || !shimDelete) throw new Error('Kill and Delete not forwarded to the shim');
  wire.reply(shimDelete, replyDraft('shim.Delete', 'OK', { payload: { exitStatus: 3 } }));
  deliverAll();
  wire.reply(
    shimKill,
    replyDraft('shim.Kill', 'error: not found', { ok: false, payload: { error: 'not found' } }),
  );
  deliverAll();
  expect(answerTo(wire, del)?.ok).toBe(true);
  expect(answerTo(wire, kill)?.ok).toBe(false);
}

describe('a Kill that reaches the shim beside the Delete of an exited task', () => {
  it('is answered even when runc delete ends before runc kill', shimAnswersBoth);
  it('is answered by containerd even when the shim answers the Delete first', containerdAnswersBoth);
});

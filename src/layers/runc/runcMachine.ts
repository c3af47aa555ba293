import { enqueueActions, setup, stopChild, type DoneActorEvent, type ErrorActorEvent } from 'xstate';
import type { JsonValue } from '../../model/json.ts';
import type { Message } from '../../model/message.ts';
import type { ProcessEvent } from '../../ports/runtime.ts';
import { signalName } from '../../model/signals.ts';
import type { WireEvent } from '../../wire/wire.ts';
import { answerFailed, errorText, serve, served } from '../effect.ts';
import { cgroupHost, cgroupNarration } from '../../model/cgroupHost.ts';
import type { LayerInput } from '../ports.ts';
import { replyDraft, short } from '../post.ts';
import {
  answer,
  cgroupV1Limits,
  cgroupV2Limits,
  createSyscalls,
  observedCreate,
  syscall,
  unmodelledNote,
  type RuncCtx,
} from './runcKernel.ts';
import { simRuncEffects, type RuncEvidence, type RuncOp, type RuncPayload } from './runcEffects.ts';

/**
 * runc, the OCI runtime CLI (https://github.com/opencontainers/runc/blob/main/docs/terminals.md,
 * runtime-spec runtime.md). Each request is one invocation of the binary: it makes its system
 * calls, answers with its exit status, and exits. It keeps no state in memory — only runc's
 * state directory, which is the runtime port's business.
 *
 * Each invocation is an effect (runcEffects.ts): the machine spawns it per request and answers
 * when it is done, with the kernel work it did as runc → Kernel messages (runcKernel.ts).
 */
type Event = WireEvent | DoneActorEvent<RuncEvidence> | ErrorActorEvent;

const payloadOf = (msg: Message) => msg.payload as unknown as RuncPayload;

/** The kernel work runc announces as it is asked (a signal, a freeze), before it is done. */
function announce(ctx: RuncCtx, msg: Message): void {
  const p = payloadOf(msg);
  if (msg.op === 'runc.kill') {
    const sig = signalName(p.signal ?? 15);
    syscall(ctx, 'kernel.kill', `kill(init, ${sig})`, { containerId: p.id }, { signal: sig });
  } else if (msg.op === 'runc.pause') {
    const host = cgroupHost(ctx.profile);
    const words = cgroupNarration('kernel.freeze', ctx.profile);
    syscall(ctx, 'kernel.freeze', host.freeze, { containerId: p.id, frozen: true }, {}, undefined, words);
  } else if (msg.op === 'runc.resume') {
    const host = cgroupHost(ctx.profile);
    const words = cgroupNarration('kernel.thaw', ctx.profile);
    syscall(ctx, 'kernel.thaw', host.thaw, { containerId: p.id, frozen: false }, {}, undefined, words);
  } else if (msg.op === 'runc.update') {
    // One write per file, as the new resources say, in the host's cgroup version (cgroupHost).
    const resources = p.resources ?? {};
    const limits =
      cgroupHost(ctx.profile).version === 1 ? cgroupV1Limits(resources) : cgroupV2Limits(resources);
    const writes = Object.entries(limits).map(([file, value]) => `${value} > ${file}`);
    syscall(ctx, 'kernel.cgroupUpdate', `echo ${writes.join('; echo ') || '(nothing)'}`, {
      containerId: p.id,
      limits,
    });
  } else if (msg.op === 'runc.delete') {
    const root =
      p.namespace === undefined ? '/run/docker/runtime-runc/moby' : `/run/containerd/runc/${p.namespace}`;
    syscall(ctx, 'kernel.cleanup', `rmdir cgroup; remove ${root}/${short(p.id)}…`, {
      containerId: p.id,
      gone: true,
    });
  }
}

function created(ctx: RuncCtx, msg: Message, out: RuncEvidence): void {
  const p = payloadOf(msg);
  if (!p.spec) return answer(ctx, msg, out.result);
  // A real init that never came to be left nothing to observe in /proc.
  if (!out.observed) createSyscalls(ctx, p.id, p.spec);
  else if (out.result.ok) observedCreate(ctx, p.id, out.observed);
  if (out.result.ok) {
    syscall(ctx, 'kernel.execFifo', `runc init: open(exec.fifo) blocks until runc start`, {
      containerId: p.id,
      pid: out.result.pid ?? 0,
    });
  }
  answer(ctx, msg, out.result, 'exit 0, init waiting', out.observed);
}

function started(ctx: RuncCtx, msg: Message, out: RuncEvidence): void {
  const p = payloadOf(msg);
  const program = out.observed?.cmdline;
  syscall(
    ctx,
    'kernel.execve',
    program === undefined
      ? `open(exec.fifo) → runc init: execve(PID 1)`
      : `open(exec.fifo) → runc init: execve(${program})`,
    { containerId: p.id },
    undefined,
    unmodelledNote(ctx, p.id),
  );
  answer(ctx, msg, out.result, 'exit 0', out.observed);
}

function execed(ctx: RuncCtx, msg: Message, out: RuncEvidence): void {
  const p = payloadOf(msg);
  const args = p.process?.args.join(' ') ?? '';
  const note = p.process && p.execId ? unmodelledNote(ctx, p.id, p.execId) : undefined;
  syscall(
    ctx,
    'kernel.setnsAll',
    `setns(mnt,uts,ipc,pid,net of ${short(p.id)}); execve(${args})`,
    { containerId: p.id },
    undefined,
    note,
  );
  answer(ctx, msg, out.result, 'exit 0', out.observed);
}

/**
 * `runc run` (BuildKit's runc executor): create and start in one invocation, then stay as the
 * process's parent; runc answers only when it has reaped it, and removes the container.
 */
function ran(ctx: RuncCtx, msg: Message, out: RuncEvidence): void {
  const p = payloadOf(msg);
  if (!p.spec) return answer(ctx, msg, out.result);
  createSyscalls(ctx, p.id, p.spec);
  if (!out.result.ok) return answer(ctx, msg, out.result);
  syscall(
    ctx,
    'kernel.runExec',
    `runc init: execve(${p.spec.process.args.join(' ').slice(0, 60)})`,
    { containerId: p.id },
    undefined,
    unmodelledNote(ctx, p.id),
  );
  ctx.foreground.set(p.id, msg);
}

/** `runc ps`: reads the cgroup's process list and prints it as JSON (ps.go). */
function listed(ctx: RuncCtx, msg: Message, out: RuncEvidence): void {
  const p = payloadOf(msg);
  if (!out.result.ok) return answer(ctx, msg, out.result, 'exit 0', out.observed);
  const pids = out.pids ?? [];
  syscall(ctx, 'kernel.cgroupProcs', `read cgroup.procs: ${pids.map((x) => x.pid).join(' ')}`, {
    containerId: p.id,
  });
  ctx.wire.reply(
    msg,
    replyDraft(msg.op, `exit 0: [${pids.map((x) => x.pid).join(',')}]`, {
      payload: { pids: pids as unknown as JsonValue },
      status: 'exit 0',
      params: { count: pids.length },
    }),
  );
}

const DONE: Record<RuncOp, (ctx: RuncCtx, msg: Message, out: RuncEvidence) => void> = {
  'runc.create': created,
  'runc.start': started,
  'runc.exec': execed,
  'runc.run': ran,
  'runc.kill': (ctx, msg, out) => answer(ctx, msg, out.result, 'exit 0', out.observed),
  'runc.pause': (ctx, msg, out) => answer(ctx, msg, out.result, 'exit 0', out.observed),
  'runc.resume': (ctx, msg, out) => answer(ctx, msg, out.result, 'exit 0', out.observed),
  'runc.update': (ctx, msg, out) => answer(ctx, msg, out.result, 'exit 0', out.observed),
  'runc.delete': (ctx, msg, out) => answer(ctx, msg, out.result, 'exit 0', out.observed),
  'runc.ps': listed,
};

const RUNC_OPS = Object.keys(DONE) as RuncOp[];

export const runcMachine = setup({
  types: { context: {} as RuncCtx, events: {} as Event, input: {} as LayerInput },
  actors: { ...simRuncEffects },
  actions: {
    /** One runc invocation per request: announced, then run as an effect. */
    invoke: enqueueActions(({ enqueue, context, event }) => {
      if (!('msg' in event)) return;
      const msg = event.msg;
      announce(context, msg);
      const id = serve(context.jobs, 'runcCall', msg);
      const input = {
        ...payloadOf(msg),
        op: msg.op as RuncOp,
        requestId: msg.id,
        runtime: context.ports.runtime,
      };
      enqueue.spawnChild('runcCall', { id, input });
    }),
    /** runc exited: its answer, with the kernel work it did. */
    invoked: ({ context, event }) => {
      const done = served<RuncEvidence>(context.jobs, event);
      if (!done?.ok) return;
      const { msg, output } = done;
      // Done later than the request was delivered (real work): what runc did belongs to that request.
      context.wire.within(context.wire.rootOf(msg.id), () => DONE[msg.op as RuncOp](context, msg, output));
    },
    /** The invocation could not be made at all: runc's answer is the error. */
    failed: ({ context, event }) =>
      answerFailed(context.jobs, event, (msg, error) =>
        answer(context, msg, { ok: false, error: errorText(error) }),
      ),
    forgetEffect: stopChild(({ event }) => ('actorId' in event ? event.actorId : '')),
    reapForeground: ({ context, event }) => {
      if (!('msg' in event)) return;
      const e = event.msg.payload as unknown as ProcessEvent;
      if (e.type !== 'exit' || e.execId) return;
      const request = context.foreground.get(e.containerId);
      if (!request) return;
      context.foreground.delete(e.containerId);
      context.ports.runtime.delete(e.containerId);
      syscall(context, 'kernel.runCleanup', `rmdir cgroup; remove ${short(e.containerId)} state (runc run)`, {
        containerId: e.containerId,
        gone: true,
      });
      context.wire.reply(
        request,
        replyDraft(request.op, `exit ${e.status}`, {
          payload: { exitStatus: e.status, pid: e.pid },
          status: `exit ${e.status}`,
          params: { code: e.status },
        }),
      );
    },
  },
}).createMachine({
  id: 'runc',
  context: ({ input }) => ({
    ...input,
    foreground: new Map<string, Message>(),
    jobs: new Map<string, Message>(),
  }),
  on: {
    'kernel.exit': { actions: 'reapForeground' },
    ...Object.fromEntries(RUNC_OPS.map((op) => [op, { actions: 'invoke' }])),
    'xstate.done.actor.runcCall.*': { actions: ['invoked', 'forgetEffect'] },
    'xstate.error.actor.runcCall.*': { actions: ['failed', 'forgetEffect'] },
  },
});

import {
  enqueueActions,
  setup,
  stopChild,
  type ActorRefFrom,
  type InputFrom,
  type DoneActorEvent,
  type ErrorActorEvent,
} from 'xstate';
import type { Message } from '../../model/message.ts';
import { isJsonObject } from '../../model/json.ts';
import { answerFailed, errorText, serve, served, type Jobs } from '../effect.ts';
import {
  simShimEffects,
  type ShimCleanupEvidence,
  type ShimConnectEvidence,
  type ShimConnectInput,
  type ShimShutdownInput,
  type ShimStartEvidence,
  type ShimStartInput,
  type ShimStatsEvidence,
  type ShimStatsInput,
} from './shimEffects.ts';
import type { JsonObject, JsonValue } from '../../model/json.ts';
import type { ProcessEvent } from '../../ports/runtime.ts';
import type { WireEvent } from '../../wire/wire.ts';
import type { LayerInput } from '../ports.ts';
import { draft, replyDraft, short } from '../post.ts';
import { shimProcessMachine } from './shimProcessMachine.ts';

/**
 * The shim layer: every containerd-shim-runc-v2 process on the host. containerd starts one per
 * container (`containerd-shim-runc-v2 -namespace moby -id ID start`); that invocation forks the
 * long-lived shim, which re-parents itself away from containerd (so pstree shows it under PID 1,
 * not under containerd as older diagrams draw) and prints its ttrpc socket address.
 *
 * Grouping (containerd 2.x, cmd/containerd-shim-runc-v2/manager/manager_linux.go): the start
 * command names its socket after the spec's `io.kubernetes.cri.sandbox-id` annotation when there
 * is one. For a pod's second task the socket is already in use and answers, so the command just
 * prints that address and exits: one shim process serves the pause container and every
 * container of the pod, each with its own task state (the runc service's container map).
 * containerd asks such a shim to shut down only when the sandbox's task is deleted, and the
 * shim's Shutdown returns at once while it still serves a container (task/service.go).
 */
interface Group {
  address: string;
  pid: number;
}

type Ctx = LayerInput & {
  shims: Record<string, ActorRefFrom<typeof shimProcessMachine>>;
  /** Sandbox id → the shim that serves the pod's tasks. */
  groups: Record<string, Group>;
  jobs: Jobs;
};

const groupOf = (e: { msg: Message }): string | undefined => {
  const group = ((e.msg.payload ?? {}) as JsonObject).group;
  return typeof group === 'string' ? group : undefined;
};

const namespaceOf = (e: { msg: Message }): string =>
  String(((e.msg.payload ?? {}) as JsonObject).namespace ?? 'moby');

/** The other containers a shim process still serves. */
function servedBy(ctx: Ctx, pid: number, except: string): string[] {
  return Object.entries(ctx.shims)
    .filter(
      ([id, actor]) =>
        id !== except &&
        actor.getSnapshot().status === 'active' &&
        actor.getSnapshot().context.shimPid === pid,
    )
    .map(([id]) => id);
}

function liveGroup(ctx: Ctx, group: string | undefined): Group | undefined {
  const g = group === undefined ? undefined : ctx.groups[group];
  return g && servedBy(ctx, g.pid, '').length > 0 ? g : undefined;
}

/** The cgroup files the shim's Stats reads, by cgroup version (containerd/cgroups stats). */
const CGROUP_FILES: Record<number, string> = {
  1: 'memory.usage_in_bytes, memory.stat, cpuacct.usage, pids.current',
  2: 'memory.current, memory.stat, cpu.stat, pids.current',
};

/** The figures a Stats answer is told by: the task's pids and its memory use. */
function statsFigures(s: ShimStatsEvidence): { pids: number; memory: number } {
  const obj = (v: JsonValue | undefined): JsonObject => (isJsonObject(v) ? v : {});
  const memory = obj(s.metrics.memory);
  const usage = s.version === 1 ? obj(memory.usage).usage : memory.usage;
  return { pids: Number(obj(s.metrics.pids).current ?? 0), memory: Number(usage ?? 0) };
}

const idOf = (e: { msg: Message }) => String(((e.msg.payload ?? {}) as JsonObject).id ?? '');

type Event = WireEvent | DoneActorEvent<unknown> | ErrorActorEvent;

/** The start command's answer: the shim's socket address and pid. */
function replyStarted(ctx: Ctx, msg: Message, shim: Group & { argv?: string[] }, grouped: boolean): void {
  const ran = shim.argv === undefined ? '' : `${shim.argv.join(' ')} → `;
  const call =
    ran +
    (grouped
      ? `${shim.address} (socket in use: shim pid ${shim.pid} serves the pod; no new process)`
      : `${shim.address} (shim pid ${shim.pid}, parent → subreaper)`);
  ctx.wire.reply(
    msg,
    replyDraft(msg.op, call, {
      payload: { address: shim.address, pid: shim.pid },
      ...(grouped ? { narration: 'shim.start.grouped.reply' } : {}),
    }),
  );
}

/** The shim process serves the container's task from now on. */
function serveTask(
  ctx: Ctx,
  spawn: (id: string, input: InputFrom<typeof shimProcessMachine>) => ActorRefFrom<typeof shimProcessMachine>,
  msg: Message,
  shim: Group,
  grouped: boolean,
): Pick<Ctx, 'shims' | 'groups'> {
  const p = (msg.payload ?? {}) as JsonObject;
  const id = String(p.id ?? '');
  const group = typeof p.group === 'string' ? p.group : undefined;
  const actor = spawn(`shim-${id}`, {
    id,
    wire: ctx.wire,
    shimPid: shim.pid,
    namespace: String(p.namespace ?? 'moby'),
  });
  replyStarted(ctx, msg, shim, grouped);
  const groups = group !== undefined && !grouped ? { ...ctx.groups, [group]: shim } : ctx.groups;
  return { shims: { ...ctx.shims, [id]: actor }, groups };
}

export const shimMachine = setup({
  types: { context: {} as Ctx, events: {} as Event, input: {} as LayerInput },
  actors: { shimProcess: shimProcessMachine, ...simShimEffects },
  guards: {
    /** Child actors' completion events (xstate.done.actor.*) carry no wire message. */
    isWireMessage: ({ event }) => 'msg' in event && event.msg !== undefined,
  },
  actions: {
    /** A pod's later task finds its group's shim answering; any other start runs the binary (an effect). */
    startShim: enqueueActions(({ enqueue, context, event }) => {
      if (!('msg' in event)) return;
      const existing = liveGroup(context, groupOf(event));
      if (existing) {
        enqueue.assign(({ context: ctx, spawn }) =>
          serveTask(ctx, (id, input) => spawn('shimProcess', { id, input }), event.msg, existing, true),
        );
        return;
      }
      const p = (event.msg.payload ?? {}) as JsonObject;
      const id = serve(context.jobs, 'shimStart', event.msg);
      const input: ShimStartInput = {
        requestId: event.msg.id,
        id: idOf(event),
        namespace: namespaceOf(event),
        ...(typeof p.bundle === 'string' ? { bundle: p.bundle } : {}),
        ...(isJsonObject(p.spec) ? { spec: p.spec } : {}),
        ...(p.stdin === true ? { stdin: true } : {}),
        ids: context.ports.ids,
      };
      enqueue.spawnChild('shimStart', { id, input });
    }),
    shimStarted: enqueueActions(({ enqueue, context, event }) => {
      const done = served<ShimStartEvidence>(context.jobs, event);
      if (done?.ok)
        enqueue.assign(({ context: ctx, spawn }) =>
          serveTask(ctx, (id, input) => spawn('shimProcess', { id, input }), done.msg, done.output, false),
        );
    }),
    effectFailed: ({ context, event }) =>
      answerFailed(context.jobs, event, (msg, failure) => {
        const error = errorText(failure);
        context.wire.reply(msg, replyDraft(msg.op, `error: ${error}`, { ok: false, payload: { error } }));
      }),
    forgetEffect: stopChild(({ event }) => ('actorId' in event ? event.actorId : '')),
    /**
     * A call for a task whose shim has exited (or is going) finds no one on the socket: the
     * client's call fails with ttrpc's ErrClosed instead of waiting forever.
     */
    routeTtrpc: ({ context, event }) => {
      if (!('msg' in event)) return;
      const shim = context.shims[idOf(event)];
      if (shim?.getSnapshot().status === 'active') return shim.send({ type: 'ttrpc', msg: event.msg });
      if (event.msg.kind !== 'request') return;
      const error = 'ttrpc: closed';
      context.wire.reply(
        event.msg,
        replyDraft(event.msg.op, `error: ${error}`, { ok: false, payload: { error } }),
      );
    },
    routeProcessEvent: ({ context, event }) => {
      if (!('msg' in event)) return;
      const pe = event.msg.payload as unknown as ProcessEvent;
      context.shims[pe.containerId]?.send({ type: 'process', event: pe });
    },
    /** The last task of a shim is gone: the shim exits (an effect); a pod's shim that still serves others stays. */
    shutdownShim: enqueueActions(({ enqueue, context, event }) => {
      if (!('msg' in event)) return;
      const id = idOf(event);
      const pid = context.shims[id]?.getSnapshot().context.shimPid;
      const others = pid === undefined ? [] : servedBy(context, pid, id);
      const { [id]: _gone, ...rest } = context.shims;
      enqueue.assign({ shims: rest });
      if (others.length > 0) {
        context.wire.reply(
          event.msg,
          replyDraft(
            event.msg.op,
            `shim keeps running: it still serves ${others.length} container(s) of the pod`,
            { narration: 'shim.Shutdown.kept.reply' },
          ),
        );
        return;
      }
      const effect = serve(context.jobs, 'shimShutdown', event.msg);
      const input: ShimShutdownInput = { requestId: event.msg.id, id, namespace: namespaceOf(event) };
      enqueue.spawnChild('shimShutdown', { id: effect, input });
    }),
    /**
     * Task/Stats: the shim reads the container's cgroup itself, with containerd's cgroups
     * library, not through runc (cmd/containerd-shim-runc-v2/task/service.go Stats).
     */
    readStats: enqueueActions(({ enqueue, context, event }) => {
      if (!('msg' in event)) return;
      const effect = serve(context.jobs, 'shimStats', event.msg);
      const input: ShimStatsInput = {
        requestId: event.msg.id,
        id: idOf(event),
        runtime: context.ports.runtime,
      };
      enqueue.spawnChild('shimStats', { id: effect, input });
    }),
    statsRead: ({ context, event }) => {
      const done = served<ShimStatsEvidence>(context.jobs, event);
      if (!done?.ok) return;
      const { pids, memory } = statsFigures(done.output);
      context.wire.event(
        draft(
          'shim',
          'Kernel',
          'kernel.cgroupStats',
          `read ${CGROUP_FILES[done.output.version] ?? CGROUP_FILES[2]}`,
          {
            payload: { containerId: idOf(done) },
            params: { pids },
          },
        ),
      );
      context.wire.reply(
        done.msg,
        replyDraft(done.msg.op, `OK pids=${pids} memory=${memory}`, {
          payload: { version: done.output.version, metrics: done.output.metrics },
          status: 'OK',
        }),
      );
    },
    /**
     * containerd restarted and found the task's bundle (runtime/v2 shim_load.go loadShims): connect
     * to the shim its `address` file names (an effect), or, for a dead shim, run the shim binary's
     * `delete` in the bundle (shim.go cleanupAfterDeadShim).
     */
    reachShim: enqueueActions(({ enqueue, context, event }) => {
      if (!('msg' in event)) return;
      const p = (event.msg.payload ?? {}) as JsonObject;
      const name = event.msg.op === 'shim.cleanup' ? 'shimCleanup' : 'shimConnect';
      const id = serve(context.jobs, name, event.msg);
      const input: ShimConnectInput = {
        requestId: event.msg.id,
        id: idOf(event),
        namespace: namespaceOf(event),
        bundle: String(p.bundle ?? ''),
      };
      enqueue.spawnChild(name, { id, input });
    }),
    shimConnected: enqueueActions(({ enqueue, context, event }) => {
      const done = served<ShimConnectEvidence>(context.jobs, event);
      if (!done?.ok) return;
      const { output: out, msg } = done;
      const id = idOf(done);
      enqueue.assign(({ context: ctx, spawn }) => ({
        shims: {
          ...ctx.shims,
          [id]: spawn('shimProcess', {
            id: `shim-${id}`,
            input: {
              id,
              wire: ctx.wire,
              shimPid: out.shimPid,
              namespace: namespaceOf({ msg }),
              pid: out.pid,
              ...(out.status === 'stopped' ? { exitStatus: out.exitStatus } : {}),
            },
          }),
        },
      }));
      const call = `${out.address}: shim pid ${out.shimPid}, task ${out.status} (pid ${out.pid})`;
      context.wire.reply(msg, replyDraft(msg.op, call, { payload: { ...out } }));
    }),
    shimCleanedUp: ({ context, event }) => {
      const done = served<ShimCleanupEvidence>(context.jobs, event);
      if (!done?.ok) return;
      const { output: out, msg } = done;
      const ran = out.argv === undefined ? '' : `${out.argv.join(' ')} → `;
      const call = `${ran}DeleteResponse pid=${out.pid} exit_status=${out.exitStatus}`;
      context.wire.reply(msg, replyDraft(msg.op, call, { payload: { ...out } }));
    },
    shimShutDown: ({ context, event }) => {
      const done = served(context.jobs, event);
      if (!done?.ok) return;
      context.wire.reply(done.msg, replyDraft(done.msg.op, `shim ${short(idOf(done))} exits`));
    },
  },
}).createMachine({
  id: 'shim',
  context: ({ input }) => ({ ...input, shims: {}, groups: {}, jobs: new Map<string, Message>() }),
  on: {
    'shim.start': { actions: 'startShim' },
    'xstate.done.actor.shimStart.*': { actions: ['shimStarted', 'forgetEffect'] },
    'xstate.done.actor.shimShutdown.*': { actions: ['shimShutDown', 'forgetEffect'] },
    'xstate.error.actor.shimStart.*': { actions: ['effectFailed', 'forgetEffect'] },
    'xstate.error.actor.shimShutdown.*': { actions: ['effectFailed', 'forgetEffect'] },
    'shim.Shutdown': { actions: 'shutdownShim' },
    'shim.Stats': { actions: 'readStats' },
    'xstate.done.actor.shimStats.*': { actions: ['statsRead', 'forgetEffect'] },
    'xstate.error.actor.shimStats.*': { actions: ['effectFailed', 'forgetEffect'] },
    'shim.Connect': { actions: 'reachShim' },
    'shim.cleanup': { actions: 'reachShim' },
    'xstate.done.actor.shimConnect.*': { actions: ['shimConnected', 'forgetEffect'] },
    'xstate.done.actor.shimCleanup.*': { actions: ['shimCleanedUp', 'forgetEffect'] },
    'xstate.error.actor.shimConnect.*': { actions: ['effectFailed', 'forgetEffect'] },
    'xstate.error.actor.shimCleanup.*': { actions: ['effectFailed', 'forgetEffect'] },
    'kernel.output': { actions: 'routeProcessEvent' },
    'kernel.exit': { actions: 'routeProcessEvent' },
    'kernel.oom': { actions: 'routeProcessEvent' },
    '*': { guard: 'isWireMessage', actions: 'routeTtrpc' },
  },
});

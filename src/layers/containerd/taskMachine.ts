import { assign, setup } from 'xstate';
import type { JsonObject } from '../../model/json.ts';
import type { Message } from '../../model/message.ts';
import type { Wire } from '../../wire/wire.ts';
import { draft, replyDraft, short } from '../post.ts';

/**
 * A containerd task: the running instance of a container (containerd's Tasks service,
 * https://github.com/containerd/containerd/blob/main/api/services/tasks/v1/tasks.proto).
 * containerd is a client of the shim here: `Tasks.Create` starts the shim binary and calls its
 * Task/Create; every later call is forwarded to the shim over ttrpc.
 */
interface TaskInput {
  id: string;
  wire: Wire;
  /** containerd namespace of the container: `moby` (Docker) or `k8s.io` (the CRI plugin). */
  namespace?: string;
  /** The pod sandbox whose shim serves this task (the spec's io.kubernetes.cri.sandbox-id). */
  group?: string;
}

interface TaskContext {
  id: string;
  wire: Wire;
  namespace: string;
  group: string | undefined;
  pending: Map<number, Message>;
  create: Message | undefined;
  /** A task found again at containerd's start whose shim was dead: the cleanup's answer. */
  cleaned: { pid: number; exitStatus: number } | undefined;
  /** Tasks.Get asked while the task is still reconnecting: answered once it knows. */
  gets: Message[];
}

type TaskEvent = { type: 'request'; msg: Message } | { type: 'reply'; msg: Message } | { type: 'exited' };

const SHIM_CALL: Record<string, [string, string]> = {
  'ctrd.Tasks.Start': ['shim.Start', 'containerd.task.v2.Task/Start'],
  'ctrd.Tasks.Kill': ['shim.Kill', 'containerd.task.v2.Task/Kill'],
  'ctrd.Tasks.Pause': ['shim.Pause', 'containerd.task.v2.Task/Pause'],
  'ctrd.Tasks.Resume': ['shim.Resume', 'containerd.task.v2.Task/Resume'],
  'ctrd.Tasks.Update': ['shim.Update', 'containerd.task.v2.Task/Update'],
  'ctrd.Tasks.Exec': ['shim.Exec', 'containerd.task.v2.Task/Exec'],
  'ctrd.Tasks.ListPids': ['shim.Pids', 'containerd.task.v2.Task/Pids'],
  // Tasks.Metrics asks each task's shim for its Stats (services/tasks/local.go Metrics).
  'ctrd.Tasks.Metrics': ['shim.Stats', 'containerd.task.v2.Task/Stats'],
  'ctrd.Tasks.Delete': ['shim.Delete', 'containerd.task.v2.Task/Delete'],
  // Tasks.DeleteProcess(exec_id) is the same shim call as Delete, with the exec's id.
  'ctrd.Tasks.DeleteProcess': ['shim.Delete', 'containerd.task.v2.Task/Delete'],
  'ctrd.Tasks.ResizePty': ['shim.ResizePty', 'containerd.task.v2.Task/ResizePty'],
  'ctrd.Tasks.CloseIO': ['shim.CloseIO', 'containerd.task.v2.Task/CloseIO'],
};

const execIdOf = (msg: Message | undefined): string | undefined => {
  const execId = ((msg?.payload ?? {}) as JsonObject).execId;
  return typeof execId === 'string' && execId !== '' ? execId : undefined;
};

function forward(
  ctx: TaskContext,
  self: Parameters<Wire['request']>[0],
  original: Message,
  op: string,
  call: string,
) {
  const payload: JsonObject = { ...((original.payload ?? {}) as JsonObject), id: ctx.id };
  if (ctx.namespace !== 'moby') payload.namespace = ctx.namespace;
  const execId = execIdOf(original);
  const label = execId === undefined ? call : `${call}(exec_id=${short(execId)})`;
  const id = ctx.wire.request(self, draft('containerd', 'shim', op, label, { payload }));
  ctx.pending.set(id, original);
}

export const taskMachine = setup({
  types: { context: {} as TaskContext, events: {} as TaskEvent, input: {} as TaskInput },
  actions: {
    execShimBinary: ({ context, event, self }) => {
      if (event.type !== 'request') return;
      context.create = event.msg;
      const call = `exec containerd-shim-runc-v2 -namespace ${context.namespace} -id ${short(context.id)} -address /run/containerd/containerd.sock start`;
      const payload: JsonObject = { id: context.id };
      if (context.namespace !== 'moby') payload.namespace = context.namespace;
      if (context.group !== undefined) payload.group = context.group;
      // containerd writes the bundle (config.json from the container's spec) before it execs the
      // shim in it (core/runtime/v2/bundle.go NewBundle): the shim's start effect needs both.
      const created = (event.msg.payload ?? {}) as JsonObject;
      if (typeof created.bundle === 'string') payload.bundle = created.bundle;
      if (created.spec !== undefined) payload.spec = created.spec;
      if (created.stdin === true) payload.stdin = true;
      // A task of a pod that already has a shim: the start command finds the group's socket in use.
      const narration =
        context.group !== undefined && context.group !== context.id
          ? { narration: 'shim.start.grouped' }
          : {};
      context.wire.request(self, draft('containerd', 'shim', 'shim.start', call, { payload, ...narration }));
    },
    createShimTask: ({ context, self }) => {
      if (!context.create) return;
      forward(context, self, context.create, 'shim.Create', 'containerd.task.v2.Task/Create');
    },
    forwardToShim: ({ context, event, self }) => {
      if (event.type !== 'request') return;
      const target = SHIM_CALL[event.msg.op];
      if (target) forward(context, self, event.msg, target[0], target[1]);
    },
    answerDockerd: ({ context, event }) => {
      if (event.type !== 'reply' || event.msg.inReplyTo === undefined) return;
      const original = context.pending.get(event.msg.inReplyTo);
      context.pending.delete(event.msg.inReplyTo);
      if (!original) return;
      const body = (event.msg.payload ?? {}) as JsonObject;
      const call = event.msg.ok
        ? `OK${typeof body.pid === 'number' ? ` pid=${body.pid}` : ''}`
        : `error: ${String(body.error)}`;
      context.wire.reply(
        original,
        replyDraft(original.op, call, {
          ok: event.msg.ok,
          payload: body,
          status: event.msg.ok ? 'OK' : 'Unknown',
        }),
      );
    },
    /** containerd's restart (loadShims): the task's bundle names its shim's socket; connect. */
    connectShim: ({ context, event, self }) => {
      if (event.type !== 'request') return;
      const payload: JsonObject = { ...((event.msg.payload ?? {}) as JsonObject), id: context.id };
      const call = `connect BUNDLE/address; Task/Connect, Task/State(${short(context.id)}…)`;
      context.wire.request(self, draft('containerd', 'shim', 'shim.Connect', call, { payload }));
    },
    /** The shim does not answer: run its binary's `delete` in the bundle (cleanupAfterDeadShim). */
    cleanupDeadShim: ({ context, event, self }) => {
      if (event.type !== 'reply') return;
      const payload: JsonObject = { ...((event.msg.payload ?? {}) as JsonObject), id: context.id };
      const call = `containerd-shim-runc-v2 -namespace ${context.namespace} -id ${short(context.id)} -bundle … delete`;
      context.wire.request(self, draft('containerd', 'shim', 'shim.cleanup', call, { payload }));
    },
    keepCleanup: assign({
      cleaned: ({ event }) => {
        const p = (event.type === 'reply' ? (event.msg.payload ?? {}) : {}) as JsonObject;
        return { pid: Number(p.pid ?? 0), exitStatus: Number(p.exitStatus ?? 137) };
      },
    }),
    holdGet: ({ context, event }) => {
      if (event.type === 'request') context.gets.push(event.msg);
    },
    /** The task is loaded again: the Gets that waited are answered, and containerd notes it. */
    restored: ({ context, event }) => {
      const p = (event.type === 'reply' ? (event.msg.payload ?? {}) : {}) as JsonObject;
      const found = event.type === 'reply' && event.msg.ok;
      const status = event.type === 'reply' && event.msg.op === 'shim.Connect' ? String(p.status) : 'stopped';
      for (const get of context.gets.splice(0))
        context.wire.reply(
          get,
          found
            ? replyDraft(get.op, `OK: status=${status.toUpperCase()}`, {
                payload: { id: context.id, status },
                params: { status },
              })
            : replyDraft(get.op, `NotFound: no running task found: task ${context.id} not found`, {
                ok: false,
                payload: { error: `task ${context.id} not found` },
                narration: 'ctrd.Tasks.Get.notFound',
              }),
        );
      context.wire.self(
        'containerd',
        draft('containerd', 'containerd', 'ctrd.restored', `task ${short(context.id)}… loaded`, {
          payload: { id: context.id },
        }),
      );
    },
    /** Delete of a task whose shim is gone: containerd answers from the cleanup's exit status. */
    answerCleanedDelete: ({ context, event }) => {
      if (event.type !== 'request' || context.cleaned === undefined) return;
      const payload: JsonObject = { ...context.cleaned };
      context.wire.reply(
        event.msg,
        replyDraft(event.msg.op, `OK exit_status=${context.cleaned.exitStatus}`, { payload, status: 'OK' }),
      );
    },
    shutdownShim: ({ context }) => {
      // A task of a pod's container (containerd container with a SandboxID) leaves its shim
      // alone: the shim serves the pod, and the sandbox's own task decides when it goes
      // (core/runtime/v2/shim.go, shimTask.delete: "Don't shutdown sandbox").
      if (context.group !== undefined && context.group !== context.id) return;
      context.wire.request(
        undefined,
        draft('containerd', 'shim', 'shim.Shutdown', 'containerd.task.v2.Task/Shutdown', {
          payload: { id: context.id },
        }),
      );
    },
  },
  guards: {
    nothingPending: ({ context }) => context.pending.size === 0,
    shimStarted: ({ event }) => event.type === 'reply' && event.msg.op === 'shim.start',
    replied: ({ event }, p: { op: string; ok: boolean }) =>
      event.type === 'reply' && event.msg.op === p.op && event.msg.ok === p.ok,
    isRequest: ({ event }, p: { op: string }) => event.type === 'request' && event.msg.op === p.op,
    /** The reconnected shim reports the task in this state. */
    connectedAs: ({ event }, p: { status: string }) =>
      event.type === 'reply' &&
      event.msg.op === 'shim.Connect' &&
      event.msg.ok &&
      ((event.msg.payload ?? {}) as JsonObject).status === p.status,
    cleanedDelete: ({ context, event }) =>
      context.cleaned !== undefined && event.type === 'request' && event.msg.op === 'ctrd.Tasks.Delete',
    /** The init process's Delete succeeded (an exec's Delete leaves the task as it is). */
    initDeleted: ({ context, event }) =>
      event.type === 'reply' &&
      event.msg.op === 'shim.Delete' &&
      event.msg.ok &&
      event.msg.inReplyTo !== undefined &&
      execIdOf(context.pending.get(event.msg.inReplyTo)) === undefined,
  },
}).createMachine({
  id: 'task',
  context: ({ input }) => ({
    id: input.id,
    wire: input.wire,
    namespace: input.namespace ?? 'moby',
    group: input.group,
    pending: new Map(),
    create: undefined,
    cleaned: undefined,
    gets: [],
  }),
  initial: 'new',
  on: {
    request: { actions: 'forwardToShim' },
    exited: '.stopped',
  },
  states: {
    new: {
      on: {
        request: [
          {
            guard: { type: 'isRequest', params: { op: 'ctrd.Tasks.Create' } },
            target: 'creating',
            actions: 'execShimBinary',
          },
          {
            guard: { type: 'isRequest', params: { op: 'ctrd.restore.load' } },
            target: 'connecting',
            actions: 'connectShim',
          },
        ],
      },
    },
    connecting: {
      on: {
        request: { guard: { type: 'isRequest', params: { op: 'ctrd.Tasks.Get' } }, actions: 'holdGet' },
        reply: [
          {
            guard: { type: 'connectedAs', params: { status: 'running' } },
            target: 'running',
            actions: 'restored',
          },
          {
            guard: { type: 'connectedAs', params: { status: 'paused' } },
            target: 'paused',
            actions: 'restored',
          },
          {
            guard: { type: 'connectedAs', params: { status: 'created' } },
            target: 'created',
            actions: 'restored',
          },
          {
            guard: { type: 'replied', params: { op: 'shim.Connect', ok: true } },
            target: 'stopped',
            actions: 'restored',
          },
          {
            guard: { type: 'replied', params: { op: 'shim.Connect', ok: false } },
            actions: 'cleanupDeadShim',
          },
          {
            guard: { type: 'replied', params: { op: 'shim.cleanup', ok: true } },
            target: 'stopped',
            actions: ['keepCleanup', 'restored'],
          },
          {
            guard: { type: 'replied', params: { op: 'shim.cleanup', ok: false } },
            target: 'deleted',
            actions: 'restored',
          },
        ],
      },
    },
    creating: {
      on: {
        reply: [
          { guard: 'shimStarted', actions: 'createShimTask' },
          {
            guard: { type: 'replied', params: { op: 'shim.Create', ok: true } },
            target: 'created',
            actions: 'answerDockerd',
          },
          {
            guard: { type: 'replied', params: { op: 'shim.Create', ok: false } },
            target: 'deleted',
            actions: ['answerDockerd', 'shutdownShim'],
          },
        ],
      },
    },
    created: {
      on: {
        reply: [
          {
            guard: { type: 'replied', params: { op: 'shim.Start', ok: true } },
            target: 'running',
            actions: 'answerDockerd',
          },
          // A task deleted before it ever started (its start or its network failed) still has
          // its shim: containerd shuts it down after the Delete as for any task
          // (runtime/v2/shim.go shimTask.delete → waitShutdown).
          { guard: 'initDeleted', target: 'deleted', actions: ['answerDockerd', 'shutdownShim'] },
          { actions: 'answerDockerd' },
        ],
      },
    },
    running: {
      on: {
        reply: [
          {
            guard: { type: 'replied', params: { op: 'shim.Pause', ok: true } },
            target: 'paused',
            actions: 'answerDockerd',
          },
          { actions: 'answerDockerd' },
        ],
      },
    },
    paused: {
      on: {
        reply: [
          {
            guard: { type: 'replied', params: { op: 'shim.Resume', ok: true } },
            target: 'running',
            actions: 'answerDockerd',
          },
          { actions: 'answerDockerd' },
        ],
      },
    },
    stopped: {
      on: {
        request: [
          { guard: 'cleanedDelete', target: 'deleted', actions: 'answerCleanedDelete' },
          { actions: 'forwardToShim' },
        ],
        reply: [
          { guard: 'initDeleted', target: 'deleted', actions: ['answerDockerd', 'shutdownShim'] },
          { actions: 'answerDockerd' },
        ],
      },
    },
    /**
     * The task is deleted; a call that reached the shim beside the Delete (a stop's Kill racing
     * the exit's handling) is still answered before the task is gone: containerd's Tasks service
     * answers every call it forwarded (services/tasks/local.go).
     */
    deleted: {
      always: { guard: 'nothingPending', target: 'gone' },
      on: { reply: { actions: 'answerDockerd' }, exited: { actions: [] } },
    },
    gone: { type: 'final' },
  },
});

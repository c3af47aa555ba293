import { enqueueActions, setup, stopChild, type DoneActorEvent, type ErrorActorEvent } from 'xstate';
import type { JsonObject } from '../../model/json.ts';
import type { Message } from '../../model/message.ts';
import type { ProcessEvent } from '../../ports/runtime.ts';
import type { Wire } from '../../wire/wire.ts';
import { errorText, serve, served, type Jobs } from '../effect.ts';
import { draft, replyDraft, short } from '../post.ts';
import {
  simShimCallEffects,
  type ShimCallEvidence,
  type ShimCallInput,
  type ShimCallOp,
} from './shimEffects.ts';

/**
 * One containerd-shim-runc-v2 process, serving one container's task API over ttrpc
 * (https://github.com/containerd/containerd/blob/main/cmd/containerd-shim-runc-v2/README.md).
 * It runs runc for every operation, stays alive while the container lives (so dockerd and
 * containerd can restart without killing containers), holds the container's stdio, reaps its
 * exit status as the subreaper, and publishes the task events (/tasks/create, /tasks/exit, …)
 * that containerd forwards.
 */
interface ShimContext {
  id: string;
  wire: Wire;
  /** runc request id → the containerd request it serves. */
  pending: Map<number, Message>;
  pid: number;
  /** The shim's own pid: a child of init (PID 1), not of containerd — it outlives containerd. */
  shimPid: number;
  exitStatus: number | undefined;
  /** Exec processes registered by Exec and not started or deleted yet: exec id → OCI process. */
  execs: Map<string, JsonObject>;
  /** containerd namespace: `moby` (dockerd reads the stdio) or `k8s.io` (containerd's CRI plugin does). */
  namespace: string;
  /** The calls the running shimCall effects serve (shimEffects.ts). */
  jobs: Jobs;
}

export type ShimEvent =
  | { type: 'ttrpc'; msg: Message }
  | { type: 'reply'; msg: Message }
  | { type: 'process'; event: ProcessEvent }
  | DoneActorEvent<JsonObject>
  | ErrorActorEvent;

/** Calls the shim serves itself, without runc. */
const OWN_CALLS: readonly string[] = ['shim.ResizePty', 'shim.CloseIO'];

/**
 * runc's state root: what the runtime options name (Docker passes /var/run/docker/runtime-runc),
 * else the shim's default /run/containerd/runc, per namespace (process/init.go).
 */
const runcRoot = (ns: string): string =>
  ns === 'moby' ? '/run/docker/runtime-runc/moby' : `/run/containerd/runc/${ns}`;

const RUNC: Record<string, { op: string; call: (id: string, p: JsonObject) => string }> = {
  'shim.Create': {
    op: 'runc.create',
    call: (id, p) => {
      const ns = String(p.namespace ?? 'moby');
      return `runc --root ${runcRoot(ns)} create --bundle /run/containerd/io.containerd.runtime.v2.task/${ns}/${short(id)}… --pid-file init.pid ${short(id)}`;
    },
  },
  'shim.Start': { op: 'runc.start', call: (id) => `runc start ${short(id)}` },
  'shim.Kill': { op: 'runc.kill', call: (id, p) => `runc kill ${short(id)} ${String(p.signal ?? 15)}` },
  'shim.Pause': { op: 'runc.pause', call: (id) => `runc pause ${short(id)}` },
  'shim.Resume': { op: 'runc.resume', call: (id) => `runc resume ${short(id)}` },
  // The shim gives runc the new LinuxResources on its stdin (containerd-shim-runc-v2 runc.Update).
  'shim.Update': { op: 'runc.update', call: (id) => `runc update --resources - ${short(id)}` },
  'shim.Delete': { op: 'runc.delete', call: (id) => `runc delete ${short(id)}` },
  // Pids: process.Init's runtime Ps (process/init.go).
  'shim.Pids': { op: 'runc.ps', call: (id) => `runc ps --format json ${short(id)}` },
};

/**
 * Start with an exec_id starts an exec process the shim registered at Exec: `runc exec
 * --detach` with the process.json written then (containerd-shim-runc-v2 process/exec.go).
 */
const RUNC_EXEC = {
  op: 'runc.exec',
  call: (id: string, p: JsonObject) =>
    `runc exec --process ${short(String(p.execId ?? ''))}-process.json --detach --pid-file ${short(String(p.execId ?? ''))}.pid ${short(id)}`,
};

const execIdOf = (msg: Message): string | undefined => {
  const execId = ((msg.payload ?? {}) as JsonObject).execId;
  return typeof execId === 'string' && execId !== '' ? execId : undefined;
};

const TOPIC_ON_REPLY: Record<string, string> = {
  'runc.create': '/tasks/create',
  'runc.start': '/tasks/start',
  'runc.pause': '/tasks/paused',
  'runc.resume': '/tasks/resumed',
  'runc.delete': '/tasks/delete',
};

/**
 * `runc ps` names pids only; ps on the host shows each one's parent: the shim for the init and
 * for exec'd processes (it is their subreaper), the container's own process for a child.
 */
function withParents(body: JsonObject, shimPid: number): JsonObject {
  if (!Array.isArray(body.pids)) return body;
  const pids = body.pids.map((entry) => {
    const e = (entry ?? {}) as JsonObject;
    return { ...e, ppid: typeof e.parent === 'number' ? e.parent : shimPid };
  });
  return { ...body, pids };
}

function publish(ctx: ShimContext, topic: string, body: JsonObject): void {
  // An exit in the k8s.io namespace goes to the CRI plugin's event monitor, not to dockerd.
  const cri = ctx.namespace !== 'moby' && topic === '/tasks/exit' ? '.cri' : '';
  ctx.wire.event(
    draft('shim', 'containerd', 'shim.event', `publish ${topic}`, {
      payload: { topic, id: ctx.id, ...body },
      params: { topic },
      narration: `shim.event${topic.replace(/\//g, '.')}${cri}`,
    }),
  );
}

export const shimProcessMachine = setup({
  types: {
    context: {} as ShimContext,
    events: {} as ShimEvent,
    input: {} as {
      id: string;
      wire: Wire;
      shimPid: number;
      namespace?: string;
      /** A shim found again after containerd's restart: its init's pid, and its exit status if it ended. */
      pid?: number;
      exitStatus?: number;
    },
  },
  actors: { ...simShimCallEffects },
  actions: {
    /**
     * A call the shim answers itself (an exec's Delete, ResizePty, CloseIO): an
     * effect, answered when it is done.
     */
    callShim: enqueueActions(({ enqueue, context, event }) => {
      if (event.type !== 'ttrpc') return;
      const body = (event.msg.payload ?? {}) as JsonObject;
      const id = serve(context.jobs, 'shimCall', event.msg);
      const execId = execIdOf(event.msg);
      const input: ShimCallInput = {
        op: event.msg.op as ShimCallOp,
        id: context.id,
        namespace: context.namespace,
        pid: context.pid,
        ...(execId === undefined ? {} : { execId }),
        ...(typeof body.width === 'number' ? { width: body.width } : {}),
        ...(typeof body.height === 'number' ? { height: body.height } : {}),
      };
      enqueue.spawnChild('shimCall', { id, input });
    }),
    shimCalled: ({ context, event }) => {
      const done = served<ShimCallEvidence>(context.jobs, event);
      if (done === undefined) return;
      const { msg } = done;
      if (done.ok) {
        // An exec's Delete drops the shim's entry for it: no runc call, no event.
        if (msg.op === 'shim.Delete') context.execs.delete(execIdOf(msg) ?? '');
        context.wire.reply(msg, replyDraft(msg.op, 'OK', { status: 'OK', payload: done.output }));
        return;
      }
      const error = errorText(done.error);
      context.wire.reply(
        msg,
        replyDraft(msg.op, `error: ${error}`, { ok: false, status: 'Unknown', payload: { error } }),
      );
    },
    forgetShimCall: stopChild(({ event }) => ('actorId' in event ? event.actorId : '')),
    runRunc: ({ context, event, self }) => {
      if (event.type !== 'ttrpc') return;
      const execId = execIdOf(event.msg);
      const spec = execId !== undefined && event.msg.op === 'shim.Start' ? RUNC_EXEC : RUNC[event.msg.op];
      if (!spec) return;
      const body = (event.msg.payload ?? {}) as JsonObject;
      const process = execId === undefined ? undefined : context.execs.get(execId);
      const payload: JsonObject = { ...body, id: context.id, ...(process ? { process } : {}) };
      const id = context.wire.request(
        self,
        draft('shim', 'runc', spec.op, spec.call(context.id, body), { payload }),
      );
      context.pending.set(id, event.msg);
    },
    /** Exec only registers the process (and publishes /tasks/exec-added); runc runs at Start. */
    registerExec: ({ context, event }) => {
      if (event.type !== 'ttrpc') return;
      const execId = execIdOf(event.msg) ?? '';
      context.execs.set(execId, ((event.msg.payload as JsonObject).process ?? {}) as JsonObject);
      context.wire.reply(event.msg, replyDraft(event.msg.op, 'OK', { status: 'OK' }));
      publish(context, '/tasks/exec-added', { execId });
    },
    answerContainerd: ({ context, event }) => {
      if (event.type !== 'reply' || event.msg.inReplyTo === undefined) return;
      const original = context.pending.get(event.msg.inReplyTo);
      context.pending.delete(event.msg.inReplyTo);
      if (!original) return;
      const r = event.msg;
      const body = withParents((r.payload ?? {}) as JsonObject, context.shimPid);
      if (typeof body.pid === 'number' && r.op === 'runc.create') context.pid = body.pid;
      const payload: JsonObject = r.ok ? { ...body, exitStatus: context.exitStatus ?? null } : body;
      const status = r.ok ? 'OK' : 'Unknown';
      context.wire.reply(
        original,
        replyDraft(
          original.op,
          r.ok ? `${status}${body.pid ? ` pid=${String(body.pid)}` : ''}` : `error: ${String(body.error)}`,
          { ok: r.ok, payload, status },
        ),
      );
      // The task event goes out after the answer: the shim queues it for its forwarder
      // goroutine (service.send) while the ttrpc reply returns at once.
      const topic = TOPIC_ON_REPLY[r.op];
      if (r.ok && topic)
        publish(
          context,
          topic,
          r.op === 'runc.delete'
            ? { exitStatus: context.exitStatus ?? 0, pid: context.pid }
            : { pid: context.pid },
        );
      if (r.ok && r.op === 'runc.exec')
        publish(context, '/tasks/exec-started', {
          execId: String((original.payload as JsonObject).execId),
          pid: body.pid ?? 0,
        });
    },
    relayProcessEvent: ({ context, event }) => {
      if (event.type !== 'process') return;
      const e = event.event;
      if (e.type === 'output') {
        const call = `copy ${e.stream} → ${e.execId ? 'exec' : 'init'}-${e.stream === 'stdout' ? 1 : 2} fifo`;
        const payload: JsonObject = { id: context.id, stream: e.stream, text: e.text };
        if (e.execId) payload.execId = e.execId;
        // Docker's FIFOs are read by dockerd; the CRI plugin reads its containers' itself.
        const reader = context.namespace === 'moby' ? 'dockerd' : 'containerd';
        const narration = context.namespace === 'moby' ? {} : { narration: 'fifo.output.cri' };
        context.wire.event(
          draft('shim', reader, 'fifo.output', call, {
            payload,
            params: { stream: e.stream, bytes: e.text.length },
            ...narration,
          }),
        );
      } else if (e.type === 'oom') {
        publish(context, '/tasks/oom', {});
      } else if (e.type === 'exit') {
        if (!e.execId) context.exitStatus = e.status;
        const body: JsonObject = { pid: e.pid, exitStatus: e.status, execId: e.execId ?? context.id };
        publish(context, '/tasks/exit', body);
      }
    },
  },
  guards: {
    replyOk: ({ event }) => event.type === 'reply' && event.msg.ok,
    initEnded: ({ context }) => context.exitStatus !== undefined,
    nothingPending: ({ context }) => context.pending.size === 0,
    isOp: ({ event }, params: { op: string }) => event.type === 'reply' && event.msg.op === params.op,
    isInitExit: ({ event }) => event.type === 'process' && event.event.type === 'exit' && !event.event.execId,
    ttrpcIs: ({ event }, params: { op: string }) => event.type === 'ttrpc' && event.msg.op === params.op,
    isExecDelete: ({ event }) =>
      event.type === 'ttrpc' && event.msg.op === 'shim.Delete' && execIdOf(event.msg) !== undefined,
    isOwnCall: ({ event }) => event.type === 'ttrpc' && OWN_CALLS.includes(event.msg.op),
  },
}).createMachine({
  id: 'shimProcess',
  context: ({ input }) => ({
    ...input,
    namespace: input.namespace ?? 'moby',
    pending: new Map(),
    pid: input.pid ?? 0,
    exitStatus: input.exitStatus,
    execs: new Map(),
    jobs: new Map(),
  }),
  initial: 'serving',
  on: {
    ttrpc: [
      { guard: { type: 'ttrpcIs', params: { op: 'shim.Exec' } }, actions: 'registerExec' },
      { guard: 'isExecDelete', actions: 'callShim' },
      { guard: 'isOwnCall', actions: 'callShim' },
      { actions: 'runRunc' },
    ],
    'xstate.done.actor.shimCall.*': { actions: ['shimCalled', 'forgetShimCall'] },
    'xstate.error.actor.shimCall.*': { actions: ['shimCalled', 'forgetShimCall'] },
    reply: { actions: 'answerContainerd' },
    process: [
      { guard: 'isInitExit', target: '.stopped', actions: 'relayProcessEvent' },
      { actions: 'relayProcessEvent' },
    ],
  },
  states: {
    serving: {
      // A shim found again whose init had already ended waits for its Delete, as a stopped one.
      always: { guard: 'initEnded', target: 'stopped' },
    },
    stopped: {
      on: {
        reply: [
          {
            guard: { type: 'isOp', params: { op: 'runc.delete' } },
            target: 'deleted',
            actions: 'answerContainerd',
          },
          { actions: 'answerContainerd' },
        ],
      },
    },
    /**
     * The init is deleted, but a call that came beside the Delete may still wait for runc (a
     * stop's Kill that raced the exit's handling): the shim answers it before it is done, as the
     * real one answers every call it took (task/service.go Kill: "process already finished").
     */
    deleted: {
      always: { guard: 'nothingPending', target: 'exited' },
    },
    exited: { type: 'final' },
  },
});

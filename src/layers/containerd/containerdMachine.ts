import { assign, enqueueActions, setup, spawnChild, stopChild, type ActorRefFrom } from 'xstate';
import type { JsonObject } from '../../model/json.ts';
import type { Message } from '../../model/message.ts';
import type { WireEvent } from '../../wire/wire.ts';
import { operationMachine } from '../operation.ts';
import type { LayerInput } from '../ports.ts';
import { draft, replyDraft } from '../post.ts';
import { publishCtrd } from './events.ts';
import {
  imageServiceActions,
  contentInfoJob,
  readContentJob,
  readImagesJob,
  removeImageJob,
  storeImageJob,
  writeContentJob,
  imageServiceEffects,
  type CtrdImage,
} from './imageService.ts';
import { taskMachine } from './taskMachine.ts';
import { leaseActions } from './leases.ts';
import { Cri, CRI_OPS, criLog, criRequest, criTaskExit, isCriTaskExit } from './cri.ts';
import { criReplyKey, CriState } from './criState.ts';

/**
 * containerd: the container supervisor dockerd talks to over gRPC (namespace `moby`).
 * It owns container *metadata* (Containers service), *tasks* (one child actor each, forwarded to
 * the shim), and — in profile v29, Docker's containerd image store — the images, the content
 * store and the snapshotter. It publishes events on its event service (`ctr events` shows them):
 * container metadata events it publishes itself; task events come from the shim. On a
 * Kubernetes node its CRI plugin serves the kubelet (namespace `k8s.io`, cri.ts): the plugin's
 * requests come from the kubelet, and its in-process calls go to these same services.
 * https://github.com/containerd/containerd/tree/main/api/services
 */
export interface CtrdContainer {
  id: string;
  image: string;
  snapshotKey: string;
  /** The OCI spec containerd writes into the task's bundle as config.json. */
  spec: JsonObject;
  /** containerd namespace: `moby` for Docker's containers, `k8s.io` for the CRI plugin's. */
  namespace: string;
}

export type CtrdContext = LayerInput & {
  containers: Record<string, CtrdContainer>;
  tasks: Record<string, ActorRefFrom<typeof taskMachine>>;
  images: Record<string, CtrdImage>;
  /** JSON blobs (manifests, configs) kept as text: the content store holds bytes, this mirrors the small ones. */
  jsonBlobs: Record<string, string>;
  /** Storage request id → the request containerd is serving with it. */
  proxied: Map<number, Message>;
  /** Leases.Delete request id → the snapshots its garbage collection still has to remove (leases.ts). */
  gc: Map<number, string[]>;
  /** Effect actor id → the request it serves (imageService.ts). */
  jobs: Map<string, Message>;
  /** dockerd holds an Events.Subscribe stream (from the start; it ends when dockerd dies). */
  subscribed: boolean;
  /** The CRI plugin's stores (sandboxes, containers, k8s.io images) and event waiters. */
  cri: CriState;
};

const payloadOf = (e: WireEvent | { msg: Message }) => (e.msg.payload ?? {}) as JsonObject;

const DOCKERD_TOPICS = ['/tasks/exit', '/tasks/oom', '/tasks/paused', '/tasks/resumed'];

/** Task events as containerd's event service publishes them (protobuf field names; zero values omitted). */
function taskEventBody(topic: string, p: JsonObject, namespace: string): JsonObject {
  const body: JsonObject = { container_id: String(p.id) };
  if (topic === '/tasks/create')
    Object.assign(body, {
      bundle: `/run/containerd/io.containerd.runtime.v2.task/${namespace}/${String(p.id)}`,
      pid: p.pid ?? 0,
    });
  if (topic === '/tasks/start') body.pid = p.pid ?? 0;
  if (topic === '/tasks/exec-added') body.exec_id = p.execId ?? '';
  if (topic === '/tasks/exec-started') Object.assign(body, { exec_id: p.execId ?? '', pid: p.pid ?? 0 });
  if (topic === '/tasks/exit' || topic === '/tasks/delete') {
    if (topic === '/tasks/exit') body.id = p.execId ?? String(p.id);
    body.pid = p.pid ?? 0;
    if (p.exitStatus) body.exit_status = p.exitStatus;
  }
  return body;
}

export const containerdMachine = setup({
  types: { context: {} as CtrdContext, events: {} as WireEvent, input: {} as LayerInput },
  actors: { task: taskMachine, operation: operationMachine, ...imageServiceEffects },
  guards: {
    /** A task's exit in the k8s.io namespace, which the CRI plugin's event monitor handles. */
    isCriTaskExit: ({ context, event }) => isCriTaskExit(context.cri, payloadOf(event)),
  },
  actions: {
    createContainer: assign({
      containers: ({ context, event }) => {
        const p = payloadOf(event);
        const id = String(p.id);
        if (context.containers[id]) {
          context.wire.reply(
            event.msg,
            replyDraft(event.msg.op, `AlreadyExists: container "${id}"`, {
              ok: false,
              payload: { error: `container "${id}": already exists` },
            }),
          );
          return context.containers;
        }
        // ContainerCreate{id, image, runtime}: protobuf leaves an empty image out (dockerd's classic
        // image store gives containerd no image); runtime options are what dockerd passed.
        const runtime: JsonObject = { name: 'io.containerd.runc.v2' };
        if (p.runtimeOptions !== undefined) runtime.options = p.runtimeOptions;
        const namespace = typeof p.namespace === 'string' ? p.namespace : 'moby';
        publishCtrd(
          context,
          '/containers/create',
          { id, ...(p.image ? { image: String(p.image) } : {}), runtime },
          namespace,
        );
        context.wire.reply(event.msg, replyDraft(event.msg.op, 'OK', { payload: { id } }));
        return {
          ...context.containers,
          [id]: {
            id,
            image: String(p.image ?? ''),
            snapshotKey: String(p.snapshotKey ?? id),
            spec: (p.spec ?? {}) as JsonObject,
            namespace,
          },
        };
      },
    }),
    deleteContainer: assign({
      containers: ({ context, event }) => {
        const id = String(payloadOf(event).id);
        const { [id]: gone, ...rest } = context.containers;
        if (gone) publishCtrd(context, '/containers/delete', { id }, gone.namespace);
        const narration = criReplyKey(event.msg);
        context.wire.reply(
          event.msg,
          replyDraft(event.msg.op, gone ? 'OK' : `NotFound: container "${id}"`, {
            ok: Boolean(gone),
            ...(narration ? { narration } : {}),
          }),
        );
        return rest;
      },
    }),
    createTask: assign({
      tasks: ({ context, event, spawn }) => {
        const id = String(payloadOf(event).id);
        const spec = context.containers[id]?.spec;
        const namespace = context.containers[id]?.namespace ?? 'moby';
        // The shim groups tasks by the spec's io.kubernetes.cri.sandbox-id (shim manager_linux.go).
        const group = ((spec?.annotations ?? {}) as Record<string, string>)['io.kubernetes.cri.sandbox-id'];
        const task = spawn('task', {
          id: `task-${id}-${event.msg.id}`,
          input: { id, wire: context.wire, namespace, ...(group ? { group } : {}) },
        });
        const bundle = `/run/containerd/io.containerd.runtime.v2.task/${namespace}/${id}`;
        const withBundle = {
          ...event.msg,
          payload: { ...payloadOf(event), bundle, ...(spec ? { spec } : {}) },
        };
        task.send({ type: 'request', msg: withBundle });
        return { ...context.tasks, [id]: task };
      },
    }),
    routeToTask: ({ context, event }) => {
      const id = String(payloadOf(event).id);
      const task = context.tasks[id];
      if (task) task.send({ type: 'request', msg: event.msg });
      else
        context.wire.reply(
          event.msg,
          replyDraft(event.msg.op, `NotFound: no running task found: task ${id} not found`, {
            ok: false,
            payload: { error: `task ${id} not found` },
          }),
        );
    },
    publishShimEvent: ({ context, event }) => {
      const p = payloadOf(event);
      const topic = String(p.topic);
      const namespace = context.containers[String(p.id)]?.namespace ?? 'moby';
      publishCtrd(context, topic, taskEventBody(topic, p, namespace), namespace);
      // The shim names the init process's exit by the container id (exec_id = id).
      const initExit = !p.execId || p.execId === p.id;
      if (topic === '/tasks/exit' && initExit) context.tasks[String(p.id)]?.send({ type: 'exited' });
      // dockerd subscribes to /tasks/*; it acts on exit, oom, paused and resumed (moby
      // libcontainerd processEventStream → daemon/monitor.go ProcessEvent), so those are shown.
      // The k8s.io namespace's events are the CRI plugin's, inside containerd. With no
      // subscriber the event reaches no one: a dockerd that starts later asks (Tasks.Get).
      if (namespace === 'moby' && DOCKERD_TOPICS.includes(topic) && context.subscribed) {
        const call =
          `Events.Subscribe → ${topic} ${topic === '/tasks/exit' ? `exit_status=${String(p.exitStatus)}` : ''}`.trim();
        context.wire.event(
          draft('containerd', 'dockerd', 'ctrd.event', call, {
            payload: { ...p, topic },
            params: { topic },
            narration: `ctrd.event${topic.replace(/\//g, '.')}`,
          }),
        );
      }
    },
    /** Tasks.Get: the task's status as its shim reports it (State), or NotFound. */
    getTask: ({ context, event }) => {
      const id = String(payloadOf(event).id);
      const task = context.tasks[id];
      const value = task?.getSnapshot().value;
      // A task reloaded at containerd's start answers once its shim is reached.
      if (value === 'connecting') return task?.send({ type: 'request', msg: event.msg });
      const status =
        value === 'running' || value === 'paused' || value === 'created'
          ? value
          : value === undefined
            ? undefined
            : 'stopped';
      if (!status) {
        context.wire.reply(
          event.msg,
          replyDraft(event.msg.op, `NotFound: no running task found: task ${id} not found`, {
            ok: false,
            payload: { error: `task ${id} not found` },
            narration: 'ctrd.Tasks.Get.notFound',
          }),
        );
        return;
      }
      context.wire.reply(
        event.msg,
        replyDraft(event.msg.op, `OK: status=${status.toUpperCase()}`, {
          payload: { id, status },
          params: { status },
        }),
      );
    },
    subscribe: assign({
      subscribed: ({ context, event }) => {
        context.wire.reply(event.msg, replyDraft(event.msg.op, 'stream open'));
        return true;
      },
    }),
    unsubscribe: assign({ subscribed: false }),
    /**
     * containerd's start finds a task's bundle from before (runtime/v2 shim_load.go loadShims;
     * its container's metadata is in its database): the container is known again, and the task,
     * a child as at Tasks.Create, reconnects to its shim.
     */
    restoreTask: assign(({ context, event, spawn }) => {
      const p = payloadOf(event);
      const id = String(p.id);
      const namespace = typeof p.namespace === 'string' ? p.namespace : 'moby';
      const task = spawn('task', {
        id: `task-${id}-${event.msg.id}`,
        input: { id, wire: context.wire, namespace },
      });
      task.send({ type: 'request', msg: event.msg });
      const container: CtrdContainer = {
        id,
        image: String(p.image ?? ''),
        snapshotKey: String(p.snapshotKey ?? id),
        spec: (p.spec ?? {}) as JsonObject,
        namespace,
      };
      return {
        containers: { ...context.containers, [id]: container },
        tasks: { ...context.tasks, [id]: task },
      };
    }),
    forgetTask: assign({
      tasks: ({ context, event }) => {
        if (event.msg.op !== 'ctrd.Tasks.Delete') return context.tasks;
        const { [String(payloadOf(event).id)]: _gone, ...rest } = context.tasks;
        return rest;
      },
    }),
    ...imageServiceActions,
    ...leaseActions,
    writeContent: enqueueActions(({ enqueue, context, event }) => {
      enqueue.spawnChild('writeContent', writeContentJob(context, event.msg));
    }),
    getImage: enqueueActions(({ enqueue, context, event }) => {
      enqueue.spawnChild('readImage', readImagesJob(context, 'readImage', event.msg));
    }),
    listImages: enqueueActions(({ enqueue, context, event }) => {
      enqueue.spawnChild('readImages', readImagesJob(context, 'readImages', event.msg));
    }),
    createImage: enqueueActions(({ enqueue, context, event }) => {
      enqueue.spawnChild('storeImage', storeImageJob(context, event.msg));
    }),
    readContent: enqueueActions(({ enqueue, context, event }) => {
      enqueue.spawnChild('readContent', readContentJob(context, event.msg));
    }),
    inspectContent: enqueueActions(({ enqueue, context, event }) => {
      enqueue.spawnChild('contentInfo', contentInfoJob(context, event.msg));
    }),
    deleteImage: enqueueActions(({ enqueue, context, event }) => {
      enqueue.spawnChild('removeImage', removeImageJob(context, event.msg));
    }),
    /** A finished effect or CRI operation leaves the machine's children (XState keeps done children until stopped). */
    forgetChild: stopChild(({ event }) =>
      'actorId' in event && typeof event.actorId === 'string' ? event.actorId : '',
    ),
    runCri: spawnChild('operation', {
      id: ({ event }) => `cri.${event.msg.id}`,
      input: ({ context, event }) => ({
        wire: context.wire,
        waiters: context.cri.waiters,
        program: criRequest(new Cri(context.wire, context.ports, context.cri), event.msg),
      }),
    }),
    handleCriExit: spawnChild('operation', {
      id: ({ event }) => `cri.${event.msg.id}`,
      input: ({ context, event }) => ({
        wire: context.wire,
        waiters: context.cri.waiters,
        program: criTaskExit(new Cri(context.wire, context.ports, context.cri), event.msg),
      }),
    }),
    copyCriLog: ({ context, event }) => criLog(context.cri, event.msg, context.ports.clock.now()),
  },
}).createMachine({
  id: 'containerd',
  context: ({ input }) => ({
    ...input,
    containers: {},
    tasks: {},
    images: {},
    jsonBlobs: {},
    proxied: new Map(),
    gc: new Map(),
    jobs: new Map(),
    subscribed: true,
    cri: new CriState(),
  }),
  on: {
    'ctrd.Containers.Create': { actions: 'createContainer' },
    'ctrd.Containers.Delete': { actions: 'deleteContainer' },
    'ctrd.Tasks.Create': { actions: 'createTask' },
    'ctrd.Tasks.Start': { actions: 'routeToTask' },
    'ctrd.Tasks.Kill': { actions: 'routeToTask' },
    'ctrd.Tasks.Pause': { actions: 'routeToTask' },
    'ctrd.Tasks.Resume': { actions: 'routeToTask' },
    'ctrd.Tasks.Update': { actions: 'routeToTask' },
    'ctrd.Tasks.Exec': { actions: 'routeToTask' },
    'ctrd.Tasks.ListPids': { actions: 'routeToTask' },
    'ctrd.Tasks.Metrics': { actions: 'routeToTask' },
    'ctrd.Tasks.DeleteProcess': { actions: 'routeToTask' },
    'ctrd.Tasks.ResizePty': { actions: 'routeToTask' },
    'ctrd.Tasks.CloseIO': { actions: 'routeToTask' },
    'ctrd.Tasks.Delete': { actions: ['routeToTask', 'forgetTask'] },
    'ctrd.Tasks.Get': { actions: 'getTask' },
    'ctrd.restore.load': { actions: 'restoreTask' },
    'ctrd.Events.Subscribe': { actions: 'subscribe' },
    'host.connClosed': { actions: 'unsubscribe' },
    'shim.event': [
      { guard: 'isCriTaskExit', actions: ['publishShimEvent', 'handleCriExit'] },
      { actions: 'publishShimEvent' },
    ],
    'fifo.output': { actions: 'copyCriLog' },
    ...Object.fromEntries(CRI_OPS.map((op) => [op, { actions: 'runCri' as const }])),
    'ctrd.Images.Get': { actions: 'getImage' },
    'ctrd.Images.List': { actions: 'listImages' },
    'ctrd.Images.Create': { actions: 'createImage' },
    'ctrd.Images.Delete': { actions: 'deleteImage' },
    'ctrd.Content.Write': { actions: 'writeContent' },
    'xstate.done.actor.writeContent.*': { actions: ['contentWritten', 'forgetChild'] },
    'xstate.error.actor.writeContent.*': { actions: ['contentWritten', 'forgetChild'] },
    'xstate.done.actor.storeImage.*': { actions: ['imageStored', 'forgetChild'] },
    'xstate.error.actor.storeImage.*': { actions: ['imageStored', 'forgetChild'] },
    'ctrd.Content.Read': { actions: 'readContent' },
    'ctrd.Content.Info': { actions: 'inspectContent' },
    'ctrd.Content.ReaderAt': { actions: 'inspectContent' },
    'xstate.done.actor.contentInfo.*': { actions: ['contentInfoRead', 'forgetChild'] },
    'xstate.error.actor.contentInfo.*': { actions: ['contentInfoRead', 'forgetChild'] },
    'xstate.done.actor.readContent.*': { actions: ['contentRead', 'forgetChild'] },
    'xstate.error.actor.readContent.*': { actions: ['contentRead', 'forgetChild'] },
    'xstate.done.actor.removeImage.*': { actions: ['imageRemoved', 'forgetChild'] },
    'xstate.error.actor.removeImage.*': { actions: ['imageRemoved', 'forgetChild'] },
    'xstate.done.actor.cri.*': { actions: 'forgetChild' },
    'xstate.done.actor.readImage.*': { actions: ['imageRead', 'forgetChild'] },
    'xstate.error.actor.readImage.*': { actions: ['imageRead', 'forgetChild'] },
    'xstate.done.actor.readImages.*': { actions: ['imagesRead', 'forgetChild'] },
    'xstate.error.actor.readImages.*': { actions: ['imagesRead', 'forgetChild'] },
    'ctrd.Snapshots.Prepare': { actions: 'proxyToStorage' },
    'ctrd.Snapshots.Commit': { actions: 'proxyToStorage' },
    'ctrd.Snapshots.Remove': { actions: 'proxyToStorage' },
    'ctrd.Snapshots.Mounts': { actions: 'proxyToStorage' },
    'ctrd.Leases.Delete': { actions: 'deleteLease' },
    'ctrd.Diff.Apply': { actions: 'proxyToStorage' },
    'ctrd.Diff.Diff': { actions: 'proxyToStorage' },
    reply: { actions: 'answerFromStorage' },
  },
});

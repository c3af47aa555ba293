import { assign, setup, type ActorRefFrom } from 'xstate';
import type { JsonObject } from '../../model/json.ts';
import type { Message } from '../../model/message.ts';
import type { WireEvent } from '../../wire/wire.ts';
import type { LayerInput } from '../ports.ts';
import { draft, replyDraft } from '../post.ts';
import { publishCtrd } from './events.ts';
import { imageServiceActions, type CtrdImage } from './imageService.ts';
import { taskMachine } from './taskMachine.ts';

/**
 * containerd: the container supervisor dockerd talks to over gRPC (namespace `moby`).
 * It owns container *metadata* (Containers service), *tasks* (one child actor each, forwarded to
 * the shim), and — in profile v29, Docker's containerd image store — the images, the content
 * store and the snapshotter. It publishes events on its event service (`ctr events` shows them):
 * container metadata events it publishes itself; task events come from the shim.
 * https://github.com/containerd/containerd/tree/main/api/services
 */
export interface CtrdContainer {
  id: string;
  image: string;
  snapshotKey: string;
  /** The OCI spec containerd writes into the task's bundle as config.json. */
  spec: JsonObject;
}

export type CtrdContext = LayerInput & {
  containers: Record<string, CtrdContainer>;
  tasks: Record<string, ActorRefFrom<typeof taskMachine>>;
  images: Record<string, CtrdImage>;
  /** JSON blobs (manifests, configs) kept as text: the content store holds bytes, this mirrors the small ones. */
  jsonBlobs: Record<string, string>;
  /** Storage request id → the request containerd is serving with it. */
  proxied: Map<number, Message>;
};

const payloadOf = (e: WireEvent | { msg: Message }) => (e.msg.payload ?? {}) as JsonObject;

const DOCKERD_TOPICS = ['/tasks/exit', '/tasks/oom', '/tasks/paused', '/tasks/resumed'];

/** Task events as containerd's event service publishes them (protobuf field names; zero values omitted). */
function taskEventBody(topic: string, p: JsonObject): JsonObject {
  const body: JsonObject = { container_id: String(p.id) };
  if (topic === '/tasks/create') Object.assign(body, { bundle: `/run/containerd/io.containerd.runtime.v2.task/moby/${String(p.id)}`, pid: p.pid ?? 0 });
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
  actors: { task: taskMachine },
  actions: {
    createContainer: assign({
      containers: ({ context, event }) => {
        const p = payloadOf(event);
        const id = String(p.id);
        if (context.containers[id]) {
          context.wire.reply(event.msg, replyDraft(event.msg.op, `AlreadyExists: container "${id}"`, { ok: false, payload: { error: `container "${id}": already exists` } }));
          return context.containers;
        }
        // ContainerCreate{id, image, runtime}: protobuf leaves an empty image out (dockerd's classic
        // image store gives containerd no image); runtime options are what dockerd passed.
        const runtime: JsonObject = { name: 'io.containerd.runc.v2' };
        if (p.runtimeOptions !== undefined) runtime.options = p.runtimeOptions;
        publishCtrd(context, '/containers/create', { id, ...(p.image ? { image: String(p.image) } : {}), runtime });
        context.wire.reply(event.msg, replyDraft(event.msg.op, 'OK', { payload: { id } }));
        return { ...context.containers, [id]: { id, image: String(p.image ?? ''), snapshotKey: String(p.snapshotKey ?? id), spec: (p.spec ?? {}) as JsonObject } };
      },
    }),
    deleteContainer: assign({
      containers: ({ context, event }) => {
        const id = String(payloadOf(event).id);
        const { [id]: gone, ...rest } = context.containers;
        if (gone) publishCtrd(context, '/containers/delete', { id });
        context.wire.reply(event.msg, replyDraft(event.msg.op, gone ? 'OK' : `NotFound: container "${id}"`, { ok: Boolean(gone) }));
        return rest;
      },
    }),
    createTask: assign({
      tasks: ({ context, event, spawn }) => {
        const id = String(payloadOf(event).id);
        const task = spawn('task', { id: `task-${id}-${event.msg.id}`, input: { id, wire: context.wire } });
        const spec = context.containers[id]?.spec;
        const bundle = `/run/containerd/io.containerd.runtime.v2.task/moby/${id}`;
        const withBundle = { ...event.msg, payload: { ...payloadOf(event), bundle, ...(spec ? { spec } : {}) } };
        task.send({ type: 'request', msg: withBundle });
        return { ...context.tasks, [id]: task };
      },
    }),
    routeToTask: ({ context, event }) => {
      const id = String(payloadOf(event).id);
      const task = context.tasks[id];
      if (task) task.send({ type: 'request', msg: event.msg });
      else context.wire.reply(event.msg, replyDraft(event.msg.op, `NotFound: no running task found: task ${id} not found`, { ok: false, payload: { error: `task ${id} not found` } }));
    },
    publishShimEvent: ({ context, event }) => {
      const p = payloadOf(event);
      const topic = String(p.topic);
      publishCtrd(context, topic, taskEventBody(topic, p));
      if (topic === '/tasks/exit' && !p.execId) context.tasks[String(p.id)]?.send({ type: 'exited' });
      // dockerd subscribes to /tasks/*; it acts on exit, oom, paused and resumed (moby
      // libcontainerd processEventStream → daemon/monitor.go ProcessEvent), so those are shown.
      if (DOCKERD_TOPICS.includes(topic)) {
        const call = `Events.Subscribe → ${topic} ${topic === '/tasks/exit' ? `exit_status=${String(p.exitStatus)}` : ''}`.trim();
        context.wire.event(draft('containerd', 'dockerd', 'ctrd.event', call, { payload: { ...p, topic }, params: { topic }, narration: `ctrd.event${topic.replace(/\//g, '.')}` }));
      }
    },
    forgetTask: assign({
      tasks: ({ context, event }) => {
        if (event.msg.op !== 'ctrd.Tasks.Delete') return context.tasks;
        const { [String(payloadOf(event).id)]: _gone, ...rest } = context.tasks;
        return rest;
      },
    }),
    ...imageServiceActions,
  },
}).createMachine({
  id: 'containerd',
  context: ({ input }) => ({ ...input, containers: {}, tasks: {}, images: {}, jsonBlobs: {}, proxied: new Map() }),
  on: {
    'ctrd.Containers.Create': { actions: 'createContainer' },
    'ctrd.Containers.Delete': { actions: 'deleteContainer' },
    'ctrd.Tasks.Create': { actions: 'createTask' },
    'ctrd.Tasks.Start': { actions: 'routeToTask' },
    'ctrd.Tasks.Kill': { actions: 'routeToTask' },
    'ctrd.Tasks.Pause': { actions: 'routeToTask' },
    'ctrd.Tasks.Resume': { actions: 'routeToTask' },
    'ctrd.Tasks.Exec': { actions: 'routeToTask' },
    'ctrd.Tasks.DeleteProcess': { actions: 'routeToTask' },
    'ctrd.Tasks.Delete': { actions: ['routeToTask', 'forgetTask'] },
    'shim.event': { actions: 'publishShimEvent' },
    'ctrd.Images.Get': { actions: 'getImage' },
    'ctrd.Images.List': { actions: 'listImages' },
    'ctrd.Images.Create': { actions: 'createImage' },
    'ctrd.Images.Delete': { actions: 'deleteImage' },
    'ctrd.Content.Write': { actions: 'writeContent' },
    'ctrd.Snapshots.Prepare': { actions: 'proxyToStorage' },
    'ctrd.Snapshots.Commit': { actions: 'proxyToStorage' },
    'ctrd.Snapshots.Remove': { actions: 'proxyToStorage' },
    'ctrd.Diff.Apply': { actions: 'proxyToStorage' },
    'ctrd.Diff.Diff': { actions: 'proxyToStorage' },
    reply: { actions: 'answerFromStorage' },
  },
});

import { setup, spawnChild } from 'xstate';
import type { JsonObject } from '../../model/json.ts';
import type { Message } from '../../model/message.ts';
import type { WireEvent } from '../../wire/wire.ts';
import { operationMachine, type OperationProgram } from '../operation.ts';
import type { LayerInput } from '../ports.ts';
import { draft } from '../post.ts';
import { Daemon } from './daemon.ts';
import { containerCreate } from './ops/containerCreate.ts';
import { containerRemove } from './ops/containerRemove.ts';
import { containerStart } from './ops/containerStart.ts';
import { containerKill, containerPause, containerRestart, containerStop, containerUnpause } from './ops/containerStop.ts';
import { imageDelete } from './ops/imageDelete.ts';
import { imageHistory, imageInspect, imageList, imageTag } from './ops/images.ts';
import { imagePull } from './ops/imagePull.ts';
import { build, hijack } from './ops/build.ts';
import { BUILD_BACKEND } from './ops/buildBackend.ts';
import { containerAttach, containerInspect, containerList, containerLogs, containerWait, events, ping } from './ops/queries.ts';
import { info, version } from './ops/system.ts';
import { execCreate, execInspect, execStart } from './ops/exec.ts';
import { taskExit, taskOom, taskPaused, taskResumed } from './ops/taskExit.ts';

/**
 * dockerd: the Engine API server. Each API request and each containerd event it reacts to is an
 * operation actor (a goroutine, in moby); each container is a lifecycle actor. The handlers are
 * one per endpoint under ops/, named after moby's daemon functions.
 * https://docs.docker.com/reference/api/engine/version/v1.44/
 */
type Handler = (d: Daemon, msg: Message) => OperationProgram;

export const API_HANDLERS: Record<string, Handler> = {
  'api.ping': ping,
  'api.version': version,
  'api.info': info,
  'api.containers.create': containerCreate,
  'api.containers.start': containerStart,
  'api.containers.stop': containerStop,
  'api.containers.kill': containerKill,
  'api.containers.restart': containerRestart,
  'api.containers.pause': containerPause,
  'api.containers.unpause': containerUnpause,
  'api.containers.delete': containerRemove,
  'api.containers.list': containerList,
  'api.containers.inspect': containerInspect,
  'api.containers.logs': containerLogs,
  'api.containers.wait': containerWait,
  'api.containers.attach': containerAttach,
  'api.containers.exec': execCreate,
  'api.exec.start': execStart,
  'api.exec.inspect': execInspect,
  'api.images.create': imagePull,
  'api.images.list': imageList,
  'api.images.history': imageHistory,
  'api.images.inspect': imageInspect,
  'api.images.delete': imageDelete,
  'api.images.tag': imageTag,
  'api.events': events,
  'api.build': build,
  'api.session': hijack,
  'api.grpc': hijack,
};

/** containerd task events, as moby's daemon/monitor.go ProcessEvent handles them. */
const TASK_EVENT_HANDLERS: Record<string, Handler> = {
  '/tasks/exit': taskExit,
  '/tasks/oom': taskOom,
  '/tasks/paused': taskPaused,
  '/tasks/resumed': taskResumed,
};

type Ctx = LayerInput & { daemon: Daemon };

function handlerFor(msg: Message): Handler | undefined {
  if (msg.op === 'ctrd.event') return TASK_EVENT_HANDLERS[String(((msg.payload ?? {}) as JsonObject).topic)] ?? ignoreEvent;
  return API_HANDLERS[msg.op] ?? BUILD_BACKEND[msg.op];
}

export const dockerdMachine = setup({
  types: { context: {} as Ctx, events: {} as WireEvent, input: {} as LayerInput },
  actors: { operation: operationMachine },
  guards: {
    /** Child actors' completion events (xstate.done.actor.*) carry no wire message. */
    isWireMessage: ({ event }) => 'msg' in event && event.msg !== undefined,
  },
  actions: {
    runOperation: spawnChild('operation', {
      input: ({ context, event }) => ({
        wire: context.wire,
        waiters: context.daemon.waiters,
        program: (handlerFor(event.msg) ?? unknownEndpoint)(context.daemon, event.msg),
      }),
    }),
    /** The shim's stdio reaches dockerd through FIFOs: append to json-file, copy to an attached client. */
    copyOutput: ({ context, event }) => {
      const p = (event.msg.payload ?? {}) as JsonObject;
      const c = context.daemon.containers.get(String(p.id));
      if (!c) return;
      const stream = p.stream === 'stderr' ? 'stderr' : 'stdout';
      const text = String(p.text ?? '');
      if (typeof p.execId === 'string') {
        context.wire.event(draft('dockerd', 'CLI', 'attach.output', `exec stream: ${stream} frame (${text.length} bytes)`, { payload: { stream, text, execId: p.execId }, params: { stream } }));
        return;
      }
      context.ports.logs.append(c.id, { stream, text, timeMs: context.ports.clock.now() });
      // A legacy build step's container: its attach stream is copied into the /build response.
      if (c.build) {
        context.wire.event(draft('dockerd', 'CLI', 'build.output', `/build response: {"stream":${JSON.stringify(text.slice(0, 40))}}`, { payload: { messages: [{ stream: text }] }, params: { line: text.trim().slice(0, 60) }, narration: 'build.output.run' }));
      } else if (c.attached) {
        context.wire.event(draft('dockerd', 'CLI', 'attach.output', `attach stream: ${stream} frame (${text.length} bytes)`, { payload: { stream, text, id: c.id }, params: { stream } }));
      }
    },
  },
}).createMachine({
  id: 'dockerd',
  context: ({ input }) => ({ ...input, daemon: new Daemon(input.wire, input.ports, input.profile) }),
  on: {
    'fifo.output': { actions: 'copyOutput' },
    '*': { guard: 'isWireMessage', actions: 'runOperation' },
  },
});

function* ignoreEvent(): OperationProgram {
  yield* [];
}

function* unknownEndpoint(d: Daemon, msg: Message): OperationProgram {
  d.error(msg, 404, `page not found`);
  yield* [];
}

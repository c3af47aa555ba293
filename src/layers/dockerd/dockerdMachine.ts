import { enqueueActions, setup, spawnChild, stopChild } from 'xstate';
import type { JsonObject } from '../../model/json.ts';
import type { Message } from '../../model/message.ts';
import type { WireEvent } from '../../wire/wire.ts';
import { errorText } from '../effect.ts';
import { operationMachine, type OperationProgram } from '../operation.ts';
import type { LayerInput } from '../ports.ts';
import { draft, replyDraft } from '../post.ts';
import { boot, liveContainers, shutdown, stopForShutdown } from './ops/daemonLifecycle.ts';
import { Daemon } from './daemon.ts';
import { containerCreate } from './ops/containerCreate.ts';
import { containerRemove } from './ops/containerRemove.ts';
import { containerStart } from './ops/containerStart.ts';
import {
  containerKill,
  containerPause,
  containerRestart,
  containerStop,
  containerUnpause,
} from './ops/containerStop.ts';
import { imageDelete } from './ops/imageDelete.ts';
import { imageSave } from './ops/imageSave.ts';
import { imageLoad } from './ops/imageLoad.ts';
import { imagePrune } from './ops/imagePrune.ts';
import { imageHistory, imageInspect, imageList, imageTag } from './ops/images.ts';
import { imagePull } from './ops/imagePull.ts';
import { imagePush } from './ops/imagePush.ts';
import { auth } from './ops/auth.ts';
import { build, hijack } from './ops/build.ts';
import { BUILD_BACKEND } from './ops/buildBackend.ts';
import {
  containerAttach,
  containerInspect,
  containerList,
  containerLogs,
  containerWait,
  events,
  ping,
} from './ops/queries.ts';
import { info, version } from './ops/system.ts';
import { execCreate, execInspect, execStart } from './ops/exec.ts';
import { containerResize, containerTop, execResize } from './ops/containerTop.ts';
import { containerStats } from './ops/containerStats.ts';
import { taskExit, taskOom, taskPaused, taskResumed } from './ops/taskExit.ts';
import { restoreStart } from './ops/restartPolicy.ts';
import { dnsQuery } from './ops/dns.ts';
import { systemDf } from './ops/systemDf.ts';
import { containerRename, pluginInspect } from './ops/containerRename.ts';
import { containerChanges } from './ops/containerChanges.ts';
import { containerUpdate } from './ops/containerUpdate.ts';
import { imageSearch } from './ops/imageSearch.ts';
import { containerCommit } from './ops/containerCommit.ts';
import { buildPrune, networksPrune } from './ops/systemPrune.ts';
import { archiveGet, archiveHead, archivePut, containerExport } from './ops/containerArchive.ts';
import {
  containersPrune,
  volumeCreate,
  volumeDelete,
  volumeInspect,
  volumeList,
  volumesPrune,
} from './ops/volumes.ts';
import { networkCreate, networkDelete, networkInspect, networkList } from './ops/networks.ts';
import { networkConnect, networkDisconnect } from './ops/networkConnect.ts';

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
  'api.exec.resize': execResize,
  'api.containers.resize': containerResize,
  'api.containers.top': containerTop,
  'api.containers.stats': containerStats,
  'api.images.create': imagePull,
  'api.images.list': imageList,
  'api.images.history': imageHistory,
  'api.images.inspect': imageInspect,
  'api.images.delete': imageDelete,
  'api.images.tag': imageTag,
  'api.images.push': imagePush,
  'api.auth': auth,
  'api.images.get': imageSave,
  'api.images.load': imageLoad,
  'api.images.prune': imagePrune,
  'api.events': events,
  'api.volumes.create': volumeCreate,
  'api.volumes.list': volumeList,
  'api.volumes.inspect': volumeInspect,
  'api.volumes.delete': volumeDelete,
  'api.containers.prune': containersPrune,
  'api.volumes.prune': volumesPrune,
  'api.networks.prune': networksPrune,
  'api.build.prune': buildPrune,
  'api.system.df': systemDf,
  'api.containers.rename': containerRename,
  'api.containers.changes': containerChanges,
  'api.containers.update': containerUpdate,
  'api.images.search': imageSearch,
  'api.commit': containerCommit,
  'api.containers.archive.head': archiveHead,
  'api.containers.archive.put': archivePut,
  'api.containers.archive.get': archiveGet,
  'api.containers.export': containerExport,
  'api.plugins.inspect': pluginInspect,
  'api.networks.create': networkCreate,
  'api.networks.list': networkList,
  'api.networks.inspect': networkInspect,
  'api.networks.delete': networkDelete,
  'api.networks.connect': networkConnect,
  'api.networks.disconnect': networkDisconnect,
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

/** dockerd's own goroutines, started by a request it posts to itself. */
const INTERNAL_HANDLERS: Record<string, Handler> = {
  'dockerd.restore.start': restoreStart,
  'dns.query': dnsQuery,
};

type Ctx = LayerInput & { daemon: Daemon };

function handlerFor(msg: Message): Handler | undefined {
  if (msg.op === 'ctrd.event')
    return TASK_EVENT_HANDLERS[String(((msg.payload ?? {}) as JsonObject).topic)] ?? ignoreEvent;
  return API_HANDLERS[msg.op] ?? INTERNAL_HANDLERS[msg.op] ?? BUILD_BACKEND[msg.op];
}

/**
 * An operation that fails in a way its code did not foresee answers 500 with the error, as
 * dockerd's HTTP server turns a handler's error into a status (moby api/server/httputils
 * MakeErrorHandler); the daemon itself goes on serving.
 */
function* guarded(d: Daemon, msg: Message, program: OperationProgram): OperationProgram {
  try {
    return yield* program;
  } catch (error) {
    if (msg.kind === 'request' && isApi(msg)) d.error(msg, 500, errorText(error));
    else throw error;
  }
}

/** The operation child serving a request: `op.<request id>`. */
function operationId(msg: Message): string {
  return `op.${msg.id}`;
}

/** An Engine API request (from the CLI, or whoever proxies for it), as opposed to containerd's events. */
const isApi = (msg: Message | undefined): boolean =>
  msg !== undefined && msg.kind === 'request' && msg.op.startsWith('api.');

export const dockerdMachine = setup({
  types: { context: {} as Ctx, events: {} as WireEvent, input: {} as LayerInput },
  actors: { operation: operationMachine },
  guards: {
    /** Child actors' completion events (xstate.done.actor.*) carry no wire message. */
    isWireMessage: ({ event }) => 'msg' in event && event.msg !== undefined,
    isApiRequest: ({ event }) => isApi(event.msg),
    /** Anything but an API request: containerd's events and the replies dockerd's own work waits for. */
    isInternal: ({ event }) => 'msg' in event && event.msg !== undefined && !isApi(event.msg),
    isSigkill: ({ event }) => Number(((event.msg.payload ?? {}) as JsonObject).signal) === 9,
  },
  actions: {
    runOperation: spawnChild('operation', {
      // Named after the request it serves, so a client that hangs up can stop it (cancelOperation).
      id: ({ event }) => operationId(event.msg),
      input: ({ context, event }) => ({
        wire: context.wire,
        waiters: context.daemon.waiters,
        program: guarded(
          context.daemon,
          event.msg,
          (handlerFor(event.msg) ?? unknownEndpoint)(context.daemon, event.msg),
        ),
        serving: event.msg.id,
      }),
    }),
    /**
     * The client closed its connection (`timeout 1 docker pull …`, Ctrl-C): the request's context
     * is cancelled, and so is the operation serving it — its waiting calls go unanswered, and
     * what it started for real is stopped (moby's handlers run under the request's context).
     */
    cancelOperation: enqueueActions(({ enqueue, context, event, self }) => {
      const request = Number(((event.msg.payload ?? {}) as JsonObject).request);
      const child = self.getSnapshot().children[`op.${request}`];
      if (child) enqueue.stopChild(child);
      context.wire.self(
        'dockerd',
        draft('dockerd', 'dockerd', 'dockerd.cancelled', `context canceled: request ${request}`),
      );
    }),
    /** The shim's stdio reaches dockerd through FIFOs: append to json-file, copy to an attached client. */
    copyOutput: ({ context, event }) => copyOutput(context, event.msg),
    /**
     * Nobody listens on /var/run/docker.sock: the kernel refuses the connection (ECONNREFUSED),
     * and the docker CLI says it cannot connect to the daemon.
     */
    refuseConnection: ({ context, event }) => {
      context.wire.refuse(
        event.msg,
        'Kernel',
        replyDraft(event.msg.op, 'connect(/var/run/docker.sock): ECONNREFUSED', {
          ok: false,
          status: 'ECONNREFUSED',
          payload: { errno: 'ECONNREFUSED' },
          narration: 'host.refused',
        }),
      );
    },
    /** A connection accepted by the socket while the daemon restores: its request waits. */
    holdInBacklog: ({ context, event }) => {
      context.daemon.backlog.push(event.msg);
    },
    /** The API is served: the requests that waited in the backlog are taken, in order. */
    serveBacklog: enqueueActions(({ enqueue, context }) => {
      const d = context.daemon;
      for (const msg of d.backlog.splice(0))
        enqueue.spawnChild('operation', {
          id: operationId(msg),
          input: {
            wire: context.wire,
            waiters: d.waiters,
            program: (handlerFor(msg) ?? unknownEndpoint)(d, msg),
            serving: msg.id,
          },
        });
    }),
    /** SIGKILL: every goroutine dies mid-flight; only what is on disk remains. */
    dieAtOnce: enqueueActions(({ enqueue, context, self }) => {
      for (const child of Object.values(self.getSnapshot().children)) if (child) enqueue.stopChild(child);
      context.daemon.forgetMemory();
    }),
    stopContainersForShutdown: enqueueActions(({ enqueue, context }) => {
      const d = context.daemon;
      const live = d.config.liveRestore ? [] : liveContainers(d);
      d.shutdownLeft = live.length;
      d.shuttingDown = true;
      for (const c of live)
        enqueue.spawnChild('operation', {
          input: { wire: context.wire, waiters: d.waiters, program: stopForShutdown(d, c) },
        });
    }),
    exited: ({ context }) => context.daemon.forgetMemory(),
    /** A finished operation leaves dockerd's children (XState keeps done children until stopped). */
    forgetOperation: stopChild(({ event }) =>
      'actorId' in event && typeof event.actorId === 'string' ? event.actorId : '',
    ),
  },
}).createMachine({
  id: 'dockerd',
  context: ({ input }) => ({
    ...input,
    daemon: new Daemon(input.wire, input.ports, input.profile, input.daemonConfig),
  }),
  initial: 'running',
  on: { 'xstate.done.actor.op.*': { actions: 'forgetOperation' } },
  states: {
    running: {
      on: {
        // The machine starts as a dockerd already serving; a real engine's process starts it
        // over from its execve, so its first act is the boot (restore) the next start would do.
        'host.exec': { target: 'booting' },
        'host.signal': [
          { guard: 'isSigkill', target: 'dead', actions: 'dieAtOnce' },
          { target: 'shuttingDown' },
        ],
        'fifo.output': { actions: 'copyOutput' },
        'api.cancel': { actions: 'cancelOperation' },
        '*': { guard: 'isWireMessage', actions: 'runOperation' },
      },
    },
    shuttingDown: {
      entry: 'stopContainersForShutdown',
      invoke: {
        src: 'operation',
        input: ({ context }) => ({
          wire: context.wire,
          waiters: context.daemon.waiters,
          program: shutdown(context.daemon, context.daemon.shutdownLeft),
        }),
        onDone: { target: 'dead', actions: 'exited' },
      },
      on: {
        'host.signal': { guard: 'isSigkill', target: 'dead', actions: 'dieAtOnce' },
        'fifo.output': { actions: 'copyOutput' },
        '*': [
          { guard: 'isApiRequest', actions: 'refuseConnection' },
          { guard: 'isInternal', actions: 'runOperation' },
        ],
      },
    },
    dead: {
      on: {
        'host.exec': { target: 'booting' },
        // Nobody reads the FIFOs: the shim's writes wait in the pipe (up to 64 KiB, pipe(7)).
        'fifo.output': {},
        '*': { guard: 'isApiRequest', actions: 'refuseConnection' },
      },
    },
    booting: {
      invoke: {
        src: 'operation',
        input: ({ context, event }) => ({
          wire: context.wire,
          waiters: context.daemon.waiters,
          program: boot(context.daemon, (event as WireEvent).msg),
        }),
        onDone: { target: 'running', actions: 'serveBacklog' },
      },
      on: {
        'host.signal': { guard: 'isSigkill', target: 'dead', actions: 'dieAtOnce' },
        'fifo.output': { actions: 'copyOutput' },
        '*': [
          { guard: 'isApiRequest', actions: 'holdInBacklog' },
          { guard: 'isInternal', actions: 'runOperation' },
        ],
      },
    },
  },
});

function copyOutput(context: Ctx, msg: Message): void {
  const p = (msg.payload ?? {}) as JsonObject;
  const c = context.daemon.containers.get(String(p.id));
  if (!c) return;
  const stream = p.stream === 'stderr' ? 'stderr' : 'stdout';
  const text = String(p.text ?? '');
  // The stream goes to whoever holds the hijacked connection: the CLI, or a proxy in front of it.
  if (typeof p.execId === 'string') {
    const client = context.daemon.execs.get(p.execId)?.client ?? 'CLI';
    context.wire.event(
      draft('dockerd', client, 'attach.output', `exec stream: ${stream} frame (${text.length} bytes)`, {
        payload: { stream, text, execId: p.execId },
        params: { stream },
      }),
    );
    return;
  }
  context.ports.logs.append(c.id, { stream, text, timeMs: context.ports.clock.now() });
  // A legacy build step's container: its attach stream is copied into the /build response.
  if (c.build) {
    context.wire.event(
      draft(
        'dockerd',
        'CLI',
        'build.output',
        `/build response: {"stream":${JSON.stringify(text.slice(0, 40))}}`,
        {
          payload: { messages: [{ stream: text }] },
          params: { line: text.trim().slice(0, 60) },
          narration: 'build.output.run',
        },
      ),
    );
  } else if (c.attached) {
    context.wire.event(
      draft(
        'dockerd',
        c.attachedBy ?? 'CLI',
        'attach.output',
        `attach stream: ${stream} frame (${text.length} bytes)`,
        { payload: { stream, text, id: c.id }, params: { stream } },
      ),
    );
  }
}

function* ignoreEvent(): OperationProgram {
  yield* [];
}

function* unknownEndpoint(d: Daemon, msg: Message): OperationProgram {
  d.error(msg, 404, `page not found`);
  yield* [];
}

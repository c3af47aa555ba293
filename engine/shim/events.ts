// The events service a shim calls back: containerd.services.events.ttrpc.v1.Events/Forward at
// the socket named by TTRPC_ADDRESS. Each Forward carries an Envelope {timestamp, namespace,
// topic, event Any}; the event is decoded by its topic into containerd's own message
// (api/events/task.proto) and handed to the listeners. The answer is an empty message: that is
// all the shim waits for (runtime/v2/shim/publisher.go). This is how exits and OOM kills arrive.
import { fromBinary, toBinary, create, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { EmptySchema, timestampDate } from '@bufbuild/protobuf/wkt';
import * as ev from './proto/gen/github.com/containerd/containerd/api/events/task_pb.ts';
import { ForwardRequestSchema } from './proto/gen/github.com/containerd/containerd/api/services/ttrpc/events/v1/events_pb.ts';
import { unpack } from './anys.ts';
import { EVENTS_SERVICE } from './binaries.ts';
import { TtrpcServer } from './ttrpc/server.ts';
import { Code, TtrpcError } from './ttrpc/status.ts';

/** Topics as containerd names them (runtime/events.go) and the message each carries. */
const TOPICS = {
  '/tasks/create': ev.TaskCreateSchema,
  '/tasks/start': ev.TaskStartSchema,
  '/tasks/exit': ev.TaskExitSchema,
  '/tasks/oom': ev.TaskOOMSchema,
  '/tasks/exec-added': ev.TaskExecAddedSchema,
  '/tasks/exec-started': ev.TaskExecStartedSchema,
  '/tasks/delete': ev.TaskDeleteSchema,
  '/tasks/paused': ev.TaskPausedSchema,
  '/tasks/resumed': ev.TaskResumedSchema,
  '/tasks/checkpointed': ev.TaskCheckpointedSchema,
} as const;

type Topics = typeof TOPICS;
export type TaskTopic = keyof Topics;

/** One forwarded event, typed by its topic. */
export type TaskEvent = {
  [T in TaskTopic]: { topic: T; namespace: string; timestamp: Date; event: MessageShape<Topics[T]> };
}[TaskTopic];

export type EventOf<T extends TaskTopic> = Extract<TaskEvent, { topic: T }>;

function isTopic(topic: string): topic is TaskTopic {
  return topic in TOPICS;
}

function decode<D extends DescMessage>(schema: D, any: Parameters<typeof unpack>[0]): MessageShape<D> {
  const event = unpack(any, schema);
  if (event === undefined) {
    throw new TtrpcError(
      Code.invalidArgument,
      `event type ${any?.typeUrl ?? '(none)'} is not ${schema.typeName}`,
    );
  }
  return event;
}

export class ShimEvents {
  private readonly server = new TtrpcServer();
  private readonly listeners = new Set<(e: TaskEvent) => void>();
  /** Topics forwarded that this engine does not know (answered, not decoded). */
  readonly unknownTopics = new Set<string>();

  private constructor() {
    this.server.handle(EVENTS_SERVICE, 'Forward', (payload) => {
      this.forward(payload);
      return toBinary(EmptySchema, create(EmptySchema));
    });
  }

  /** Serves the events service on `path` (the shim's TTRPC_ADDRESS). */
  static async listen(path: string): Promise<ShimEvents> {
    const events = new ShimEvents();
    await events.server.listen(path);
    return events;
  }

  private forward(payload: Uint8Array): void {
    const envelope = fromBinary(ForwardRequestSchema, payload).envelope;
    if (envelope === undefined) throw new TtrpcError(Code.invalidArgument, 'forward without an envelope');
    const { topic, namespace } = envelope;
    if (!isTopic(topic)) {
      this.unknownTopics.add(topic);
      return;
    }
    const timestamp = envelope.timestamp === undefined ? new Date(0) : timestampDate(envelope.timestamp);
    // The union is built per topic, each with its own schema.
    const event = { topic, namespace, timestamp, event: decode(TOPICS[topic], envelope.event) } as TaskEvent;
    for (const listener of this.listeners) listener(event);
  }

  /** Calls `listener` for every event; answers the function that stops it. */
  on(listener: (e: TaskEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The next event of `topic` that `match` accepts, or a timeout error. */
  next<T extends TaskTopic>(
    topic: T,
    match: (e: EventOf<T>) => boolean = () => true,
    timeoutMs = 30_000,
  ): Promise<EventOf<T>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no ${topic} event within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.on((e) => {
        if (e.topic !== topic) return;
        // e.topic === topic, so e is EventOf<T>.
        const typed = e as EventOf<T>;
        if (!match(typed)) return;
        clearTimeout(timer);
        off();
        resolve(typed);
      });
    });
  }

  close(): Promise<void> {
    this.listeners.clear();
    return this.server.close();
  }
}

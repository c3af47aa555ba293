import type { AnyActorRef } from 'xstate';
import type { Message, MessageDraft, TextRef } from '../model/message.ts';
import type { Participant } from '../model/participants.ts';
import type { ContainerdEvent, DockerEvent, TraceEntry } from '../model/trace.ts';
import type { VirtualClock } from './clock.ts';

/**
 * The wire: the only channel between layers.
 *
 * Lifecycle of a message: a layer *posts* it (request, reply, event or self) and it waits in the
 * queue; the scheduler *delivers* it (one delivery = one step), at which point it gets its step
 * number and time, is appended to the trace, and is handed to the receiving actor. Holding the
 * queue is what makes step mode possible: in real mode, holding a message pauses the real work
 * behind it.
 *
 * Routing: requests and events go to the receiving layer's root actor, which forwards to the
 * child actor that owns the object; replies go back to the very actor that sent the request.
 * Self messages (work a layer does inside itself) are delivered to no one: they exist to be seen.
 */
/** Any actor can be a target: layer roots get `WireEvent`s, requesters get `{type:'reply'}`. */
export type WireTarget = AnyActorRef;

export interface WireEvent {
  type: string;
  msg: Message;
}

interface Posted {
  draft: MessageDraft;
  id: number;
  inReplyTo?: number;
  postedAt: number;
  replyTo?: WireTarget;
  /** The request this one was posted to serve (a proxy's upstream request): see `request`. */
  onBehalfOf?: number;
}

/** Default per-message latency in virtual ms: enough for timestamps to move, small enough to ignore. */
const HOP_MS = 1;

export type ReplyDraft = Omit<MessageDraft, 'from' | 'to' | 'kind' | 'op'> & { op?: string };

export class Wire {
  readonly trace: TraceEntry[] = [];
  private queue: Posted[] = [];
  private roots = new Map<Participant, WireTarget>();
  private routes = new Map<number, WireTarget>();
  /** Requests their requester gave up on (a client-side timeout): no reply is sent. */
  private cancelled = new Set<number>();
  /** Upstream request id → the downstream request it serves, while it is unanswered. */
  private servedBy = new Map<number, number>();
  private nextId = 1;
  private seq = 0;
  command = 0;
  /** Called when a message addressed to the user is delivered: the command's answer. */
  onUserMessage: ((msg: Message) => void) | undefined;
  /**
   * Called when a message is posted. The simulation steps on its own schedule and needs none; a
   * real-mode scheduler learns here that work finished in the background has answered.
   */
  onPosted: (() => void) | undefined;

  constructor(readonly clock: VirtualClock) {}

  /**
   * Drop the record so far (a run's setup, see Simulation): the trace empties and the next
   * message is step 1 again. Only between commands, with nothing in flight.
   */
  forget(): void {
    if (this.queue.length > 0) throw new Error(`wire: cannot forget with ${this.queue.length} messages in flight`);
    this.trace.length = 0;
    this.seq = 0;
    this.command = 0;
  }

  register(participant: Participant, target: WireTarget): void {
    this.roots.set(participant, target);
  }

  /**
   * Post a request; its reply will be routed to `sender`. Returns the request id. A proxy that
   * passes a request on names the one it serves (`onBehalfOf`): when that one's client has hung
   * up, the upstream connection is closed too, and the upstream server has no one to answer.
   */
  request(sender: WireTarget | undefined, draft: Omit<MessageDraft, 'kind'>, onBehalfOf?: number): number {
    const posted = this.enqueue({ ...draft, kind: 'request' });
    if (sender) posted.replyTo = sender;
    if (onBehalfOf !== undefined) posted.onBehalfOf = onBehalfOf;
    return posted.id;
  }

  /** Whether anyone still waits for the answer to a delivered request (along its proxy chain). */
  private open(requestId: number): boolean {
    const requester = this.routes.get(requestId);
    if (requester && requester.getSnapshot().status !== 'active') return false;
    const served = this.servedBy.get(requestId);
    return served === undefined || this.open(served);
  }

  /**
   * Answer a delivered request: from and to are swapped, the reply carries the request's id.
   * A requester that has finished has closed its connection (the docker CLI cancels its
   * `/wait` request when `run -d` returns), so the server has no one to answer: nothing is sent.
   */
  reply(request: Message, draft: ReplyDraft): void {
    if (this.cancelled.delete(request.id)) {
      this.routes.delete(request.id);
      this.servedBy.delete(request.id);
      return;
    }
    this.answer(request, request.to, draft);
  }

  /**
   * Answer a delivered request on behalf of another participant: the kernel refusing a
   * connection to a socket nobody listens on (a dead dockerd) answers, not the server.
   */
  refuse(request: Message, by: Participant, draft: ReplyDraft): void {
    this.answer(request, by, draft);
  }

  private answer(request: Message, from: Participant, draft: ReplyDraft): void {
    if (!this.open(request.id)) {
      this.routes.delete(request.id);
      this.servedBy.delete(request.id);
      return;
    }
    const posted = this.enqueue({
      ...draft,
      op: draft.op ?? request.op,
      from,
      to: request.from,
      kind: 'reply',
    });
    posted.inReplyTo = request.id;
  }

  /**
   * The requester gives up on request `id` (its deadline passed): the connection is closed, so
   * the server's answer, if it ever comes, goes nowhere. A request still queued is dropped.
   */
  cancel(id: number): void {
    const queued = this.queue.findIndex((p) => p.id === id);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      return;
    }
    this.cancelled.add(id);
  }

  event(draft: Omit<MessageDraft, 'kind'>): void {
    this.enqueue({ ...draft, kind: 'event' });
  }

  self(at: Participant, draft: Omit<MessageDraft, 'kind' | 'from' | 'to'>): void {
    this.enqueue({ ...draft, from: at, to: at, kind: 'self' });
  }

  pending(): number {
    return this.queue.length;
  }

  /** Earliest virtual time the next queued message can be delivered. */
  nextDeliveryAt(): number | undefined {
    const next = this.queue[0];
    return next ? Math.max(this.clock.now(), next.postedAt + HOP_MS) : undefined;
  }

  /** Deliver the next message: one step. */
  deliverNext(): Message | undefined {
    const posted = this.queue.shift();
    if (!posted) return undefined;
    this.clock.advanceTo(posted.postedAt + HOP_MS);
    const msg = this.toMessage(posted);
    this.trace.push({ type: 'message', message: msg });
    this.route(msg);
    return msg;
  }

  output(stream: 'stdout' | 'stderr', text: string): void {
    this.trace.push({ type: 'output', command: this.command, stream, text, at: this.clock.now() });
  }

  exit(code: number): void {
    this.trace.push({ type: 'exit', command: this.command, code, at: this.clock.now() });
  }

  note(text: TextRef): void {
    this.trace.push({ type: 'note', command: this.command, text, at: this.clock.now() });
  }

  dockerEvent(event: DockerEvent): void {
    this.trace.push({ type: 'docker-event', event });
  }

  containerdEvent(event: ContainerdEvent): void {
    this.trace.push({ type: 'containerd-event', event });
  }

  startCommand(index: number, line: string): void {
    this.command = index;
    this.trace.push({ type: 'command', command: index, line, at: this.clock.now() });
  }

  private enqueue(draft: MessageDraft): Posted {
    const posted: Posted = { draft, id: this.nextId++, postedAt: this.clock.now() };
    this.queue.push(posted);
    this.onPosted?.();
    return posted;
  }

  private toMessage(posted: Posted): Message {
    const { draft } = posted;
    const msg: Message = {
      ...draft,
      ok: draft.ok ?? true,
      seq: ++this.seq,
      id: posted.id,
      command: this.command,
      at: this.clock.now(),
    };
    if (posted.inReplyTo !== undefined) msg.inReplyTo = posted.inReplyTo;
    if (posted.replyTo) this.routes.set(posted.id, posted.replyTo);
    if (posted.onBehalfOf !== undefined) this.servedBy.set(posted.id, posted.onBehalfOf);
    return msg;
  }

  private route(msg: Message): void {
    if (msg.to === 'User') {
      this.onUserMessage?.(msg);
      return;
    }
    if (msg.kind === 'self') return;
    if (msg.kind === 'reply') {
      const target = msg.inReplyTo === undefined ? undefined : this.routes.get(msg.inReplyTo);
      if (msg.inReplyTo !== undefined) {
        this.routes.delete(msg.inReplyTo);
        this.servedBy.delete(msg.inReplyTo);
      }
      // A requester that died meanwhile (a killed daemon's operation) gets nothing.
      if (target?.getSnapshot().status === 'active') target.send({ type: 'reply', msg });
      return;
    }
    const root = this.roots.get(msg.to);
    if (!root) throw new Error(`no layer registered for participant ${msg.to}`);
    root.send({ type: msg.op, msg });
  }
}

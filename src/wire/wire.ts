import type { AnyActorRef } from 'xstate';
import type { Address, Message, MessageDraft, TextRef } from '../model/message.ts';
import type { Participant } from '../model/participants.ts';
import type { ContainerdEvent, DockerEvent, TraceEntry } from '../model/trace.ts';
import type { VirtualClock } from './clock.ts';
import type { Pending } from './gate.ts';

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
 * child actor that owns the object; replies go to the request's `replyTo` address — a participant
 * and one of its objects, named by the wire's address book — so a message is plain data that
 * could cross a socket and come back. Self messages (work a layer does inside itself) are
 * delivered to no one: they exist to be seen.
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
  /** The request that started the work this message is part of (see `rootOf`). */
  root: number;
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
  /** Request id → the address its reply goes to, while it is unanswered. */
  private routes = new Map<number, string>();
  /** The address book: `participant/object` → the actor there, and how many replies it awaits. */
  private readonly book = new Map<string, { target: WireTarget; waiting: number }>();
  /** Each requester's object name, given on its first request. */
  private readonly objects = new WeakMap<WireTarget, string>();
  private nextObject = 1;
  /** Requests their requester gave up on (a client-side timeout): no reply is sent. */
  private cancelled = new Set<number>();
  /** Upstream request id → the downstream request it serves, while it is unanswered. */
  private servedBy = new Map<number, number>();
  private nextId = 1;
  private seq = 0;
  /** Root of each delivered request still waiting for its reply. */
  private readonly requestRoots = new Map<number, number>();
  /** The root of the message being delivered: what is posted meanwhile belongs to it. */
  private delivering: number | undefined;
  command = 0;
  /**
   * Keep every entry in `trace` (a simulation, whose views read the whole run). A long-lived
   * real engine turns this off and reads the entries as a stream (`onEntry`), so its memory
   * does not grow with the requests it has served.
   */
  keep = true;
  /** Told every trace entry as it is appended, with the root request it belongs to, if known. */
  onEntry: ((entry: TraceEntry, root: number | undefined) => void) | undefined;
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
    if (this.queue.length > 0)
      throw new Error(`wire: cannot forget with ${this.queue.length} messages in flight`);
    this.trace.length = 0;
    this.seq = 0;
    this.command = 0;
    this.requestRoots.clear();
  }

  /**
   * The root of a request: the request from outside (a user's command, an Engine API request)
   * whose work it is part of. What a layer posts while a message is delivered belongs to that
   * message's root; a reply belongs to its request's; an operation names its own root when it
   * posts later (after a timer). A real adapter finds the operation it works for this way.
   */
  rootOf(requestId: number): number | undefined {
    return this.requestRoots.get(requestId);
  }

  /** The root of the message being delivered now (what a layer does now is part of it). */
  currentRoot(): number | undefined {
    return this.delivering;
  }

  /**
   * Run `fn` as part of `root`'s work: what it posts belongs to that request. An operation that
   * resumes outside any delivery (its timer fired, its own work finished) says whose it is.
   */
  within<T>(root: number | undefined, fn: () => T): T {
    if (root === undefined || this.delivering !== undefined) return fn();
    this.delivering = root;
    try {
      return fn();
    } finally {
      this.delivering = undefined;
    }
  }

  register(participant: Participant, target: WireTarget): void {
    this.roots.set(participant, target);
  }

  /**
   * Post a request; its reply will be routed to `sender`. Returns the request id. A proxy that
   * passes a request on names the one it serves (`onBehalfOf`): when that one's client has hung
   * up, the upstream connection is closed too, and the upstream server has no one to answer.
   */
  request(
    sender: WireTarget | undefined,
    draft: Omit<MessageDraft, 'kind'>,
    onBehalfOf?: number,
    root?: number,
  ): number {
    const posted = this.enqueue({ ...draft, kind: 'request' }, root);
    if (sender) posted.replyTo = sender;
    if (onBehalfOf !== undefined) posted.onBehalfOf = onBehalfOf;
    return posted.id;
  }

  /** A request is answered (or will never be): the wire forgets who waits for it and why. */
  private settle(requestId: number): void {
    const key = this.routes.get(requestId);
    const entry = key === undefined ? undefined : this.book.get(key);
    if (key !== undefined && entry !== undefined && --entry.waiting <= 0) this.book.delete(key);
    this.routes.delete(requestId);
    this.servedBy.delete(requestId);
    this.requestRoots.delete(requestId);
  }

  /** Whether anyone still waits for the answer to a delivered request (along its proxy chain). */
  private open(requestId: number): boolean {
    const requester = this.target(this.routes.get(requestId));
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
      this.settle(request.id);
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
      this.settle(request.id);
      return;
    }
    const posted = this.enqueue(
      {
        ...draft,
        op: draft.op ?? request.op,
        from,
        to: request.from,
        kind: 'reply',
      },
      this.requestRoots.get(request.id),
    );
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

  /** Post a one-way notification; `root` names the request whose work it is, when known. */
  event(draft: Omit<MessageDraft, 'kind'>, root?: number): void {
    this.enqueue({ ...draft, kind: 'event' }, root);
  }

  self(at: Participant, draft: Omit<MessageDraft, 'kind' | 'from' | 'to'>): void {
    this.enqueue({ ...draft, from: at, to: at, kind: 'self' });
  }

  pending(): number {
    return this.queue.length;
  }

  /**
   * What the wire holds for requests in flight: a long-lived world must come back to zero once
   * every request is answered (only `trace`, when `keep` is on, grows with the run).
   */
  held(): {
    queued: number;
    routes: number;
    roots: number;
    cancelled: number;
    proxied: number;
    addresses: number;
  } {
    return {
      queued: this.queue.length,
      routes: this.routes.size,
      roots: this.requestRoots.size,
      cancelled: this.cancelled.size,
      proxied: this.servedBy.size,
      addresses: this.book.size,
    };
  }

  /** The actor at an address, while it awaits a reply there. */
  resolve(address: Address): WireTarget | undefined {
    return this.target(keyOf(address));
  }

  private target(key: string | undefined): WireTarget | undefined {
    return key === undefined ? undefined : this.book.get(key)?.target;
  }

  /** The requester's address, entered in the book for one more awaited reply. */
  private address(participant: Participant, target: WireTarget): Address {
    let object = this.objects.get(target);
    if (object === undefined) {
      // An actor without an id of its own has a system-made one (`x:12`) that differs from run
      // to run: the object is then named by its number here only, so a run's trace stays the same.
      const name = /^x:\d+$/.test(target.id) ? 'actor' : target.id;
      object = `${name}#${this.nextObject++}`;
      this.objects.set(target, object);
    }
    const address: Address = { participant, object };
    const key = keyOf(address);
    const entry = this.book.get(key);
    if (entry) entry.waiting++;
    else this.book.set(key, { target, waiting: 1 });
    return address;
  }

  /** Earliest virtual time the next queued message can be delivered. */
  nextDeliveryAt(): number | undefined {
    const next = this.queue[0];
    return next ? Math.max(this.clock.now(), next.postedAt + HOP_MS) : undefined;
  }

  /** The message at the head of the queue, as it will be delivered (the gate judges it). */
  peek(): Pending | undefined {
    const next = this.queue[0];
    return next ? pendingOf(next) : undefined;
  }

  /**
   * Every queued message in the order it was posted, with the root request it belongs to: a
   * scheduler that holds one request's work lets another's pass (scheduler.ts).
   */
  waiting(): { pending: Pending; root: number }[] {
    return this.queue.map((posted) => ({ pending: pendingOf(posted), root: posted.root }));
  }

  /**
   * Deliver the next message, or the queued message `id`: one step. Only the scheduler calls
   * this (scheduler.ts).
   */
  deliverNext(id?: number): Message | undefined {
    const index = id === undefined ? 0 : this.queue.findIndex((p) => p.id === id);
    const [posted] = index < 0 ? [] : this.queue.splice(index, 1);
    if (!posted) return undefined;
    this.clock.advanceTo(posted.postedAt + HOP_MS);
    const msg = this.toMessage(posted);
    if (msg.kind === 'request') this.requestRoots.set(msg.id, posted.root);
    const outer = this.delivering;
    this.delivering = posted.root;
    try {
      this.push({ type: 'message', message: msg });
      this.route(msg);
    } finally {
      this.delivering = outer;
    }
    return msg;
  }

  private push(entry: TraceEntry): void {
    if (this.keep) this.trace.push(entry);
    this.onEntry?.(entry, this.delivering);
  }

  output(stream: 'stdout' | 'stderr', text: string): void {
    this.push({ type: 'output', command: this.command, stream, text, at: this.clock.now() });
  }

  exit(code: number): void {
    this.push({ type: 'exit', command: this.command, code, at: this.clock.now() });
  }

  note(text: TextRef): void {
    this.push({ type: 'note', command: this.command, text, at: this.clock.now() });
  }

  dockerEvent(event: DockerEvent): void {
    this.push({ type: 'docker-event', event });
  }

  containerdEvent(event: ContainerdEvent): void {
    this.push({ type: 'containerd-event', event });
  }

  startCommand(index: number, line: string): void {
    this.command = index;
    this.push({ type: 'command', command: index, line, at: this.clock.now() });
  }

  private enqueue(draft: MessageDraft, root?: number): Posted {
    const id = this.nextId++;
    const posted: Posted = { draft, id, root: root ?? this.delivering ?? id, postedAt: this.clock.now() };
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
    if (posted.replyTo) {
      msg.replyTo = this.address(draft.from, posted.replyTo);
      this.routes.set(posted.id, keyOf(msg.replyTo));
    }
    if (posted.onBehalfOf !== undefined) this.servedBy.set(posted.id, posted.onBehalfOf);
    return msg;
  }

  private route(msg: Message): void {
    if (msg.to === 'User') {
      this.onUserMessage?.(msg);
      // A reply to a user's command line also goes to whoever posted it (a real engine's console).
      if (msg.kind !== 'reply') return;
    }
    if (msg.kind === 'self') return;
    if (msg.kind === 'reply') {
      const target = msg.inReplyTo === undefined ? undefined : this.target(this.routes.get(msg.inReplyTo));
      if (msg.inReplyTo !== undefined) this.settle(msg.inReplyTo);
      // A requester that died meanwhile (a killed daemon's operation) gets nothing.
      if (target?.getSnapshot().status === 'active') target.send({ type: 'reply', msg });
      return;
    }
    const root = this.roots.get(msg.to);
    if (!root) throw new Error(`no layer registered for participant ${msg.to}`);
    root.send({ type: msg.op, msg });
  }
}

function pendingOf(posted: Posted): Pending {
  const pending: Pending = { ...posted.draft, id: posted.id };
  if (posted.inReplyTo !== undefined) pending.inReplyTo = posted.inReplyTo;
  return pending;
}

function keyOf(address: Address): string {
  return `${address.participant}/${address.object}`;
}

import type { JsonValue } from './json.ts';
import type { Participant } from './participants.ts';

/**
 * A message is one request, reply or notification between two participants. Every cross-layer
 * interaction is a message on the wire, and every message lands in the trace: the trace is the
 * single source of every view (diagram, event list, docker events, golden tests).
 *
 * Glossary:
 * - op: the machine-level event name the receiving layer reacts to (`api.containers.create`).
 * - call: the real call it stands for, as a learner would see it in a packet capture, a gRPC log
 *   or `strace`: `POST /v1.44/containers/create?name=web`, `Tasks.Create`, `runc create`,
 *   `clone(CLONE_NEWPID|CLONE_NEWNS|…)`.
 * - kind: `request` expects a reply; `reply` answers a request (`inReplyTo`); `event` is a
 *   one-way notification (containerd's event stream, a signal, an exit status); `self` is work a
 *   layer does inside itself, drawn as an arrow to itself.
 */
export type MessageKind = 'request' | 'reply' | 'event' | 'self';

/** A reference into the i18n catalogue: narration is data, rendered in the reader's language. */
export interface TextRef {
  key: string;
  params?: Record<string, string | number>;
}

/** A diagram block the message opens or closes (Mermaid `loop`, `alt`, `opt`, `Note over`). */
export interface BlockMark {
  open?: { type: 'loop' | 'alt' | 'opt'; label: TextRef };
  /** `else` branch inside an open `alt`. */
  otherwise?: TextRef;
  /** Close this many open blocks before drawing the message. */
  close?: number;
  /** Close this many open blocks right after drawing the message. */
  closeAfter?: number;
}

/**
 * Who waits for a reply: a participant and one of its objects (an operation, a task), named by
 * the wire. A request carries it, so a message written to a socket and read back still says
 * where its answer goes (`replyTo`), without any in-process reference.
 */
export interface Address {
  participant: Participant;
  /** The waiting object, unique on its wire: `op.12#3` (an actor's id and a counter). */
  object: string;
}

export interface Message {
  /** 1-based position among all messages of the run: the step number. */
  seq: number;
  /** Request id; replies carry the id of the request they answer in `inReplyTo`. */
  id: number;
  inReplyTo?: number;
  /** For requests: where the reply goes (absent when nobody waits for one). */
  replyTo?: Address;
  from: Participant;
  to: Participant;
  kind: MessageKind;
  op: string;
  call: string;
  /** For replies: the outcome as the real protocol states it (`201 Created`, `NotFound`, `exit 0`). */
  status?: string;
  ok: boolean;
  payload?: JsonValue;
  narration: TextRef;
  /** A phase note drawn before this message (`Note over User,Network: …`). */
  phase?: TextRef;
  /** Where this message differs from the popular diagrams (seed 000), the narration says so. */
  fidelity?: TextRef;
  block?: BlockMark;
  /** Index of the user command (0-based) this message belongs to. */
  command: number;
  /** Virtual time in milliseconds since the run's epoch. */
  at: number;
}

/** What the sender supplies; the wire fills in seq, id, at and command. */
export type MessageDraft = Omit<Message, 'seq' | 'id' | 'at' | 'command' | 'ok' | 'replyTo'> & {
  ok?: boolean;
};

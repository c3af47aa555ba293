import type { MessageDraft } from '../model/message.ts';

/**
 * The gate: the one place that decides, *before* a message is delivered, whether it may pass.
 *
 * Lifecycle: the scheduler shows the gate a waiting message (a `Pending`: everything the message
 * will carry except its step number and time). Each policy may name a reason to hold it. A held
 * message stays in the queue and the work behind it does not move: in simulation nothing moves
 * at all (the scheduler shows the gate the head of the queue only, and the virtual clock stands
 * still); in real mode the real work that the message would start (a `Diff.Apply`, a
 * `runc create`) has not started, while other requests' messages are judged on their own
 * (scheduler.ts). `release()` lets the oldest held message (or a named one) through once,
 * whatever the policies say; the next message is judged afresh. Every change is told with every
 * message held and those let go, so a viewer can name each of them.
 *
 * Simulation step mode, breakpoints and real step mode are all policies over this one gate.
 *
 * Glossary:
 * - pending: a waiting message as it will be delivered, without its step number and time.
 * - policy: a named rule that may hold a pending message, and says why.
 * - hold: the gate's answer for a message a policy stopped; it names the policy and the reason.
 *   Several messages may be held at once (one per request in real mode); the oldest is *the*
 *   held message, the one a step releases.
 * - release: one pass through the gate for a held message.
 */
export type Pending = MessageDraft & { id: number; inReplyTo?: number };

/** A policy's answer: a reason to hold the message, or undefined to let it pass. */
export type GatePolicy = (next: Pending) => string | undefined;

export interface Hold {
  /** The policy that held the message (`step`, `breakpoint`, …). */
  policy: string;
  reason: string;
  next: Pending;
  /**
   * The request whose work the message is (Wire.rootOf), when the scheduler judges by request:
   * in a real engine, the work a hold stops (scheduler.ts).
   */
  root?: number;
}

/** What changed at the gate: every message held now, and those let go by this change. */
export interface GateChange {
  /** Every message held now, oldest first. */
  holds: Hold[];
  /**
   * The messages this change lets go on: a step or a continue, a policy removed or no longer
   * matching. A message whose request was cancelled is gone, not released.
   */
  released: Hold[];
}

/** Told the oldest message held now (undefined when none is) and the whole change. */
export type GateListener = (held: Hold | undefined, change: GateChange) => void;

export class Gate {
  private readonly policies = new Map<string, GatePolicy>();
  private readonly listeners = new Set<GateListener>();
  /** The messages held now, by message id. */
  private readonly holds = new Map<number, Hold>();
  /** The ids of messages released once: they pass whatever the policies say. */
  private readonly passing = new Set<number>();

  /** Add or replace a policy; returns its removal. */
  set(name: string, policy: GatePolicy): () => void {
    this.policies.set(name, policy);
    return () => this.remove(name);
  }

  remove(name: string): void {
    if (!this.policies.delete(name)) return;
    // A message held only by this policy may go on: the scheduler asks again when kicked.
    this.drop([...this.holds.values()].filter((h) => h.policy === name).map((h) => h.next.id));
  }

  /** No policy, no hold, no release pending: every message passes as it comes. */
  get idle(): boolean {
    return this.policies.size === 0 && this.holds.size === 0 && this.passing.size === 0;
  }

  has(name: string): boolean {
    return this.policies.has(name);
  }

  /** The oldest message held now, if any: the one a step releases. */
  get held(): Hold | undefined {
    return this.all[0];
  }

  /** Every message held now, oldest (first posted) first. */
  get all(): Hold[] {
    return [...this.holds.values()].sort((a, b) => a.next.id - b.next.id);
  }

  /**
   * Let the oldest held message through once, or the held message `id`; returns the hold let go
   * (undefined when nothing, or no such message, is held).
   */
  release(id?: number): Hold | undefined {
    const hold = id === undefined ? this.held : this.holds.get(id);
    if (hold === undefined) return undefined;
    this.passing.add(hold.next.id);
    this.drop([hold.next.id]);
    return hold;
  }

  /** Let every held message through once; returns them, oldest first. */
  releaseAll(): Hold[] {
    const all = this.all;
    for (const hold of all) this.passing.add(hold.next.id);
    this.drop(all.map((h) => h.next.id));
    return all;
  }

  /**
   * Whether `next` is held; the scheduler asks this before every delivery. A held message is
   * judged again each time, so removing a breakpoint lets it go.
   */
  check(next: Pending, root?: number): Hold | undefined {
    if (this.passing.delete(next.id)) return undefined;
    const before = this.holds.get(next.id);
    for (const [policy, rule] of this.policies) {
      const reason = rule(next);
      if (reason === undefined) continue;
      if (before?.policy === policy && before.reason === reason) return before;
      const hold: Hold = root === undefined ? { policy, reason, next } : { policy, reason, next, root };
      this.holds.set(next.id, hold);
      this.tell([]);
      return hold;
    }
    this.drop([next.id]);
    return undefined;
  }

  /**
   * Forget holds and releases of messages no longer waiting (a cancelled request was taken off
   * the queue): `waiting` is every message id still queued.
   */
  keepOnly(waiting: ReadonlySet<number>): void {
    for (const id of this.passing) if (!waiting.has(id)) this.passing.delete(id);
    this.drop(
      [...this.holds.keys()].filter((id) => !waiting.has(id)),
      false,
    );
  }

  /** Hear when the held messages change: the oldest held one, every one, and those let go. */
  onChange(listener: GateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Forget the holds of `ids`: let go on (`released`), or gone with their request. */
  private drop(ids: number[], released = true): void {
    const gone: Hold[] = [];
    for (const id of ids) {
      const hold = this.holds.get(id);
      if (hold !== undefined && this.holds.delete(id)) gone.push(hold);
    }
    if (gone.length > 0) this.tell(released ? gone.sort((a, b) => a.next.id - b.next.id) : []);
  }

  private tell(released: Hold[]): void {
    const holds = this.all;
    const change: GateChange = { holds, released };
    for (const listener of [...this.listeners]) listener(holds[0], change);
  }
}

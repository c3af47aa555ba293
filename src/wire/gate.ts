import type { MessageDraft } from '../model/message.ts';

/**
 * The gate: the one place that decides, *before* a message is delivered, whether it may pass.
 *
 * Lifecycle: the scheduler shows the gate the message at the head of the queue (a `Pending`:
 * everything the message will carry except its step number and time). Each policy may name a
 * reason to hold it. A held message stays at the head of the queue and nothing behind it moves:
 * in simulation the virtual clock stands still; in real mode the real work that the message
 * would start (a `Diff.Apply`, a `runc create`) has not started. `release()` lets the held
 * message through once, whatever the policies say; the next message is judged afresh.
 *
 * Simulation step mode, breakpoints and real step mode are all policies over this one gate.
 *
 * Glossary:
 * - pending: the next message as it will be delivered, without its step number and time.
 * - policy: a named rule that may hold a pending message, and says why.
 * - hold: the gate's answer for a message a policy stopped; it names the policy and the reason.
 * - release: one pass through the gate for the held message.
 */
export type Pending = MessageDraft & { id: number; inReplyTo?: number };

/** A policy's answer: a reason to hold the message, or undefined to let it pass. */
export type GatePolicy = (next: Pending) => string | undefined;

export interface Hold {
  /** The policy that held the message (`step`, `breakpoint`, …). */
  policy: string;
  reason: string;
  next: Pending;
}

export type GateListener = (hold: Hold | undefined) => void;

export class Gate {
  private readonly policies = new Map<string, GatePolicy>();
  private readonly listeners = new Set<GateListener>();
  private current: Hold | undefined;
  /** The id of a message released once: it passes whatever the policies say. */
  private passing: number | undefined;

  /** Add or replace a policy; returns its removal. */
  set(name: string, policy: GatePolicy): () => void {
    this.policies.set(name, policy);
    return () => this.remove(name);
  }

  remove(name: string): void {
    if (!this.policies.delete(name)) return;
    // A message held only by this policy may go on: the scheduler asks again when kicked.
    if (this.current?.policy === name) this.clear();
  }

  has(name: string): boolean {
    return this.policies.has(name);
  }

  /** The message held now, if any. */
  get held(): Hold | undefined {
    return this.current;
  }

  /** Let the held message through once; with nothing held there is nothing to release. */
  release(): void {
    if (this.current === undefined) return;
    this.passing = this.current.next.id;
    this.clear();
  }

  /**
   * Whether `next` is held; the scheduler asks this before every delivery. A held message is
   * judged again each time, so removing a breakpoint lets it go.
   */
  check(next: Pending): Hold | undefined {
    if (this.passing === next.id) {
      this.passing = undefined;
      return undefined;
    }
    for (const [policy, rule] of this.policies) {
      const reason = rule(next);
      if (reason === undefined) continue;
      const same =
        this.current?.next.id === next.id && this.current.policy === policy && this.current.reason === reason;
      if (same && this.current) return this.current;
      this.current = { policy, reason, next };
      this.tell();
      return this.current;
    }
    this.clear();
    return undefined;
  }

  /** Hear when a message is held (with the hold) and when the gate opens again (undefined). */
  onChange(listener: GateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private clear(): void {
    if (this.current === undefined) return;
    this.current = undefined;
    this.tell();
  }

  private tell(): void {
    for (const listener of [...this.listeners]) listener(this.current);
  }
}

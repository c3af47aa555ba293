import { LitElement, type PropertyValues } from 'lit';
import type { Session, SessionListener } from '../state/session.ts';

type Why = Parameters<SessionListener>[1];

/**
 * A Lit element that follows the page's Session: it subscribes while connected and hands each
 * change to `sessionChanged`, which by default redraws. Elements override it to redraw only for
 * the changes they show (a step, a new run, the language).
 */
export class SessionElement extends LitElement {
  static override properties = { session: { attribute: false } };
  declare session: Session;
  private unsubscribe: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.follow();
  }

  /**
   * An element defined after it was rendered (a lazily loaded panel) gets its `session` only at
   * its first update, when Lit restores properties set before the upgrade: follow it then.
   */
  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    this.follow();
  }

  private follow(): void {
    if (this.unsubscribe || !this.session || !this.isConnected) return;
    this.unsubscribe = this.session.subscribe((_s, why) => this.sessionChanged(why));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  protected sessionChanged(_why: Why): void {
    this.requestUpdate();
  }
}

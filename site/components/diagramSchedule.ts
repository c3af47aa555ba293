import type { Chunk } from './diagramChunks.ts';

/**
 * When each command's drawing is made (see DsDiagram.draw): the current command and the next
 * one at once, the others after a quiet moment, nearest first.
 */

/** A drawing still shown while it waits to be drawn again (see grownFrom) can wait its turn. */
export function stale(c: Chunk): number {
  return !c.rendered && c.bottoms.length > 0 ? 1 : 0;
}

/** How many steps a command lies from the position (0: it holds it). */
export function distance(c: Pick<Chunk, 'first' | 'last'>, pos: number): number {
  return pos < c.first ? c.first - pos : pos > c.last ? pos - c.last : 0;
}

/** Nearest first; near the position, a command with no drawing yet before one that only grew. */
export function drawingOrder(chunks: readonly Chunk[], pos: number): Chunk[] {
  const rank = (c: Chunk): number => 2 * Math.max(distance(c, pos), stale(c)) + stale(c);
  return [...chunks].sort((a, b) => rank(a) - rank(b));
}

/** Other commands than the current one wait this long, then for an idle moment. */
const QUIET_MS = 400;

export function idle(): Promise<void> {
  return new Promise((resolve) =>
    'requestIdleCallback' in window
      ? requestIdleCallback(() => resolve(), { timeout: 200 })
      : setTimeout(resolve, 0),
  );
}

/** A wait for a quiet moment that a newer run can end at once (a command just typed). */
export class QuietWait {
  private interrupt: () => void = () => undefined;

  /** Ends the current wait now. */
  end(): void {
    this.interrupt();
  }

  /** Wait QUIET_MS, then for an idle moment, unless ended first. */
  wait(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => void idle().then(resolve), QUIET_MS);
      this.interrupt = () => (clearTimeout(timer), resolve());
    });
  }
}

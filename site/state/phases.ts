/**
 * The page starts in two phases. Until the first diagram is on screen, only what it needs runs
 * on the page's thread: the run's first commands and Mermaid. Everything else (the rest of the
 * run, the inspection panels) waits for `firstDiagram`. A page with nothing to draw, or whose
 * drawing failed, says so too, so nothing waits forever.
 */
let resolveFirst: () => void = () => undefined;

export const firstDiagram = new Promise<void>((resolve) => {
  resolveFirst = resolve;
});

/** The first diagram is on screen (or there is none to draw). Marked for bench:site. */
export function firstDiagramDone(): void {
  if (performance.getEntriesByName('dockstep:first-diagram').length > 0) return;
  performance.mark('dockstep:first-diagram');
  resolveFirst();
}

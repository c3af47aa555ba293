/**
 * Runs a costly read (a replay of the world) at most once per animation frame, however many
 * steps arrive in between: a listener calls `schedule()`, the frame calls `run` once.
 */
export class FrameTask {
  private id = 0;

  constructor(private readonly run: () => void) {}

  schedule(): void {
    if (this.id) return;
    this.id = requestAnimationFrame(() => {
      this.id = 0;
      this.run();
    });
  }

  cancel(): void {
    if (this.id) cancelAnimationFrame(this.id);
    this.id = 0;
  }
}

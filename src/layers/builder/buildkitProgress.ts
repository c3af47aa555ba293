import type { JsonObject } from '../../model/json.ts';
import type { Builder } from './builder.ts';
import type { PlainUpdate } from '../../views/docker/buildkit.ts';

/**
 * BuildKit's progress (`Control.Status`, a stream of SolveStatus messages: vertexes, statuses,
 * logs), as the CLI renders it with `--progress=plain` (moby/buildkit util/progress/progressui
 * printer.go): the CLI numbers vertices in the order it first sees them, which is the order
 * they are sent here. Updates are queued and sent as one stream message when the solver next
 * waits for something.
 */
/** One vertex's update, as the plain printer reads it (views/docker/buildkit.ts). */
export type VertexUpdate = PlainUpdate;

export class Progress {
  private queued: VertexUpdate[] = [];
  private next = 1;
  private started = new Map<number, number>();

  constructor(
    readonly b: Builder,
    readonly session: string,
  ) {}

  vertex(name: string): number {
    const index = this.next++;
    this.started.set(index, this.b.now());
    this.queued.push({ index, name });
    return index;
  }

  status(index: number, id: string, current?: number, total?: number): void {
    this.queued.push({
      index,
      statuses: [
        {
          id,
          ...(current === undefined ? {} : { current }),
          ...(total === undefined ? {} : { total }),
          done: true,
        },
      ],
    });
  }

  cached(index: number): void {
    this.queued.push({ index, cached: true });
  }

  done(index: number): void {
    this.queued.push({ index, doneSecs: this.secs(index) });
  }

  error(index: number, error: string): void {
    this.queued.push({ index, error });
  }

  /** A RUN step's output: sent at once, stamped with the seconds since the vertex started. */
  log(index: number, text: string): void {
    this.queued.push({ index, logs: [{ secs: this.secs(index), text }] });
    this.flush();
  }

  secs(index: number): number {
    return (this.b.now() - (this.started.get(index) ?? this.b.now())) / 1000;
  }

  flush(): void {
    if (this.queued.length === 0) return;
    const updates = this.queued;
    this.queued = [];
    const named = updates.find((u) => u.name !== undefined);
    const last = updates.at(-1);
    const what =
      named?.name ??
      (last?.logs
        ? `log ${JSON.stringify(last.logs[0]?.text.trim().slice(0, 30))}`
        : last?.cached
          ? 'CACHED'
          : last?.error
            ? 'ERROR'
            : last?.statuses
              ? (last.statuses[0]?.id ?? '')
              : 'DONE');
    const call = `Control/Status stream: #${named?.index ?? last?.index ?? 0} ${what.slice(0, 60)}${updates.length > 1 ? ` +${updates.length - 1}` : ''}`;
    this.b.event('CLI', 'buildkit.status', call, {
      payload: { session: this.session, updates: updates as unknown as JsonObject[] },
      params: { vertex: what.slice(0, 60) },
    });
  }
}

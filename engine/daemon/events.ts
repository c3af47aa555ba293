// The engine's event log, as `docker events` reads it (GET /events): image actions in dockerd's
// JSON shape — `{"status","id","from"?,"Type","Action","Actor":{"ID","Attributes"},"scope",
// "time","timeNano"}` (moby api/types/events; the top-level status/id are the pre-1.22 fields
// dockerd still sends at API 1.44). Who is the actor follows daemon.LogImageEvent: for pull and
// push the reference, for tag/untag/delete/load/save the image id with `name` the reference
// (untag and delete: the id again), measured on dockerd 20.10.
import { EventEmitter } from 'node:events';

export type ImageAction = 'pull' | 'push' | 'tag' | 'untag' | 'delete' | 'load' | 'save';

export interface EngineEvent {
  status: string;
  id: string;
  Type: 'image';
  Action: ImageAction;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: 'local';
  time: number;
  timeNano: number;
}

const KEEP = 1024;

export class EventLog {
  private readonly past: EngineEvent[] = [];
  private readonly emitter = new EventEmitter();
  private lastNano = 0n;

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  /** Records an image event now; `name` is the actor's `name` attribute. */
  image(action: ImageAction, id: string, name: string): EngineEvent {
    // Strictly increasing, so `since`/`until` with nanoseconds split events cleanly.
    let nano = BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
    if (nano <= this.lastNano) nano = this.lastNano + 1n;
    this.lastNano = nano;
    const event: EngineEvent = {
      status: action,
      id,
      Type: 'image',
      Action: action,
      Actor: { ID: id, Attributes: { name } },
      scope: 'local',
      time: Number(nano / 1_000_000_000n),
      timeNano: Number(nano),
    };
    this.past.push(event);
    if (this.past.length > KEEP) this.past.shift();
    this.emitter.emit('event', event);
    return event;
  }

  /** Events recorded so far, oldest first. */
  history(): readonly EngineEvent[] {
    return this.past;
  }

  subscribe(listener: (e: EngineEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}

// The engine's event log, as `docker events` reads it (GET /events): image actions in dockerd's
// JSON shape — `{"status","id","from"?,"Type","Action","Actor":{"ID","Attributes"},"scope",
// "time","timeNano"}` (moby api/types/events; the top-level status/id are the pre-1.22 fields
// dockerd still sends at API 1.44). Who is the actor follows daemon.LogImageEvent: for pull and
// push the reference, for tag/untag/delete/load/save the image id with `name` the reference
// (untag and delete: the id again), measured on dockerd 20.10.
//
// What runs through the layer machines is not recorded here by a handler: the dockerd machine
// publishes its events into the trace, and the engine copies every trace docker event into this
// log (`fromTrace`), so `docker events` shows exactly what the machines did. No handler works
// beside the machines any more: every image event comes from the trace.
import { EventEmitter } from 'node:events';
import type { DockerEvent } from '../../src/model/trace.ts';

export type ImageAction = 'pull' | 'push' | 'tag' | 'untag' | 'delete' | 'load' | 'save';

export interface EngineEvent {
  status?: string;
  id?: string;
  from?: string;
  Type: DockerEvent['Type'];
  Action: string;
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
    return this.record({
      status: action,
      id,
      Type: 'image',
      Action: action,
      Actor: { ID: id, Attributes: { name } },
      scope: 'local',
    });
  }

  /** Records an event the machines published into the trace, stamped with the engine's clock. */
  fromTrace(event: DockerEvent): EngineEvent {
    const { time: _t, timeNano: _n, ...rest } = event;
    return this.record(rest);
  }

  private record(body: Omit<EngineEvent, 'time' | 'timeNano'>): EngineEvent {
    // Strictly increasing, so `since`/`until` with nanoseconds split events cleanly.
    let nano = BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
    if (nano <= this.lastNano) nano = this.lastNano + 1n;
    this.lastNano = nano;
    const event: EngineEvent = { ...body, time: Number(nano / 1_000_000_000n), timeNano: Number(nano) };
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

import type { JsonObject } from '../../model/json.ts';
import type { Message } from '../../model/message.ts';
import type { Participant } from '../../model/participants.ts';
import type { Profile } from '../../model/trace.ts';
import type { Wire } from '../../wire/wire.ts';
import type { ImageLayerRecord } from '../containerd/imageService.ts';
import type { CallEffect } from '../operation.ts';
import type { Ports } from '../ports.ts';
import { draft, replyDraft, type PostOptions } from '../post.ts';

/**
 * The builder inside dockerd and what its operations share. Profile classic is the legacy
 * builder of Engine 20.10 (moby builder/dockerfile): it runs each instruction through dockerd's
 * own backend (containers, commits, the image store) and writes its progress into the `/build`
 * response. Profile v29 is BuildKit as Engine 29 embeds it (moby builder/builder-next): the
 * CLI drives it over gRPC, it reads the context over the CLI's session, runs RUN steps with its
 * own runc executor and keeps layers as containerd snapshots.
 */
/** A result BuildKit's solver keeps in its cache (cache.db): the snapshot an op produced. */
export interface CachedResult {
  layer: ImageLayerRecord;
  /** When the op ran: the history entry keeps it. */
  createdMs: number;
  /** The layer's blob in the content store, once an export has written it. */
  blob?: { digest: string; size: number };
}

export class Builder {
  /** BuildKit's cache.db: cache key → result (profile v29). */
  readonly cache = new Map<string, CachedResult>();
  /** Pipes of RUN steps under `runc run`: executor id → reader of their output. */
  readonly pipes = new Map<string, (stream: 'stdout' | 'stderr', text: string) => void>();
  /** What each session's context held the last time it was sent (FileSync only sends changes). */
  readonly sent = new Map<string, string>();

  constructor(
    readonly wire: Wire,
    readonly ports: Ports,
    readonly profile: Profile,
  ) {}

  call(to: Participant, op: string, call: string, o: PostOptions = {}): CallEffect {
    return { kind: 'call', draft: draft('Builder', to, op, call, o) };
  }

  self(op: string, call: string, o: PostOptions = {}): void {
    this.wire.self('Builder', draft('Builder', 'Builder', op, call, o));
  }

  event(to: Participant, op: string, call: string, o: PostOptions = {}): void {
    this.wire.event(draft('Builder', to, op, call, o));
  }

  reply(req: Message, call: string, o: PostOptions = {}): void {
    this.wire.reply(req, replyDraft(req.op, call, o));
  }

  /** A build-local id: executor directories, layer keys (seeded, so runs repeat). */
  id(): string {
    return this.ports.ids.hex(25);
  }

  now(): number {
    return this.ports.clock.now();
  }
}

/**
 * The legacy builder's progress: JSON messages of the `/build` response (jsonmessage: `stream`,
 * `status`, `aux`, `errorDetail`). They are queued and sent as one chunk when the builder next
 * waits for something, so the CLI prints each step as it happens.
 */
export class BuildStream {
  private queued: JsonObject[] = [];

  constructor(
    readonly b: Builder,
    readonly quiet: boolean,
  ) {}

  out(...messages: JsonObject[]): void {
    if (!this.quiet) this.queued.push(...messages);
  }

  text(...lines: string[]): void {
    this.out(...lines.map((stream) => ({ stream })));
  }

  flush(): void {
    if (this.queued.length === 0) return;
    const messages = this.queued;
    this.queued = [];
    const first =
      messages
        .map((m) => (typeof m.stream === 'string' ? m.stream : typeof m.status === 'string' ? m.status : ''))
        .find((t) => t.trim() !== '') ?? '';
    const call = `/build response: ${JSON.stringify({ stream: first.trim() }).slice(0, 60)}${messages.length > 1 ? ` +${messages.length - 1}` : ''}`;
    this.b.event('CLI', 'build.output', call, {
      payload: { messages },
      params: { line: first.trim().slice(0, 60) },
    });
  }
}

// What the API server asks of the image plumbing for a pull. The engine's pulls run through the
// layer machines (engine/real/puller.ts); progress is worded as dockerd's puller does (moby distribution/pull_v2.go,
// distribution/xfer): "Pulling from <path>" (id = the tag), per layer "Pulling fs layer",
// "Waiting", "Downloading" (with progressDetail and the bar text), "Verifying Checksum",
// "Download complete", "Extracting", "Pull complete" or "Already exists", then "Digest: …" and
// "Status: Downloaded newer image for …" / "Status: Image is up to date for …".
// Two requests for one image share one pull (as dockerd's transfer manager does): a request
// that joins a running pull first gets the messages sent so far, then the rest.
import { progressString, type JsonMessage } from '../api/jsonmessage.ts';
import { ImageError } from '../image/errors.ts';
import type { Progress } from '../image/progress.ts';
import { formatReference, parseReference } from '../image/reference.ts';
import type { Credentials } from '../image/registry/auth.ts';
import { formatPlatform, hostPlatform, type Platform } from '../image/platform.ts';
import { parsePlatformSpecifier, PlatformSpecError } from '../../src/model/platformSpec.ts';
import { ApiError } from './errors.ts';

export interface RegistryAuth {
  username?: string;
  password?: string;
  serveraddress?: string;
  identitytoken?: string;
}

export interface PulledImage {
  /** The stored (full) name: docker.io/library/busybox:latest. */
  name: string;
  /** What the name resolved to at the registry (index or manifest digest). */
  digest: string;
  /** The image id (config digest). */
  id: string;
}

export interface PullRequest {
  platform?: string;
  auth?: RegistryAuth;
  onMessage(m: JsonMessage): void;
  signal: AbortSignal;
}

export interface Puller {
  pull(ref: string, o: PullRequest): Promise<PulledImage>;
}

/**
 * The platform query as dockerd reads it (containerd's platforms.Parse, src/model/platformSpec.ts):
 * `os[/arch[/variant]]`, normalised; anything else is a 400 with containerd's words.
 */
export function parsePlatform(text: string): Platform {
  try {
    return parsePlatformSpecifier(text, hostPlatform());
  } catch (error) {
    if (error instanceof PlatformSpecError) throw new ApiError(400, error.message);
    throw error;
  }
}

/** Progress events of engine/image in Docker's JSON message words. */
export function toMessage(event: Progress, ref: string): JsonMessage | undefined {
  if (event.kind === 'resolved') {
    const r = parseReference(ref);
    return { status: `Pulling from ${r.path}`, id: r.digest ?? r.tag ?? 'latest' };
  }
  if (event.kind === 'done') return undefined;
  if (event.kind === 'line') return event.message;
  const detail =
    event.current === undefined
      ? {}
      : { current: event.current, ...(event.total ? { total: event.total } : {}) };
  const status = event.status === 'Mounted from' ? `Mounted from ${event.detail ?? ''}` : event.status;
  const m: JsonMessage = { status, progressDetail: detail, id: event.id };
  if (event.current !== undefined) m.progress = progressString(detail, 200, Date.now() / 1000);
  return m;
}

/**
 * One pull's work: fetch `name` for `platform` into the root, telling each Docker message as it
 * comes; answers what was stored. The engine runs it through the layer machines
 * (engine/real/puller.ts).
 */
export type PullRun = (
  name: string,
  platform: Platform,
  credentials: Credentials | undefined,
  emit: (m: JsonMessage) => void,
  /** Aborted when the last client of the pull has hung up: the pull is cancelled, as dockerd's is. */
  signal: AbortSignal,
) => Promise<PulledImage>;

interface Flight {
  sent: JsonMessage[];
  listeners: Set<(m: JsonMessage) => void>;
  done: Promise<PulledImage>;
  /** Cancels the pull when nobody waits for it any more. */
  abort: AbortController;
}

export class ImagePuller implements Puller {
  private readonly flights = new Map<string, Flight>();

  constructor(private readonly run: PullRun) {}

  /** Pulls running now (the server waits for them on shutdown). */
  running(): Promise<unknown>[] {
    return [...this.flights.values()].map((f) => f.done.catch(() => undefined));
  }

  pull(ref: string, o: PullRequest): Promise<PulledImage> {
    const platform =
      o.platform === undefined || o.platform === '' ? hostPlatform() : parsePlatform(o.platform);
    const name = formatReference(parseReference(ref));
    const key = `${name} ${formatPlatform(platform)}`;
    let flight = this.flights.get(key);
    if (flight === undefined) flight = this.start(key, name, platform, o.auth);
    flight.sent.forEach((m) => o.onMessage(m));
    const f = flight;
    f.listeners.add(o.onMessage);
    return new Promise<PulledImage>((resolve, reject) => {
      const abort = (): void => {
        f.listeners.delete(o.onMessage);
        // dockerd's transfer manager cancels a download when its last watcher goes (distribution/xfer).
        if (f.listeners.size === 0) f.abort.abort();
        reject(new ImageError('cancelled', `pull of ${ref} cancelled`));
      };
      o.signal.addEventListener('abort', abort, { once: true });
      f.done.then(resolve, reject).finally(() => {
        o.signal.removeEventListener('abort', abort);
        f.listeners.delete(o.onMessage);
      });
    });
  }

  private start(key: string, name: string, platform: Platform, auth: RegistryAuth | undefined): Flight {
    const flight: Flight = {
      sent: [],
      listeners: new Set(),
      done: Promise.resolve() as never,
      abort: new AbortController(),
    };
    const emit = (m: JsonMessage): void => {
      flight.sent.push(m);
      flight.listeners.forEach((l) => l(m));
    };
    const credentials =
      auth?.username !== undefined && auth.username !== ''
        ? { username: auth.username, password: auth.password ?? '' }
        : undefined;
    flight.done = (async () => {
      try {
        return await this.run(name, platform, credentials, emit, flight.abort.signal);
      } finally {
        this.flights.delete(key);
      }
    })();
    this.flights.set(key, flight);
    return flight;
  }
}

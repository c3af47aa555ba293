// A pull, real, through the layer machines: the Engine API request goes onto the wire from the
// CLI participant (the real client on the other end of the socket), the dockerd machine runs its
// pull operation (src/layers/dockerd/ops/imagePull.ts) exactly as in simulation, and the real
// actions (world.ts) do the work each message stands for. The answer is the operation's own
// reply; the trace of every message is kept as the root's last trace (traces.ts).
import { createActor, fromCallback } from 'xstate';
import { draft } from '../../src/layers/post.ts';
import type { JsonObject } from '../../src/model/json.ts';
import type { Message } from '../../src/model/message.ts';
import type { Trace } from '../../src/model/trace.ts';
import type { Credentials } from '../image/registry/auth.ts';
import type { ProgressSink } from '../image/progress.ts';
import type { ImageRoot } from '../image/root.ts';
import { RealDriver } from './driver.ts';
import { RealSession } from './session.ts';
import { saveTrace } from './traces.ts';
import { createRealWorld } from './world.ts';

export interface MachinePullOptions {
  credentials?: Credentials;
  onProgress?: ProgressSink;
  timeoutMs?: number;
  /** Told each message as it is delivered. */
  onMessage?: (msg: Message) => void;
  /** dockerd's `max-concurrent-downloads` (3 when absent). */
  maxConcurrentDownloads?: number;
}

export interface MachinePullResult {
  /** The HTTP status dockerd answered with (200 even when the stream ends in an error). */
  status: number;
  /** The progress stream (status 200) or the error body (`{message}`). */
  body: JsonObject[] | JsonObject;
  /** The stream's error, when it ends in one. */
  error?: string;
  trace: Trace;
}

/** What the docker CLI sends for `docker pull NAME[:TAG]` (docker/cli image/pull.go). */
export interface PullQuery {
  fromImage: string;
  tag?: string;
  platform?: string;
}

function requestLine(q: PullQuery): string {
  const qs = Object.entries(q)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
  return `POST /v1.44/images/create?${qs}`;
}

function errorOf(body: MachinePullResult['body']): string | undefined {
  if (!Array.isArray(body)) return undefined;
  const last = body[body.length - 1];
  return typeof last?.error === 'string' ? last.error : undefined;
}

/**
 * Pull through the machines, one run per call. Concurrent requests for one image are shared by
 * the API server (engine/daemon/backend.ts), which also replays the progress to late joiners.
 */
export async function pullThroughMachines(root: ImageRoot, q: PullQuery, o: MachinePullOptions = {}): Promise<MachinePullResult> {
  const session = new RealSession(root, {
    ...(o.credentials ? { credentials: o.credentials } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
  });
  const world = createRealWorld(session, { maxConcurrentDownloads: o.maxConcurrentDownloads });
  const driver = new RealDriver(world);
  if (o.onMessage) driver.onDeliver = o.onMessage;
  const line = `docker pull ${q.fromImage}${q.tag ? (q.tag.startsWith('sha256:') ? `@${q.tag}` : `:${q.tag}`) : ''}`;
  world.wire.startCommand(0, line);
  let answered: (msg: Message) => void = () => undefined;
  const reply = new Promise<Message>((resolve) => (answered = resolve));
  const client = createActor(fromCallback<{ type: 'reply'; msg: Message }>(({ receive }) => receive((e) => answered(e.msg))));
  client.start();
  const query: Record<string, string> = { fromImage: q.fromImage, ...(q.tag ? { tag: q.tag } : {}), ...(q.platform ? { platform: q.platform } : {}) };
  world.wire.request(client, draft('CLI', 'dockerd', 'api.images.create', requestLine(q), { payload: { method: 'POST', path: '/v1.44/images/create', query } }));
  let ok = false;
  try {
    const msg = await reply;
    const status = Number(msg.status ?? 200);
    const body = (msg.payload ?? {}) as MachinePullResult['body'];
    const error = errorOf(body);
    ok = status < 400 && error === undefined;
    world.wire.exit(ok ? 0 : 1);
    const trace: Trace = { seed: 0, profile: 'v29', commands: [line], entries: world.wire.trace };
    await saveTrace(root, trace);
    return { status, body, ...(error === undefined ? {} : { error }), trace };
  } finally {
    driver.stop();
    client.stop();
    await session.finish(ok);
  }
}

// A pull, real, through the layer machines: the Engine API request goes onto the world's wire
// from the CLI participant (the real client on the other end of the socket), the dockerd machine
// runs its pull operation (src/layers/dockerd/ops/imagePull.ts) exactly as in simulation, and
// the real effects (world.ts) do the work each message stands for. The answer is the
// operation's own reply; the operation's trace is kept as the root's last trace (traces.ts).
import { draft } from '../../src/layers/post.ts';
import type { JsonObject } from '../../src/model/json.ts';
import type { Message } from '../../src/model/message.ts';
import type { Trace } from '../../src/model/trace.ts';
import type { Credentials } from '../image/registry/auth.ts';
import type { ProgressSink } from '../image/progress.ts';
import type { ImageRoot } from '../image/root.ts';
import { RealSession } from './session.ts';
import { saveTrace } from './traces.ts';
import { GatewayCancelled, RealWorld } from './world.ts';

export interface MachinePullOptions {
  credentials?: Credentials;
  onProgress?: ProgressSink;
  timeoutMs?: number;
  /** dockerd's `max-concurrent-downloads` (3 when absent), for a world made for this pull. */
  maxConcurrentDownloads?: number | undefined;
  /** The engine's long-lived world; without it, a world is made for this one pull. */
  world?: RealWorld;
  /** Aborted when the client hangs up: the operation is cancelled through the machines. */
  signal?: AbortSignal;
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

function commandLine(q: PullQuery): string {
  return `docker pull ${q.fromImage}${q.tag ? (q.tag.startsWith('sha256:') ? `@${q.tag}` : `:${q.tag}`) : ''}`;
}

/** The answer, or the cancellation when the client hangs up first. */
function answerOrCancel(
  world: RealWorld,
  id: number,
  answer: Promise<Message>,
  signal: AbortSignal | undefined,
): Promise<Message> {
  if (signal === undefined) return answer;
  const cancel = (): void => world.cancel(id);
  if (signal.aborted) cancel();
  else signal.addEventListener('abort', cancel, { once: true });
  return answer.finally(() => signal.removeEventListener('abort', cancel));
}

/**
 * Pull through the machines. Concurrent requests for one image are shared by the API server
 * (engine/daemon/backend.ts), which also replays the progress to late joiners.
 */
export async function pullThroughMachines(
  root: ImageRoot,
  q: PullQuery,
  o: MachinePullOptions = {},
): Promise<MachinePullResult> {
  const own =
    o.world === undefined
      ? new RealWorld(root, { maxConcurrentDownloads: o.maxConcurrentDownloads })
      : undefined;
  const world = o.world ?? (own as RealWorld);
  const session = new RealSession(root, {
    ...(o.credentials ? { credentials: o.credentials } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
  });
  const line = commandLine(q);
  const query: Record<string, string> = {
    fromImage: q.fromImage,
    ...(q.tag ? { tag: q.tag } : {}),
    ...(q.platform ? { platform: q.platform } : {}),
  };
  const call = world.request(
    line,
    draft('CLI', 'dockerd', 'api.images.create', requestLine(q), {
      payload: { method: 'POST', path: '/v1.44/images/create', query },
    }),
    session,
  );
  let ok = false;
  try {
    const msg = await answerOrCancel(world, call.id, call.answer, o.signal);
    const status = Number(msg.status ?? 200);
    const body = (msg.payload ?? {}) as MachinePullResult['body'];
    const error = errorOf(body);
    ok = status < 400 && error === undefined;
    const entries = world.end(call.id);
    entries.push({ type: 'exit', command: 0, code: ok ? 0 : 1, at: world.clock.now() });
    const trace: Trace = { seed: 0, profile: 'v29', commands: [line], entries };
    await saveTrace(root, trace);
    return { status, body, ...(error === undefined ? {} : { error }), trace };
  } catch (error) {
    if (error instanceof GatewayCancelled)
      await saveTrace(root, { seed: 0, profile: 'v29', commands: [line], entries: world.end(call.id) });
    throw error;
  } finally {
    world.end(call.id);
    await session.finish(ok);
    own?.stop();
  }
}

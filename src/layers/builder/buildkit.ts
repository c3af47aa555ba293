import { digestOf, shortId, utf8Encode } from '../../model/digest.ts';
import { parseReference, type ImageReference } from '../../model/image.ts';
import type { JsonObject } from '../../model/json.ts';
import type { Message } from '../../model/message.ts';
import type { CtrdImage } from '../containerd/imageService.ts';
import { fromCtrd } from '../dockerd/ops/imageLookup.ts';
import { pull, pullFailure, type PullHost } from '../dockerd/ops/imagePull.ts';
import { asMessage } from '../dockerd/ops/request.ts';
import type { ImageRecord } from '../dockerd/records.ts';
import type { Effect, OperationProgram, TopicWaiters } from '../operation.ts';
import type { Builder, CachedResult } from './builder.ts';
import { exportImage } from './buildkitExport.ts';
import { Progress } from './buildkitProgress.ts';
import { runVertex } from './buildkitSteps.ts';
import type { BuildContext } from './context.ts';
import { DockerfileError, parseDockerfile, type Step } from './dockerfile.ts';
import { planLlb } from './llb.ts';

/**
 * BuildKit inside dockerd (profile v29: Engine 29, moby builder/builder-next with the containerd
 * image store). buildx's docker driver calls BuildKit's control API over the `/grpc` connection
 * dockerd hijacks for it (moby.buildkit.v1.Control Solve and Status), and BuildKit calls back
 * over the CLI's `/session` for the Dockerfile and the context (moby.filesync.v1.FileSync
 * DiffCopy): the context is pulled by the daemon, file by file, not pushed as one tar. The
 * dockerfile frontend turns the Dockerfile into LLB (llb.ts); the solver runs each op unless
 * cache.db has its cache key (`CACHED`); RUN steps run under BuildKit's own runc executor
 * (`runc run`, no containerd task, no shim); the exporter writes the image into containerd.
 */
export interface SolveJob {
  b: Builder;
  progress: Progress;
  session: string;
  /** The session's shared key (one per context directory): what was sent before is not sent again. */
  sharedKey: string;
  noCache: boolean;
  /** The image name the exporter writes (`docker.io/library/app:latest`), if any. */
  name: string | undefined;
}

type Gen<T> = Generator<ReturnType<Builder['call']> | Effect, T, unknown>;
type Failure = { error: string };

const OVERHEAD = 36;

/** `FileSync.DiffCopy` over the session: the CLI sends the files asked for (only changed ones cost bytes). */
function* diffCopy(
  job: SolveJob,
  dir: 'context' | 'dockerfile',
  followPaths: readonly string[],
): Gen<{ files: BuildContext; bytes: number }> {
  job.progress.flush();
  const reply = asMessage(
    yield job.b.call(
      'CLI',
      'session.DiffCopy',
      `/moby.filesync.v1.FileSync/DiffCopy (dir=${dir}, followpaths=${JSON.stringify(followPaths).slice(0, 40)})`,
      { payload: { session: job.session, dir, followPaths: [...followPaths] }, params: { dir } },
    ),
  );
  const files = (((reply?.payload ?? {}) as JsonObject).files ?? {}) as Record<string, string>;
  let bytes = Object.keys(files).length === 0 ? 2 : 0;
  for (const [path, text] of Object.entries(files)) {
    const key = `${job.sharedKey}:${dir}:${path}`;
    const sum = digestOf(text);
    bytes += job.b.sent.get(key) === sum ? 30 : utf8Encode(text).length + OVERHEAD;
    job.b.sent.set(key, sum);
  }
  return { files, bytes };
}

export function* solve(b: Builder, req: Message, waiters: TopicWaiters): OperationProgram {
  const p = (req.payload ?? {}) as JsonObject;
  const name = typeof p.name === 'string' ? p.name : undefined;
  const session = String(p.session ?? '');
  const job: SolveJob = {
    b,
    progress: new Progress(b, session),
    session,
    sharedKey: String(p.sharedKey ?? session),
    noCache: p.noCache === true,
    name,
  };
  const result = yield* solveSteps(job, String(p.filename ?? 'Dockerfile'));
  job.progress.flush();
  if ('error' in result)
    b.reply(req, `error: ${result.error}`, {
      ok: false,
      payload: { error: result.error },
      narration: 'buildkit.Solve.failed',
      params: { error: result.error },
    });
  else
    b.reply(req, `OK: ${shortId(result.digest)}`, {
      payload: {
        exporterResponse: { 'containerimage.digest': result.digest, ...(name ? { 'image.name': name } : {}) },
      },
      params: { id: shortId(result.digest) },
    });
  waiters.notify(`solved:${String(p.ref)}`, 'done');
}

/** `Control.Status`: the stream stays open until the solve it follows is over. */
function* status(b: Builder, req: Message): OperationProgram {
  yield { kind: 'waitFor', topic: `solved:${String(((req.payload ?? {}) as JsonObject).ref)}` };
  b.reply(req, 'stream closed (EOF)', { narration: 'buildkit.Status.reply' });
}

function* loadDefinition(job: SolveJob, filename: string): Gen<Step[] | Failure> {
  const v = job.progress.vertex(`[internal] load build definition from ${filename}`);
  const { files, bytes } = yield* diffCopy(job, 'dockerfile', [filename, `${filename}.dockerignore`]);
  job.progress.status(v, 'transferring dockerfile:', bytes);
  job.progress.done(v);
  const text = files[filename];
  if (text === undefined)
    return { error: `failed to read dockerfile: open ${filename}: no such file or directory` };
  try {
    const steps = parseDockerfile(text);
    job.b.self(
      'buildkit.frontend',
      `dockerfile.v0: parse ${filename}, convert ${steps.length} instructions to LLB`,
      { params: { count: steps.length } },
    );
    return steps;
  } catch (error) {
    if (!(error instanceof DockerfileError)) throw error;
    return { error: error.message.replace('dockerfile parse error line', 'dockerfile parse error on line') };
  }
}

/** The base image: containerd's image store first; if it is not there, BuildKit pulls it itself. */
interface Base {
  image: ImageRecord;
  /** Layers BuildKit had to fetch for it: the FROM step shows them. */
  fetched: ImageRecord['layers'];
}

function* resolveBase(job: SolveJob, ref: ImageReference): Gen<Base | Failure> {
  const v = job.progress.vertex(`[internal] load metadata for ${ref.string}`);
  job.progress.flush();
  const local = asMessage(
    yield job.b.call('containerd', 'ctrd.Images.Get', `Images.Get(${ref.string})`, {
      payload: { name: ref.string },
      params: { ref: ref.string },
      narration: 'buildkit.Images.Get',
    }),
  );
  if (local?.ok) {
    job.progress.done(v);
    return { image: fromCtrd(local.payload as unknown as CtrdImage), fetched: [] };
  }
  let record: ImageRecord | undefined;
  const host: PullHost = {
    profile: job.b.profile,
    ports: job.b.ports,
    images: new Map(),
    keepsImage: false,
    pulled: (r) => (record = r),
    call: (to, op, call, o) => job.b.call(to, op, call, { ...o, narration: 'buildkit.pull' }),
    self: (op, call, o) => job.b.self(op, call, o),
    emit: () => undefined,
    now: () => job.b.now(),
  };
  const result = yield* pull(host, ref);
  if (!Array.isArray(result) || !record) {
    const why = Array.isArray(result) ? 'no image' : pullFailure(result);
    job.progress.error(v, why);
    return { error: `${ref.string}: failed to resolve source metadata for ${ref.string}: ${why}` };
  }
  job.progress.done(v);
  const pulled = new Set(result.filter((m) => m.status === 'Pull complete').map((m) => String(m.id)));
  return { image: record, fetched: record.layers.filter((l) => pulled.has(shortId(l.digest))) };
}

function* solveSteps(job: SolveJob, filename: string): Gen<{ digest: string } | Failure> {
  const steps = yield* loadDefinition(job, filename);
  if ('error' in steps) return steps;
  const from = steps[0] as Extract<Step, { kind: 'FROM' }>;
  let ref: ImageReference;
  try {
    ref = parseReference(from.image);
  } catch (error) {
    return {
      error: `failed to parse stage name "${from.image}": ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const resolved = yield* resolveBase(job, ref);
  if ('error' in resolved) return resolved;
  const base = resolved.image;
  const ignore = job.progress.vertex('[internal] load .dockerignore');
  job.progress.status(
    ignore,
    'transferring context:',
    (yield* diffCopy(job, 'context', ['.dockerignore'])).bytes,
  );
  job.progress.done(ignore);
  const total =
    steps.filter((s) => s.kind === 'WORKDIR' || s.kind === 'COPY' || s.kind === 'ADD' || s.kind === 'RUN')
      .length + 1;
  const pinned = `${ref.string}@${base.repoDigest || base.target.digest}`;
  const fromVertex = job.progress.vertex(`[1/${total}] FROM ${pinned}`);
  job.progress.status(fromVertex, `resolve ${pinned}`);
  for (const l of resolved.fetched) job.progress.status(fromVertex, l.digest, l.size, l.size);
  for (const l of resolved.fetched) job.progress.status(fromVertex, `extracting ${l.digest}`);
  job.progress.done(fromVertex);
  const sources = steps.flatMap((s) => (s.kind === 'COPY' || s.kind === 'ADD' ? s.sources : []));
  let context: BuildContext = {};
  if (sources.length > 0) {
    const v = job.progress.vertex('[internal] load build context');
    const sent = yield* diffCopy(job, 'context', sources);
    context = sent.files;
    job.progress.status(v, 'transferring context:', sent.bytes);
    job.progress.done(v);
  }
  const plan = planLlb(steps, base.config.config ?? {}, digestOf(`docker-image://${pinned}`), context);
  if (plan.missing !== undefined)
    return {
      error: `failed to compute cache key: failed to calculate checksum of ref: "/${plan.missing}": not found`,
    };
  const results: CachedResult[] = [];
  let parent = base.layers.at(-1)?.chainId;
  for (const vertex of plan.vertices) {
    const result = yield* runVertex(job, vertex, parent, base);
    if ('error' in result) return result;
    results.push(result);
    parent = result.layer.chainId;
  }
  return yield* exportImage(job, base, plan, results);
}

export const BUILDKIT_HANDLERS: Record<
  string,
  (b: Builder, msg: Message, waiters: TopicWaiters) => OperationProgram
> = {
  'buildkit.Solve': solve,
  'buildkit.Status': (b, msg) => status(b, msg),
};

/** A RUN step's stdout and stderr, read from the pipes `runc run` was given. */
export function buildkitOutput(b: Builder, msg: Message): void {
  const e = (msg.payload ?? {}) as { containerId?: string; stream?: 'stdout' | 'stderr'; text?: string };
  b.pipes.get(String(e.containerId))?.(e.stream === 'stderr' ? 'stderr' : 'stdout', String(e.text ?? ''));
}

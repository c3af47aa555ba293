import { shortId } from '../../model/digest.ts';
import type { ContainerConfig } from '../../model/image.ts';
import type { JsonObject } from '../../model/json.ts';
import type { Message } from '../../model/message.ts';
import type { ImageRecord } from '../dockerd/records.ts';
import type { OperationProgram } from '../operation.ts';
import { short } from '../post.ts';
import { builtLayer } from '../dockerd/ops/buildImage.ts';
import { asMessage } from '../dockerd/ops/request.ts';
import { BuildStream, type Builder } from './builder.ts';
import { planCopy, type BuildContext } from './context.ts';
import { DockerfileError, parseDockerfile, type Step } from './dockerfile.ts';
import { applyMetadata, commitComment, type Metadata } from './runConfig.ts';

/**
 * The legacy builder of Engine 20.10 (moby builder/dockerfile), one instruction at a time, as
 * recorded on a real engine (test/fixtures/real-engine/k-build.txt):
 * - FROM looks the image up, or pulls it, through dockerd (`GetImageAndReleasableLayer`);
 * - every other instruction first asks the image cache for an image whose parent is the current
 *   one and whose run config is this step's (`ImageCache.GetCache`): a hit prints `Using cache`
 *   and changes nothing; `--no-cache` skips the question;
 * - ENV, CMD, WORKDIR… create a container that is never started, commit it (no file changed:
 *   an empty layer, except WORKDIR's new directory) and remove it;
 * - RUN creates, attaches, starts and waits for a container through dockerd → containerd →
 *   shim → runc, commits its writable layer as a layer, and removes it (kept when it fails);
 * - COPY needs no container: a new layer on the current one, the files copied in, committed.
 */
type Gen<T> = Generator<ReturnType<Builder['call']>, T, unknown>;

interface State {
  image: ImageRecord;
  config: ContainerConfig;
}

export interface StepFailure {
  message: string;
  code?: number;
}

interface Job {
  b: Builder;
  stream: BuildStream;
  context: BuildContext;
  noCache: boolean;
}

export function* legacyBuild(b: Builder, req: Message): OperationProgram {
  const p = (req.payload ?? {}) as JsonObject;
  const context = (p.files ?? {}) as BuildContext;
  const job: Job = { b, stream: new BuildStream(b, p.quiet === true), context, noCache: p.noCache === true };
  let steps: Step[];
  try {
    steps = parseDockerfile(context[String(p.dockerfile ?? 'Dockerfile')] ?? '');
  } catch (error) {
    if (!(error instanceof DockerfileError)) throw error;
    return b.reply(req, `error: ${error.message}`, {
      ok: false,
      payload: { parseError: error.message },
      narration: 'builder.build.parseError',
      params: { error: error.message },
    });
  }
  let state: State | undefined;
  for (const [i, step] of steps.entries()) {
    job.stream.text(`Step ${i + 1}/${steps.length} : ${step.original}`, '\n');
    const next = yield* dispatch(job, state, step);
    if ('message' in next) return fail(job, req, next);
    state = next;
  }
  const id = state?.image.id ?? '';
  job.stream.out({ aux: { ID: id } }, { stream: `Successfully built ${shortId(id)}\n` });
  if (p.quiet === true)
    b.event('CLI', 'build.output', `/build response: ${JSON.stringify({ stream: id })}`, {
      payload: { messages: [{ stream: `${id}\n` }] },
      params: { line: id },
    });
  job.stream.flush();
  b.reply(req, `built ${shortId(id)}`, { payload: { id }, params: { id: shortId(id) } });
}

function fail(job: Job, req: Message, failure: StepFailure): void {
  job.stream.flush();
  const payload: JsonObject = {
    error: failure.message,
    ...(failure.code === undefined ? {} : { code: failure.code }),
  };
  job.b.reply(req, `error: ${failure.message}`, {
    ok: false,
    payload,
    narration: 'builder.build.failed',
    params: { error: failure.message },
  });
}

function* dispatch(job: Job, state: State | undefined, step: Step): Gen<State | StepFailure> {
  if (step.kind === 'FROM') return yield* from(job, step.image);
  if (!state) return { message: 'Please provide a source image with `from` prior to commit' };
  if (step.kind === 'RUN') return yield* run(job, state, step.args);
  if (step.kind === 'COPY' || step.kind === 'ADD') return yield* copy(job, state, step);
  const meta = step as Metadata;
  const config = applyMetadata(state.config, meta);
  return yield* commit(
    job,
    state,
    config,
    commitComment(meta, config),
    meta.kind === 'WORKDIR' ? config.WorkingDir : undefined,
  );
}

function* from(job: Job, ref: string): Gen<State | StepFailure> {
  job.stream.flush();
  const reply = asMessage(
    yield job.b.call('dockerd', 'backend.GetImage', `GetImageAndReleasableLayer(${ref})`, {
      payload: { ref },
      params: { ref },
    }),
  );
  const p = (reply?.payload ?? {}) as JsonObject;
  if (Array.isArray(p.stream)) job.stream.out(...(p.stream as JsonObject[]));
  if (!reply?.ok) return { message: String(p.error ?? `No such image: ${ref}`) };
  const image = p.image as unknown as ImageRecord;
  job.stream.text(` ---> ${shortId(image.id)}\n`);
  return { image, config: { ...(image.config.config ?? {}) } };
}

/** `ImageCache.GetCache(parent, runConfig)`: the image a previous build made from the same step, if any. */
function* probeCache(job: Job, state: State, runConfig: ContainerConfig): Gen<ImageRecord | undefined> {
  if (job.noCache) return undefined;
  job.stream.flush();
  const what = (runConfig.Cmd ?? []).join(' ').replace(/^\/bin\/sh -c /, '');
  const reply = asMessage(
    yield job.b.call(
      'dockerd',
      'backend.GetCache',
      `ImageCache.GetCache(parent=${shortId(state.image.id)}, ${JSON.stringify(what.slice(0, 40))})`,
      {
        payload: { parent: state.image.id, runConfig: runConfig as JsonObject },
        params: { parent: shortId(state.image.id) },
      },
    ),
  );
  if (!reply?.ok) return undefined;
  const image = ((reply.payload ?? {}) as JsonObject).image as unknown as ImageRecord;
  job.stream.text(' ---> Using cache\n', ` ---> ${shortId(image.id)}\n`);
  return image;
}

/** Create the step's container: `ContainerCreateIgnoreImagesArgsEscaped` with the step's run config. */
function* create(job: Job, state: State, runConfig: ContainerConfig): Gen<string | StepFailure> {
  job.stream.flush();
  const reply = asMessage(
    yield job.b.call(
      'dockerd',
      'backend.ContainerCreate',
      `ContainerCreateIgnoreImagesArgsEscaped(image=${shortId(state.image.id)}, Cmd=${JSON.stringify(runConfig.Cmd ?? []).slice(0, 50)})`,
      { payload: { image: state.image.id, runConfig: runConfig as JsonObject } },
    ),
  );
  const p = (reply?.payload ?? {}) as JsonObject;
  if (!reply?.ok) return { message: String(p.message ?? 'container create failed') };
  const id = String(p.Id);
  job.stream.text(` ---> Running in ${short(id)}\n`);
  return id;
}

/** `CommitBuildStep`, then `ContainerRm`: the container's writable layer becomes the step's layer. */
function* commitAndRemove(
  job: Job,
  state: State,
  id: string,
  config: ContainerConfig,
  runConfig: ContainerConfig,
): Gen<State> {
  job.stream.flush();
  const committed = asMessage(
    yield job.b.call(
      'dockerd',
      'backend.CommitBuildStep',
      `CommitBuildStep(container=${short(id)}, parent=${shortId(state.image.id)})`,
      { payload: { id, config: config as JsonObject, runConfig: runConfig as JsonObject } },
    ),
  );
  const image = ((committed?.payload ?? {}) as JsonObject).image as unknown as ImageRecord;
  yield job.b.call(
    'dockerd',
    'backend.ContainerRm',
    `ContainerRm(${short(id)}, RemoveVolume=true, ForceRemove=true)`,
    { payload: { id } },
  );
  job.stream.text(`Removing intermediate container ${short(id)}\n`, ` ---> ${shortId(image.id)}\n`);
  return { image, config };
}

/** A metadata step: a container that never runs, committed with the step in its Cmd. */
function* commit(
  job: Job,
  state: State,
  config: ContainerConfig,
  runConfig: ContainerConfig,
  workdir: string | undefined,
): Gen<State | StepFailure> {
  const cached = yield* probeCache(job, state, runConfig);
  if (cached) return { image: cached, config };
  const id = yield* create(job, state, runConfig);
  if (typeof id !== 'string') return id;
  if (workdir !== undefined) {
    yield job.b.call(
      'dockerd',
      'backend.ContainerCreateWorkdir',
      `ContainerCreateWorkdir(${short(id)}): mkdir -p ${workdir}`,
      { payload: { id, dir: workdir } },
    );
  }
  return yield* commitAndRemove(job, state, id, config, runConfig);
}

function* run(job: Job, state: State, args: string[]): Gen<State | StepFailure> {
  const runConfig: ContainerConfig = { ...state.config, Cmd: args };
  delete runConfig.Entrypoint;
  const cached = yield* probeCache(job, state, runConfig);
  if (cached) return { image: cached, config: state.config };
  const id = yield* create(job, state, runConfig);
  if (typeof id !== 'string') return id;
  job.stream.flush();
  yield job.b.call(
    'dockerd',
    'backend.ContainerAttachRaw',
    `ContainerAttachRaw(${short(id)}, stdout, stderr, stream=true)`,
    { payload: { id } },
  );
  const started = asMessage(
    yield job.b.call('dockerd', 'backend.ContainerStart', `ContainerStart(${short(id)})`, {
      payload: { id },
    }),
  );
  if (!started?.ok)
    return { message: String(((started?.payload ?? {}) as JsonObject).message ?? 'start failed') };
  const waited = asMessage(
    yield job.b.call('dockerd', 'backend.ContainerWait', `ContainerWait(${short(id)}, not-running)`, {
      payload: { id },
    }),
  );
  const code = Number(((waited?.payload ?? {}) as JsonObject).StatusCode ?? 0);
  // A failed step keeps its container (--rm removes intermediate containers after success only).
  if (code !== 0)
    return { message: `The command '${args.join(' ')}' returned a non-zero code: ${code}`, code };
  return yield* commitAndRemove(job, state, id, state.config, runConfig);
}

/** COPY: no container; a layer of the layer store, the files copied in, then `CreateImage`. */
function* copy(
  job: Job,
  state: State,
  step: Extract<Step, { kind: 'COPY' | 'ADD' }>,
): Gen<State | StepFailure> {
  const plan = planCopy(job.context, step.sources, step.dest, state.config.WorkingDir ?? '/');
  if ('missing' in plan)
    return {
      message: `${step.kind} failed: file not found in build context or excluded by .dockerignore: stat ${plan.missing}: file does not exist`,
    };
  const runConfig: ContainerConfig = {
    ...state.config,
    Cmd: ['/bin/sh', '-c', `#(nop) ${step.kind} ${plan.hash} in ${step.dest} `],
  };
  const cached = yield* probeCache(job, state, runConfig);
  if (cached) return { image: cached, config: state.config };
  job.stream.flush();
  const parent = state.image.layers.at(-1)?.chainId;
  const key = `build-${job.b.id()}`;
  yield job.b.call(
    'Storage',
    'storage.prepare',
    `layer store CreateRWLayer → overlay2 Create(${key.slice(6, 18)}, parent=${parent?.slice(7, 19) ?? '-'})`,
    { payload: { driver: 'overlay2', key, ...(parent ? { parent } : {}) } },
  );
  const files = plan.files.map((f) => ({ path: f.dest, size: f.size }));
  yield job.b.call(
    'Storage',
    'storage.write',
    `docker-untar ${plan.files
      .map((f) => f.src)
      .join(' ')
      .slice(0, 40)} → ${step.dest} of the new layer`,
    { payload: { driver: 'overlay2', key, files } },
  );
  // The copied files keep their context mtimes: the same contents give the same layer.
  const layer = builtLayer(parent, `${step.kind} ${plan.hash} ${step.dest}`, files, 0);
  yield job.b.call(
    'Storage',
    'storage.commit',
    `rwLayer.Commit(): register layer ${layer.chainId.slice(7, 19)}…`,
    { payload: { driver: 'overlay2', key, name: layer.chainId } },
  );
  const reply = asMessage(
    yield job.b.call(
      'dockerd',
      'backend.CreateImage',
      `CreateImage(config, parent=${shortId(state.image.id)})`,
      {
        payload: {
          parent: state.image.id,
          config: state.config as JsonObject,
          runConfig: runConfig as JsonObject,
          layer: layer as unknown as JsonObject,
        },
      },
    ),
  );
  const image = ((reply?.payload ?? {}) as JsonObject).image as unknown as ImageRecord;
  job.stream.text(` ---> ${shortId(image.id)}\n`);
  return { image, config: state.config };
}

import { digestOf } from '../../model/digest.ts';
import type { ContainerConfig } from '../../model/image.ts';
import { type BuildContext, planCopy, type CopyPlan } from './context.ts';
import { expandVars, type Step } from './dockerfile.ts';
import { applyMetadata, goQuoteList, type Metadata } from './runConfig.ts';

/**
 * BuildKit's dockerfile frontend (dockerfile.v0, moby/buildkit frontend/dockerfile/dockerfile2llb)
 * turns the Dockerfile into an LLB graph: FROM is a source op, WORKDIR and COPY are file ops,
 * RUN is an exec op; ENV, CMD and the other metadata instructions only change the image config
 * the exporter writes. Each op's cache key digests the op and its input's key (COPY also the
 * checksum of the files it reads), so an unchanged step on an unchanged parent is `CACHED`.
 * The progress numbers them `[i/n]`, FROM first.
 */
export interface Vertex {
  kind: 'WORKDIR' | 'COPY' | 'RUN';
  step: Step;
  /** `[2/4] WORKDIR /app`, as the progress names it (RUN with the build's variables expanded). */
  name: string;
  cacheKey: string;
  /** The config at this point: env and working directory for RUN, WORKDIR and COPY. */
  config: ContainerConfig;
  copy?: CopyPlan;
  args?: string[];
}

export interface HistoryLine {
  createdBy: string;
  emptyLayer: boolean;
  /** The vertex whose layer this entry describes. */
  vertex?: number;
}

export interface LlbPlan {
  vertices: Vertex[];
  history: HistoryLine[];
  config: ContainerConfig;
  /** `COPY` sources that are not in the context. */
  missing?: string;
}

const SHELL = /^\/bin\/sh -c /;

function createdBy(step: Step, config: ContainerConfig): string {
  switch (step.kind) {
    case 'RUN':
      return `RUN ${step.args.join(' ')} # buildkit`;
    case 'COPY':
    case 'ADD':
      return `${step.original.replace(/^\S+/, step.kind)} # buildkit`;
    case 'WORKDIR':
      return `WORKDIR ${config.WorkingDir ?? '/'}`;
    case 'EXPOSE':
      return `EXPOSE map[${Object.keys(config.ExposedPorts ?? {})
        .sort()
        .map((p) => `${p}:{}`)
        .join(' ')}]`;
    case 'CMD':
    case 'ENTRYPOINT':
      return `${step.kind} ${goQuoteList(step.args)}`;
    case 'ENV':
    case 'LABEL':
      return `${step.kind} ${step.pairs.map(([k, v]) => `${k}=${v}`).join(' ')}`;
    case 'USER':
      return `USER ${step.user}`;
    case 'FROM':
      return '';
  }
}

export function planLlb(
  steps: readonly Step[],
  base: ContainerConfig,
  baseKey: string,
  context: BuildContext,
): LlbPlan {
  const layered = steps.filter(
    (s) => s.kind === 'WORKDIR' || s.kind === 'COPY' || s.kind === 'ADD' || s.kind === 'RUN',
  );
  const total = layered.length + 1;
  let config: ContainerConfig = { ...base };
  let key = baseKey;
  const vertices: Vertex[] = [];
  const history: HistoryLine[] = [];
  for (const step of steps.slice(1)) {
    if (step.kind === 'RUN') {
      key = digestOf(
        `${key} exec ${JSON.stringify(step.args)} env=${(config.Env ?? []).join(',')} cwd=${config.WorkingDir ?? '/'}`,
      );
      const shown = step.args.join(' ').replace(SHELL, '');
      vertices.push({
        kind: 'RUN',
        step,
        name: `[${vertices.length + 2}/${total}] RUN ${expandVars(shown, config.Env ?? [])}`,
        cacheKey: key,
        config,
        args: step.args,
      });
    } else if (step.kind === 'COPY' || step.kind === 'ADD') {
      const copy = planCopy(context, step.sources, step.dest, config.WorkingDir ?? '/');
      if ('missing' in copy) return { vertices, history, config, missing: copy.missing };
      key = digestOf(`${key} copy ${copy.hash} ${copy.files.map((f) => f.dest).join(',')}`);
      vertices.push({
        kind: 'COPY',
        step,
        name: `[${vertices.length + 2}/${total}] ${step.original}`,
        cacheKey: key,
        config,
        copy,
      });
    } else if (step.kind !== 'FROM') {
      config = applyMetadata(config, step as Metadata);
      if (step.kind === 'WORKDIR') {
        key = digestOf(`${key} mkdir ${config.WorkingDir ?? '/'}`);
        vertices.push({
          kind: 'WORKDIR',
          step,
          name: `[${vertices.length + 2}/${total}] WORKDIR ${step.path}`,
          cacheKey: key,
          config,
        });
      }
    }
    const own = vertices.at(-1)?.step === step;
    history.push({
      createdBy: createdBy(step, config),
      emptyLayer: !own,
      ...(own ? { vertex: vertices.length - 1 } : {}),
    });
  }
  return { vertices, history, config: { ...config, ArgsEscaped: true } };
}

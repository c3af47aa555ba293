import { describe, expect, it } from 'vitest';
import type { ContainerConfig } from '../../../src/model/image.ts';
import { planCopy, tarSize } from '../../../src/layers/builder/context.ts';
import { DockerfileError, expandVars, parseDockerfile } from '../../../src/layers/builder/dockerfile.ts';
import { planLlb } from '../../../src/layers/builder/llb.ts';
import { applyMetadata, commitComment } from '../../../src/layers/builder/runConfig.ts';

/** The Dockerfile and context the real engine built in test/fixtures/real-engine/k-build.txt. */
const DOCKERFILE =
  'FROM busybox\nENV GREETING=hello\nWORKDIR /app\nCOPY hello.txt .\nRUN echo "$GREETING from RUN" && echo hi > /app/hi.txt\nCMD ["cat", "/app/hello.txt"]\n';
const CONTEXT = { Dockerfile: DOCKERFILE, 'hello.txt': 'hello from the build context\n' };

const parseError = (text: string): string => {
  try {
    parseDockerfile(text);
  } catch (error) {
    if (error instanceof DockerfileError) return error.message;
    throw error;
  }
  return 'parsed';
};

describe('the Dockerfile parser', () => {
  it('reads the recorded Dockerfile: six instructions, as written, with their forms', () => {
    const steps = parseDockerfile(DOCKERFILE);
    expect(steps.map((s) => s.original)).toEqual(DOCKERFILE.trim().split('\n'));
    expect(steps.map((s) => s.kind)).toEqual(['FROM', 'ENV', 'WORKDIR', 'COPY', 'RUN', 'CMD']);
    expect(steps[4]).toMatchObject({
      args: ['/bin/sh', '-c', 'echo "$GREETING from RUN" && echo hi > /app/hi.txt'],
      shellForm: true,
    });
    expect(steps[5]).toMatchObject({ args: ['cat', '/app/hello.txt'], shellForm: false });
    expect(steps[3]).toMatchObject({ sources: ['hello.txt'], dest: '.' });
  });

  it('joins continuation lines, skips comments, takes instructions in any case and both ENV forms', () => {
    const steps = parseDockerfile(
      '# a comment\nfrom busybox\n\nrun echo a \\\n    && echo b\nENV A 1 2\nEnv B="x y" C=z\n',
    );
    expect(steps.map((s) => s.kind)).toEqual(['FROM', 'RUN', 'ENV', 'ENV']);
    expect(steps[1]).toMatchObject({ line: 4, args: ['/bin/sh', '-c', 'echo a     && echo b'] });
    expect(steps[2]).toMatchObject({ pairs: [['A', '1 2']] });
    expect(steps[3]).toMatchObject({
      pairs: [
        ['B', 'x y'],
        ['C', 'z'],
      ],
    });
  });

  it("refuses with the builders' texts: unknown instruction (recorded), empty file, no FROM first", () => {
    expect(parseError('FROM busybox\nFROBNICATE x\n')).toBe(
      'dockerfile parse error line 2: unknown instruction: FROBNICATE',
    );
    expect(parseError('# nothing\n')).toBe('the Dockerfile (Dockerfile) cannot be empty');
    expect(parseError('RUN true\n')).toBe('dockerfile parse error line 1: no build stage in current context');
    expect(parseError('FROM busybox\nCOPY onlyone\n')).toMatch(
      /^dockerfile parse error line 2: COPY requires at least two arguments/,
    );
  });

  it('says which real instructions it does not simulate rather than calling them unknown', () => {
    expect(parseError('FROM busybox\nARG V=1\n')).toBe(
      'dockstep does not simulate the ARG instruction yet (line 2)',
    );
    expect(parseError('FROM busybox AS base\n')).toMatch(/^dockstep simulates one build stage/);
  });

  it('expands $NAME and ${NAME} from ENV for WORKDIR, COPY and ENV values', () => {
    expect(expandVars('$HOME/x ${A}-$B', ['HOME=/root', 'A=1'])).toBe('/root/x 1-');
  });
});

describe('what the instructions do to the run config', () => {
  const steps = parseDockerfile(DOCKERFILE);
  const base: ContainerConfig = { Env: ['PATH=/bin'], Cmd: ['sh'] };

  it('ENV, WORKDIR and CMD only change the config', () => {
    let config = base;
    for (const s of steps.slice(1))
      if (s.kind === 'ENV' || s.kind === 'WORKDIR' || s.kind === 'CMD') config = applyMetadata(config, s);
    expect(config).toEqual({
      Env: ['PATH=/bin', 'GREETING=hello'],
      Cmd: ['cat', '/app/hello.txt'],
      WorkingDir: '/app',
    });
  });

  it('commits a metadata step with the #(nop) Cmd whose join is the created_by the real engine recorded', () => {
    const env = steps[1] as Parameters<typeof commitComment>[0];
    const workdir = steps[2] as Parameters<typeof commitComment>[0];
    const cmd = steps[5] as Parameters<typeof commitComment>[0];
    const join = (s: Parameters<typeof commitComment>[0]) =>
      (commitComment(s, applyMetadata(base, s)).Cmd ?? []).join(' ');
    expect(join(env)).toBe('/bin/sh -c #(nop)  ENV GREETING=hello');
    expect(join(workdir)).toBe('/bin/sh -c #(nop) WORKDIR /app');
    expect(join(cmd)).toBe('/bin/sh -c #(nop)  CMD ["cat" "/app/hello.txt"]');
  });
});

describe('the build context', () => {
  it('weighs 3072 bytes as a tar, as the CLI printed ("Sending build context to Docker daemon  3.072kB")', () => {
    expect(tarSize(CONTEXT)).toBe(3072);
  });

  it('places COPY sources under WORKDIR and names them by content: file:, dir:, multi:', () => {
    const one = planCopy(CONTEXT, ['hello.txt'], '.', '/app');
    expect(one).toMatchObject({ files: [{ src: 'hello.txt', dest: '/app/hello.txt', size: 29 }] });
    expect('hash' in one && one.hash).toMatch(/^file:[0-9a-f]{64}$/);
    const same = planCopy({ ...CONTEXT, other: 'x' }, ['hello.txt'], '.', '/app');
    expect('hash' in same && 'hash' in one && same.hash === one.hash).toBe(true);
    const changed = planCopy({ ...CONTEXT, 'hello.txt': 'changed\n' }, ['hello.txt'], '.', '/app');
    expect('hash' in changed && 'hash' in one && changed.hash !== one.hash).toBe(true);
    expect(planCopy(CONTEXT, ['.'], '/dst/', '/')).toMatchObject({
      hash: expect.stringMatching(/^dir:/),
      files: [{ dest: '/dst/Dockerfile' }, { dest: '/dst/hello.txt' }],
    });
    expect(planCopy(CONTEXT, ['Dockerfile', 'hello.txt'], '/dst/', '/')).toMatchObject({
      hash: expect.stringMatching(/^multi:/),
    });
    expect(planCopy(CONTEXT, ['nosuch'], '.', '/')).toEqual({ missing: 'nosuch' });
  });
});

describe("BuildKit's LLB plan", () => {
  const steps = parseDockerfile(DOCKERFILE);
  const plan = planLlb(steps, { Env: ['PATH=/bin'], Cmd: ['sh'] }, 'sha256:base', CONTEXT);

  it('has a vertex for WORKDIR, COPY and RUN only, numbered after FROM, RUN shown with ENV expanded (recorded names)', () => {
    expect(plan.vertices.map((v) => v.name)).toEqual([
      '[2/4] WORKDIR /app',
      '[3/4] COPY hello.txt .',
      '[4/4] RUN echo "hello from RUN" && echo hi > /app/hi.txt',
    ]);
  });

  it('writes the history the recorded BuildKit image has: created_by, and empty layers for ENV and CMD', () => {
    expect(plan.history).toEqual([
      { createdBy: 'ENV GREETING=hello', emptyLayer: true },
      { createdBy: 'WORKDIR /app', emptyLayer: false, vertex: 0 },
      { createdBy: 'COPY hello.txt . # buildkit', emptyLayer: false, vertex: 1 },
      {
        createdBy: 'RUN /bin/sh -c echo "$GREETING from RUN" && echo hi > /app/hi.txt # buildkit',
        emptyLayer: false,
        vertex: 2,
      },
      { createdBy: 'CMD ["cat" "/app/hello.txt"]', emptyLayer: true },
    ]);
    expect(plan.config).toEqual({
      Env: ['PATH=/bin', 'GREETING=hello'],
      Cmd: ['cat', '/app/hello.txt'],
      WorkingDir: '/app',
      ArgsEscaped: true,
    });
  });

  it("chains cache keys: same input, same keys; a changed file changes COPY's key and everything after it", () => {
    const again = planLlb(steps, { Env: ['PATH=/bin'], Cmd: ['sh'] }, 'sha256:base', CONTEXT);
    expect(again.vertices.map((v) => v.cacheKey)).toEqual(plan.vertices.map((v) => v.cacheKey));
    const changed = planLlb(steps, { Env: ['PATH=/bin'], Cmd: ['sh'] }, 'sha256:base', {
      ...CONTEXT,
      'hello.txt': 'other\n',
    });
    expect(changed.vertices.map((v, i) => v.cacheKey === plan.vertices[i]?.cacheKey)).toEqual([
      true,
      false,
      false,
    ]);
  });
});

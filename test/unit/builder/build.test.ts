import { describe, expect, it } from 'vitest';
import { PROFILES, type Profile, type Trace } from '../../../src/model/trace.ts';
import { messagesOf } from '../../../src/views/trace.ts';
import { Simulation } from '../../../src/sim/simulation.ts';

/**
 * `docker build` as a run: what the second build reuses, what --no-cache and a changed file
 * undo, how a missing context or Dockerfile fails in each builder, and that the image runs.
 */
const DOCKERFILE =
  'FROM busybox\nENV GREETING=hello\nWORKDIR /app\nCOPY hello.txt .\nRUN echo "$GREETING from RUN" && echo hi > /app/hi.txt\nCMD ["cat", "/app/hello.txt"]\n';
const FILES = {
  '/src/app/Dockerfile': DOCKERFILE,
  '/src/app/hello.txt': 'hello from the build context\n',
  '/src/changed/Dockerfile': DOCKERFILE,
  '/src/changed/hello.txt': 'a different file\n',
  '/src/fail/Dockerfile': 'FROM busybox\nRUN echo failing && exit 3\n',
  '/src/empty/readme': 'no Dockerfile here\n',
};
const BUILD = 'docker build -t app /src/app';

function run(profile: Profile, lines: string[]): Trace {
  return new Simulation(lines, { profile, files: FILES, setup: ['docker pull busybox'] }).runToEnd();
}

const of = (trace: Trace, command: number) => messagesOf(trace).filter((m) => m.command === command);
const out = (trace: Trace, command: number, stream?: 'stdout' | 'stderr') =>
  trace.entries
    .filter((e) => e.type === 'output' && e.command === command && (!stream || e.stream === stream))
    .map((e) => (e.type === 'output' ? e.text : ''))
    .join('');
const exitOf = (trace: Trace, command: number) =>
  trace.entries.find((e) => e.type === 'exit' && e.command === command)?.type === 'exit'
    ? (trace.entries.find((e) => e.type === 'exit' && e.command === command) as { code: number }).code
    : undefined;
const imageId = (trace: Trace, command: number) =>
  /IMAGE ID\n?[^\n]*\n(?:\S+\s+){2}([0-9a-f]{12})/.exec(out(trace, command))?.[1];

describe('the legacy builder (classic)', () => {
  it('the second build creates no container and runs nothing: every step is a cache hit', () => {
    const t = run('classic', [BUILD, BUILD]);
    const second = of(t, 1);
    expect(second.filter((m) => m.op === 'backend.GetCache' && m.kind === 'request')).toHaveLength(5);
    expect(second.filter((m) => m.op === 'backend.GetCache' && m.kind === 'reply').every((m) => m.ok)).toBe(
      true,
    );
    expect(
      second.some((m) => m.op === 'backend.ContainerCreate' || m.to === 'runc' || m.to === 'Storage'),
    ).toBe(false);
    expect(out(t, 1).match(/---> Using cache/g)).toHaveLength(5);
  });

  it('--no-cache asks the cache nothing, runs every step again and makes a new image; the old one is <none>', () => {
    const t = run('classic', [BUILD, 'docker build --no-cache -t app /src/app', 'docker images']);
    expect(of(t, 1).some((m) => m.op === 'backend.GetCache')).toBe(false);
    expect(of(t, 1).filter((m) => m.op === 'backend.ContainerCreate' && m.kind === 'request')).toHaveLength(
      4,
    );
    expect(out(t, 1)).not.toContain('Using cache');
    expect(out(t, 2)).toMatch(/^<none>\s+<none>\s+[0-9a-f]{12}/m);
  });

  it('a changed file misses the cache from COPY on; the steps before it still hit', () => {
    const t = run('classic', [BUILD, 'docker build -t app2 /src/changed']);
    const lines = out(t, 1).split('\n');
    const after = (step: string) => lines[lines.findIndex((l) => l.startsWith(step)) + 1];
    expect(after('Step 2/6')).toBe(' ---> Using cache');
    expect(after('Step 3/6')).toBe(' ---> Using cache');
    expect(after('Step 4/6')).not.toBe(' ---> Using cache');
    expect(after('Step 5/6')).toMatch(/^ ---> Running in [0-9a-f]{12}$/);
  });

  it("a failed RUN exits with the command's status and keeps its container", () => {
    const t = run('classic', ['docker build -t f /src/fail', 'docker ps -a']);
    expect(exitOf(t, 0)).toBe(3);
    expect(out(t, 0, 'stderr')).toContain(
      "The command '/bin/sh -c echo failing && exit 3' returned a non-zero code: 3\n",
    );
    expect(out(t, 1)).toMatch(/Exited \(3\)/);
  });
});

describe('BuildKit (v29)', () => {
  it('the second build runs nothing: WORKDIR, COPY and RUN are CACHED, and the image is the same', () => {
    const t = run('v29', [BUILD, 'docker images', BUILD, 'docker images']);
    expect(
      of(t, 2).some(
        (m) => m.op === 'runc.run' || m.op === 'ctrd.Snapshots.Prepare' || m.op === 'ctrd.Diff.Diff',
      ),
    ).toBe(false);
    expect(out(t, 2, 'stderr').match(/^#\d+ CACHED$/gm)).toHaveLength(3);
    expect(imageId(t, 3)).toBe(imageId(t, 1));
  });

  it('runs RUN with runc run, not through containerd and a shim', () => {
    const first = of(run('v29', [BUILD]), 0);
    expect(
      first.filter((m) => m.op === 'runc.run' && m.kind === 'request' && m.from === 'Builder'),
    ).toHaveLength(1);
    expect(first.some((m) => m.to === 'shim' || m.op === 'ctrd.Tasks.Create')).toBe(false);
  });

  it('--no-cache runs every op again and gives a new image', () => {
    const t = run('v29', [
      BUILD,
      'docker images',
      'docker build --no-cache -t app /src/app',
      'docker images',
    ]);
    expect(out(t, 2, 'stderr')).not.toContain('CACHED');
    expect(of(t, 2).filter((m) => m.op === 'runc.run' && m.kind === 'request')).toHaveLength(1);
    expect(imageId(t, 3)).not.toBe(imageId(t, 1));
  });

  it('a changed file makes COPY and RUN run again; WORKDIR stays CACHED', () => {
    const text = out(run('v29', [BUILD, 'docker build -t app2 /src/changed']), 1, 'stderr');
    expect(text).toMatch(/\[2\/4\] WORKDIR \/app\n#\d+ CACHED/);
    expect(text).toMatch(/\[3\/4\] COPY hello.txt \.\n#\d+ DONE/);
  });

  it('a failed RUN says which step failed and exits 1', () => {
    const t = run('v29', ['docker build -t f /src/fail']);
    expect(exitOf(t, 0)).toBe(1);
    expect(out(t, 0, 'stderr')).toContain(
      '------\n > [2/2] RUN echo failing && exit 3:\nfailing\n------\nERROR: failed to solve: process "/bin/sh -c echo failing && exit 3" did not complete successfully: exit code: 3\n',
    );
  });
});

describe('a missing context or Dockerfile', () => {
  it('the legacy CLI checks the host before it calls the daemon (exit 1)', () => {
    const t = run('classic', ['docker build /nosuch', 'docker build /src/empty']);
    expect(out(t, 0, 'stderr')).toMatch(/unable to prepare context: path "\/nosuch" not found\n$/);
    expect(out(t, 1, 'stderr')).toMatch(
      /unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat \/src\/empty\/Dockerfile: no such file or directory\n$/,
    );
    expect([exitOf(t, 0), exitOf(t, 1)]).toEqual([1, 1]);
    expect(of(t, 1).some((m) => m.op === 'api.build')).toBe(false);
  });

  it('with BuildKit the daemon finds out, when it asks the session for the Dockerfile (exit 1)', () => {
    const t = run('v29', ['docker build /nosuch', 'docker build /src/empty']);
    expect(out(t, 0, 'stderr')).toBe('ERROR: unable to prepare context: path "/nosuch" not found\n');
    expect(out(t, 1, 'stderr')).toMatch(
      /#1 transferring dockerfile: 2B done\n#1 DONE 0\.0s\nERROR: failed to solve: failed to read dockerfile: open Dockerfile: no such file or directory\n$/,
    );
    expect(of(t, 1).some((m) => m.op === 'session.DiffCopy' && m.from === 'Builder')).toBe(true);
    expect([exitOf(t, 0), exitOf(t, 1)]).toEqual([1, 1]);
  });
});

describe('the built image', () => {
  for (const profile of PROFILES) {
    it(`runs with the base image's programs and holds what the build wrote (${profile})`, () => {
      const t = run(profile, [BUILD, 'docker run --rm app echo from the built image', 'docker history app']);
      expect(out(t, 1)).toBe('from the built image\n');
      expect(out(t, 2)).toMatch(/ 3B /);
      expect(out(t, 2)).toMatch(/ 29B /);
    });
  }
});

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Profile, Trace } from '../../src/model/trace.ts';
import { Simulation } from '../../src/sim/simulation.ts';

/**
 * `docker build` against test/fixtures/real-engine/k-build.txt: a private dockerd 20.10.24
 * (`--bridge=none --ip-forward=false`, so no network events and a forwarding warning after each
 * container the builder creates — both left out here), built with CLI 20.10 (no notice) and
 * CLI 28.2.2 without buildx (the legacy builder's DEPRECATED notice on stderr), and with the
 * engine's embedded BuildKit (CLI 20.10, DOCKER_BUILDKIT=1). The simulation gets the same files
 * at the same paths, so the CLI's error texts can be compared byte for byte; ids are compared by
 * the order they appear in.
 */
const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'real-engine', 'k-build.txt');
const CTX = '/tmp/buildrec/ctx';

const FILES: Readonly<Record<string, string>> = {
  [`${CTX}/app/Dockerfile`]:
    'FROM busybox\nENV GREETING=hello\nWORKDIR /app\nCOPY hello.txt .\nRUN echo "$GREETING from RUN" && echo hi > /app/hi.txt\nCMD ["cat", "/app/hello.txt"]\n',
  [`${CTX}/app/hello.txt`]: 'hello from the build context\n',
  [`${CTX}/fail/Dockerfile`]: 'FROM busybox\nRUN exit 3\n',
  [`${CTX}/fail/Dockerfile.unknown`]: 'FROM busybox\nFROBNICATE x\n',
  [`${CTX}/nodf/readme.txt`]: 'x\n',
};

interface Recorded {
  line: string;
  stdout: string;
  stderr: string;
  exitCode: number;
}

function recorded(): Recorded[] {
  const lines = readFileSync(FIXTURE, 'utf8').split('\n');
  const out: Recorded[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!(lines[i] ?? '').startsWith('$ ')) continue;
    const block: string[] = [];
    let j = i + 3;
    while (!(lines[j] ?? '').startsWith('--- exit code:')) block.push(lines[j++] ?? '');
    const split = block.indexOf('--- stderr:');
    const text = (part: string[]) => (part.length ? `${part.join('\n')}\n` : '');
    out.push({
      line: (lines[i] ?? '').slice(2),
      stdout: text(block.slice(0, split)),
      stderr: text(block.slice(split + 1)),
      exitCode: Number((lines[j] ?? '').slice(15)),
    });
    i = j;
  }
  return out;
}

const REAL = recorded();
const real = (line: string, nth = 0): Recorded => {
  const found = REAL.filter((r) => r.line === line)[nth];
  if (!found) throw new Error(`k-build.txt has no command ${line}`);
  return found;
};

/** Ids by order of appearance; the builder's forwarding warning (a daemon flag of the capture) dropped. */
function normalise(text: string): string {
  const ids = new Map<string, string>();
  return text
    .split('\n')
    .filter((l) => !l.includes('[Warning] IPv4 forwarding is disabled'))
    .join('\n')
    .replace(
      /\b[0-9a-f]{12}\b/g,
      (id) => ids.get(id) ?? (ids.set(id, `<id${ids.size + 1}>`), `<id${ids.size}>`),
    );
}

interface Result {
  stdout: string;
  stderr: string;
  exitCode: number;
}

function simulate(
  lines: string[],
  profile: Profile,
  cwd = `${CTX}/app`,
): { trace: Trace; results: Result[] } {
  const trace = new Simulation(lines, {
    profile,
    files: FILES,
    cwd,
    setup: ['docker pull busybox'],
  }).runToEnd();
  const results = lines.map((_, i) => {
    const out = (stream: 'stdout' | 'stderr') =>
      trace.entries
        .filter((e) => e.type === 'output' && e.command === i && e.stream === stream)
        .map((e) => (e.type === 'output' ? e.text : ''))
        .join('');
    const exit = trace.entries.find((e) => e.type === 'exit' && e.command === i);
    return { stdout: out('stdout'), stderr: out('stderr'), exitCode: exit?.type === 'exit' ? exit.code : -1 };
  });
  return { trace, results };
}

const NOTICE = real('/usr/local/bin/docker build -t app .').stderr;

describe('fidelity: docker build with the legacy builder (classic, as dockerd 20.10 + CLI 28 without buildx)', () => {
  const { trace, results } = simulate(
    [
      'docker build -t app .',
      'docker build -t app .',
      'docker history --no-trunc app',
      'docker build --no-cache -t app .',
    ],
    'classic',
  );

  it("prints the legacy builder's DEPRECATED notice on stderr, as CLI 28 without buildx does", () => {
    expect(NOTICE).toMatch(/^DEPRECATED: The legacy builder is deprecated/);
    expect(results[0]?.stderr).toBe(NOTICE);
  });

  it('prints the first build step by step, as the real engine did', () => {
    expect(normalise(results[0]?.stdout ?? '')).toBe(
      normalise(real('/usr/bin/docker build -t app .', 0).stdout),
    );
    expect(results[0]?.exitCode).toBe(0);
  });

  it('finds every step in the cache the second time (Using cache)', () => {
    expect(normalise(results[1]?.stdout ?? '')).toBe(
      normalise(real('/usr/bin/docker build -t app .', 1).stdout),
    );
  });

  it('runs every step again with --no-cache', () => {
    expect(normalise(results[3]?.stdout ?? '')).toBe(
      normalise(real('/usr/bin/docker build --no-cache -t app .').stdout),
    );
  });

  it('records the history the real image has (CREATED BY and SIZE; the COPY hash is of other tar bytes)', () => {
    // IMAGE, CREATED (an age, which differs), CREATED BY, SIZE: the columns are 3+ spaces apart.
    const table = (text: string) =>
      text
        .trim()
        .split('\n')
        .slice(1, 6)
        .map((l) => l.split(/ {3,}/))
        .map((c) => `${c[2] ?? ''}|${(c[3] ?? '').trim()}`.replace(/file:[0-9a-f]{64}/, 'file:<sha256>'));
    expect(table(results[2]?.stdout ?? '')).toEqual(
      table(real('/usr/bin/docker history --no-trunc app').stdout),
    );
  });

  it('publishes the events the real build did: containers that never start for metadata steps, one that runs for RUN, then the tag', () => {
    const first = trace.entries
      .filter((e) => e.type === 'docker-event' && e.event.Type !== 'network')
      .slice(0);
    const own = first.filter(
      (e) =>
        e.type === 'docker-event' &&
        (e.event.Type === 'image' || (e.event.Actor.Attributes.image ?? '').startsWith('sha256:')),
    );
    const actions = own.map((e) => (e.type === 'docker-event' ? `${e.event.Type} ${e.event.Action}` : ''));
    const firstBuild = [
      'container create',
      'container destroy',
      'container create',
      'container destroy',
      'container create',
      'container attach',
      'container start',
      'container die',
      'container destroy',
      'container create',
      'container destroy',
      'image tag',
    ];
    expect(actions.slice(0, 13)).toEqual([...firstBuild, 'image tag']);
  });
});

describe("fidelity: what the legacy CLI refuses, and the builder's errors (texts and exit codes as recorded)", () => {
  const cases: [string, string, string?][] = [
    [
      'docker build -t app /tmp/buildrec/ctx/nosuchdir',
      '/usr/local/bin/docker build -t app /tmp/buildrec/ctx/nosuchdir',
    ],
    [
      'docker build -t app /tmp/buildrec/ctx/nodf',
      '/usr/local/bin/docker build -t app /tmp/buildrec/ctx/nodf',
    ],
    ['docker build -f Nope -t app .', '/usr/local/bin/docker build -f Nope -t app .'],
    ['docker build -t failapp .', '/usr/local/bin/docker build -t failapp .', `${CTX}/fail`],
  ];
  for (const [line, realLine, cwd] of cases) {
    it(line, () => {
      const got = simulate([line], 'classic', cwd).results[0];
      const want = real(realLine);
      expect(got?.stderr).toBe(want.stderr);
      expect(normalise(got?.stdout ?? '')).toBe(normalise(want.stdout));
      expect(got?.exitCode).toBe(want.exitCode);
    });
  }

  it("a Dockerfile that does not parse is the daemon's 400, after the context was sent", () => {
    const got = simulate(['docker build -t failapp -f Dockerfile.unknown .'], 'classic', `${CTX}/fail`)
      .results[0];
    const want = real('/usr/bin/docker build -t failapp -f Dockerfile.unknown .');
    expect(got?.stderr).toBe(NOTICE + want.stderr);
    expect(got?.stdout).toBe(want.stdout);
    expect(got?.exitCode).toBe(want.exitCode);
  });

  it("parse errors of docker build are CLI 28's (without the notice, which the real CLI prints first)", () => {
    for (const line of [
      'docker build',
      'docker build a b',
      'docker build --frob .',
      'docker build -t Bad .',
      'docker build -t app:x:y .',
    ]) {
      const got = simulate([line], 'classic').results[0];
      const want = real(`/usr/local/bin/${line}`);
      expect(NOTICE + (got?.stderr ?? ''), line).toBe(want.stderr);
      expect(got?.exitCode, line).toBe(want.exitCode);
    }
  });
});

describe("fidelity: docker build with BuildKit (v29; the recording is Engine 20.10's embedded BuildKit)", () => {
  const { trace, results } = simulate(
    ['docker build -t appbk .', 'docker build -t appbk .', 'docker history --no-trunc appbk'],
    'v29',
  );
  const vertices = (text: string) =>
    [...text.matchAll(/^#\d+ (\[[^\n]*|exporting to image)$/gm)].map((m) => m[1]);
  const realFirst = real(
    'DOCKER_BUILDKIT=1 /usr/bin/docker build --progress=plain --network=none --no-cache -t appbk .',
  ).stderr;

  it('has the recorded steps: only FROM, WORKDIR, COPY and RUN are vertices; ENV and CMD are not', () => {
    const want = vertices(realFirst).map((v) =>
      (v ?? '').replace('FROM docker.io/library/busybox', 'FROM docker.io/library/busybox:latest@'),
    );
    const got = vertices(results[0]?.stderr ?? '').map((v) =>
      (v ?? '').replace(
        /FROM docker\.io\/library\/busybox:latest@sha256:[0-9a-f]{64}/,
        'FROM docker.io/library/busybox:latest@',
      ),
    );
    expect([...got].sort()).toEqual([...want].sort());
    expect(results[0]?.stderr).toContain('hello from RUN\n');
  });

  it('finds WORKDIR, COPY and RUN CACHED the second time, as the recorded second build did', () => {
    const cached = (text: string) =>
      [...text.matchAll(/^#(\d+) CACHED$/gm)].map(
        (m) => new RegExp(`^#${m[1]} (\\[\\d/\\d\\] \\w+)`, 'm').exec(text)?.[1],
      );
    const second = real(
      'DOCKER_BUILDKIT=1 /usr/bin/docker build --progress=plain --network=none -t appbk .',
      1,
    ).stderr;
    expect(cached(results[1]?.stderr ?? '').sort()).toEqual(cached(second).sort());
  });

  it('writes the history the recorded BuildKit image has', () => {
    const rows = (results[2]?.stdout ?? '')
      .trim()
      .split('\n')
      .slice(1, 6)
      .map((l) => l.split(/ {3,}/))
      .map((c) => `${c[2] ?? ''}|${(c[3] ?? '').trim()}|${(c[4] ?? '').trim()}`);
    // As the recorded image's config lists them (IMAGE CONFIG of appbk in k-build.txt).
    expect(rows).toEqual([
      'CMD ["cat" "/app/hello.txt"]|0B|buildkit.dockerfile.v0',
      'RUN /bin/sh -c echo "$GREETING from RUN" && echo hi > /app/hi.txt # buildkit|3B|buildkit.dockerfile.v0',
      'COPY hello.txt . # buildkit|29B|buildkit.dockerfile.v0',
      'WORKDIR /app|0B|buildkit.dockerfile.v0',
      'ENV GREETING=hello|0B|buildkit.dockerfile.v0',
    ]);
    for (const r of rows)
      expect(readFileSync(FIXTURE, 'utf8')).toContain(JSON.stringify(r.split('|')[0]).slice(1, -1));
  });

  it('creates no docker container and no containerd task: the recorded BuildKit builds published only image tag events', () => {
    const kinds = new Set(
      trace.entries.flatMap((e) =>
        e.type === 'docker-event' && e.event.Type !== 'network' ? [`${e.event.Type} ${e.event.Action}`] : [],
      ),
    );
    expect([...kinds]).toEqual(['image tag']);
    expect(
      trace.entries.some((e) => e.type === 'containerd-event' && e.event.topic.startsWith('/tasks/')),
    ).toBe(false);
  });
});

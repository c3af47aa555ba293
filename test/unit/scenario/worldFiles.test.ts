import { describe, expect, it } from 'vitest';
import { parseScenario, runScenario } from '../../../src/scenario/index.ts';
import { errorsOf } from './errorsOf.ts';

/** A lesson that builds from files it gives the host; each case below breaks one thing in it. */
const GOOD = `id: tiny
level: 1
title:
  en: Tiny
  zh-CN: 小课
summary:
  en: One build.
  zh-CN: 一次构建。
profile: classic
world:
  images: [busybox]
  files:
    /src/app/Dockerfile: |
      FROM busybox
      RUN echo built
  cwd: /src/app
steps:
  - run: docker build -t app .
goal:
  - image: { ref: app }
  - output: { step: 0, contains: "built" }
`;

describe('world.files and world.cwd in a lesson', () => {
  it('gives the simulation the files and the working directory (a relative build context works)', () => {
    const s = parseScenario('scenarios/tiny.yaml', GOOD);
    expect(s.world).toEqual({
      images: ['busybox'],
      containers: [],
      daemon: { liveRestore: false },
      files: { '/src/app/Dockerfile': 'FROM busybox\nRUN echo built\n' },
      cwd: '/src/app',
    });
    expect(runScenario(s).reached).toBe(true);
  });

  it('names a relative path, a file that is not text, a cwd that is not absolute, and files that are no mapping', () => {
    expect(errorsOf(GOOD.replace('    /src/app/Dockerfile: |', '    src/app/Dockerfile: |'))).toEqual([
      "scenarios/tiny.yaml:13:5: world.files.src/app/Dockerfile: expected an absolute path (starting with /), got 'src/app/Dockerfile'",
    ]);
    expect(
      errorsOf(
        GOOD.replace('  cwd: /src/app', '  cwd: /src/app\n  files2: x').replace(
          'world:\n  images: [busybox]\n  files:\n    /src/app/Dockerfile: |\n      FROM busybox\n      RUN echo built\n',
          'world:\n  images: [busybox]\n  files:\n    /src/app/Dockerfile: 3\n',
        ),
      ),
    ).toEqual([
      "scenarios/tiny.yaml:15:3: world.files2: unknown field 'files2'; expected one of: images, containers, daemon, files, cwd",
      "scenarios/tiny.yaml:13:26: world.files./src/app/Dockerfile: expected the file's text, got number 3",
    ]);
    expect(errorsOf(GOOD.replace('  cwd: /src/app', '  cwd: src'))).toEqual([
      "scenarios/tiny.yaml:16:8: world.cwd: expected an absolute path (starting with /), got 'src'",
    ]);
    expect(errorsOf(GOOD.replace(/ {2}files:\n[^]*?built\n/, '  files: [a]\n'))).toEqual([
      "scenarios/tiny.yaml:12:10: world.files: expected a mapping of absolute paths to the files' text, got a list",
    ]);
  });

  it('without files, a build fails the way docker does, and the goal says so', () => {
    const s = parseScenario('scenarios/tiny.yaml', GOOD.replace(/ {2}files:\n[^]*?built\n/, ''));
    const run = runScenario(s);
    expect(run.reached).toBe(false);
    expect(run.goals.find((g) => !g.ok)?.actual).toBe('docker.io/library/app:latest is not present');
  });
});

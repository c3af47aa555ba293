import { describe, expect, it } from 'vitest';
import { parseDockerLine } from '../../../src/cli/index.ts';

/** `docker build`'s command line, as docker/cli 28 declares it (cli/command/image/build.go). */
describe('docker build on the command line', () => {
  it('reads the context, the tags, -f, --no-cache and -q; other real flags are accepted and reported as ignored', () => {
    expect(
      parseDockerLine('docker build -t app -t app:1 -f ci/Dockerfile --no-cache -q --pull --build-arg A=1 .'),
    ).toEqual({
      ok: true,
      command: {
        name: 'build',
        context: '.',
        tags: ['app', 'app:1'],
        file: 'ci/Dockerfile',
        noCache: true,
        quiet: true,
      },
      argv: [
        'build',
        '-t',
        'app',
        '-t',
        'app:1',
        '-f',
        'ci/Dockerfile',
        '--no-cache',
        '-q',
        '--pull',
        '--build-arg',
        'A=1',
        '.',
      ],
      ignoredFlags: ['--pull', '--build-arg'],
    });
  });

  it('is also `docker image build` and `docker builder build`', () => {
    for (const line of ['docker image build -t app .', 'docker builder build -t app .']) {
      expect(parseDockerLine(line)).toMatchObject({
        ok: true,
        command: { name: 'build', context: '.', tags: ['app'] },
      });
    }
  });

  it('checks every -t as a reference when it is set: a flag error, 125 (texts in k-build.txt)', () => {
    expect(parseDockerLine('docker build -t Bad .')).toEqual({
      ok: false,
      error: {
        stderr:
          'invalid argument "Bad" for "-t, --tag" flag: invalid reference format: repository name (library/Bad) must be lowercase\n\nUsage:  docker build [OPTIONS] PATH | URL | -\n\nRun \'docker build --help\' for more information\n',
        exitCode: 125,
      },
    });
  });

  it('takes exactly one context', () => {
    expect(parseDockerLine('docker build')).toMatchObject({
      ok: false,
      error: { exitCode: 1, stderr: expect.stringMatching(/^docker: 'docker build' requires 1 argument\n/) },
    });
    expect(parseDockerLine('docker build a b')).toMatchObject({ ok: false, error: { exitCode: 1 } });
  });
});

import { describe, expect, it } from 'vitest';
import { OP_SOURCES, sourceOf, sourceUrl } from '../../src/layers/sources.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { messagesOf } from '../../src/views/trace.ts';

/**
 * Every message names its source: each op a run uses has, for the profile it runs in, the
 * repository, tag, file and function of the real code. Starts with `docker run -d nginx`.
 */
const RUNS = [
  ['docker run -d nginx'],
  [
    'docker run -d --name u busybox sleep 100',
    'docker top u',
    'docker update --memory 64m --memory-swap 128m u',
    'docker stats --no-stream u',
  ],
];

describe('op sources', () => {
  for (const profile of ['classic', 'v29'] as const)
    for (const lines of RUNS)
      it(`${profile}: every op of "${lines.join('; ')}" has a source`, () => {
        const ops = new Set(
          messagesOf(new Simulation(lines, { profile }).runToEnd())
            .filter((m) => m.kind !== 'reply')
            .map((m) => m.op),
        );
        const missing = [...ops].filter((op) => sourceOf(op, profile) === undefined);
        expect(missing).toEqual([]);
      });

  it('names a repository, a release tag, a file and a function, and links to the file at the tag', () => {
    for (const pair of Object.values(OP_SOURCES))
      for (const s of Object.values(pair)) {
        expect(s.repo).toMatch(/^[\w-]+\/[\w-]+$/);
        expect(s.tag).toMatch(/^(docker-)?v\d+\.\d+\.\d+$/);
        expect(s.file).toMatch(/\.(go|c)$/);
        expect(s.func).not.toBe('');
      }
    const start = sourceOf('ctrd.Tasks.Start', 'v29');
    expect(start && sourceUrl(start)).toBe(
      'https://github.com/containerd/containerd/blob/v2.1.5/plugins/services/tasks/local.go',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { expectSameAsRealEngine } from './fidelity-fixture.ts';

/**
 * docker cp both ways and docker export (v-cp-commit-export.txt, dockerd 20.10.24,
 * --bridge=none): `extract-to-dir` and `archive-path` events, a copy into a stopped container,
 * dockerd's refusals and the CLI's own lstat error. The commands ran in /tmp/sim17b/io with
 * `in.txt` holding "hello". Left out: `docker exec … cat` and `docker run` of a committed image
 * (the simulation keeps no file contents), docker commit (fidelity-commit.test.ts) and the pipes.
 */
const COPY = /^docker (cp|export -o|diff|stop|rm -f v1|run -d)/;

describe('fidelity: cp and export', () => {
  it('copies in and out, running or stopped; exports the whole rootfs; refuses as dockerd does', () => {
    const { sim } = expectSameAsRealEngine('v-cp-commit-export.txt', (line) => COPY.test(line), {
      noNetwork: true,
      files: { '/tmp/sim17b/io/in.txt': 'hello\n' },
      cwd: '/tmp/sim17b/io',
    });
    expect(sim.steps[1]?.events).toEqual([
      'container extract-to-dir {image=busybox, name=v1} [status=Action id=Actor.ID from=busybox]',
    ]);
  });
});

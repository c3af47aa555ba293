import { describe, expect, it } from 'vitest';
import { expectSameAsRealEngine } from './fidelity-fixture.ts';

/**
 * docker commit (v-cp-commit-export.txt, dockerd 20.10.24, --bridge=none): the running container
 * paused while its layer is read, the image `tag` and the `commit` event with its comment and
 * reference, then unpause; the same changes committed twice are one layer, which goes with the
 * last image that holds it. Left out: the run of the committed image (the simulation's `cat`
 * reads no file contents) and the commands the cp test covers.
 */
const COMMIT = /^docker (run -d|cp in\.txt v1:\/tmp|commit|stop|rm -f v1|rmi)/;

describe('fidelity: commit', () => {
  it('pauses, tags, commits and unpauses; refuses an unknown container; rmi removes the shared layer once', () => {
    const { sim } = expectSameAsRealEngine('v-cp-commit-export.txt', (line) => COMMIT.test(line), {
      noNetwork: true,
      files: { '/tmp/sim17b/io/in.txt': 'hello\n' },
      cwd: '/tmp/sim17b/io',
    });
    expect(sim.steps[3]?.events.map((e) => e.split(' {')[0])).toEqual([
      'container pause',
      'image tag',
      'container commit',
      'container unpause',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { expectSameAsRealEngine } from './fidelity-fixture.ts';

/**
 * A command runc cannot exec (d-run-bad-command.txt). runc create fails inside Tasks.Create, so
 * there is no task: create, attach (without -d), network connect, network disconnect; no start,
 * no die; containerd only creates and deletes the container. The container stays `created` with
 * exit code 127 (not found) or 126 (permission denied, e.g. a directory with runc 1.1.5 built by
 * Go 1.19) and the OCI message as State.Error; `--rm` removes it (destroy).
 */
const pick = (line: string) => line.startsWith('docker ') && !line.includes('$(');

describe('fidelity: a container whose command cannot start', () => {
  it('matches the real engine command by command: texts, exit codes, events, containerd topics', () => {
    // `ps -a` ages ("1 second ago") depend on how long each real run took.
    expectSameAsRealEngine('d-run-bad-command.txt', pick, { skipStdout: [12] });
  });

  it('emits no start and no die, and containerd only sees /containers/create and /containers/delete', () => {
    const { sim } = expectSameAsRealEngine('d-run-bad-command.txt', pick, { skipStdout: [12] });
    expect(sim.merged[0]).toEqual([
      'EV container create {image=busybox, name=auto1} [status=Action id=Actor.ID from=busybox]',
      'EV container attach {image=busybox, name=auto1} [status=Action id=Actor.ID from=busybox]',
      'EV network connect {container=auto1, name=bridge, type=bridge}',
      'CT /containers/create auto1',
      'CT /containers/delete auto1',
      'EV network disconnect {container=auto1, name=bridge, type=bridge}',
    ]);
    expect(sim.merged[3]?.at(-1)).toBe(
      'EV container destroy {image=busybox, name=auto3} [status=Action id=Actor.ID from=busybox]',
    );
    expect(sim.steps[12]?.stdout).toMatch(
      /^auto4 \| Created \| "\/bin\/nosuch"\nbad2 \| Created \| "nosuchcmd"\nbad1 \| Created \| "nosuchcmd"\nauto2 \| Created \| "\/etc"\nauto1 \| Created \| "nosuchcmd"\n$/m,
    );
  });
});

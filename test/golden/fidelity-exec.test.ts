import { describe, expect, it } from 'vitest';
import { expectSameAsRealEngine, loadFixture, simulate } from './fidelity-fixture.ts';

/**
 * `docker exec` (f-exec.txt; h-events-verbatim.txt for an exec without arguments). The events
 * are exec_create/exec_start/exec_die with {execID, image, name} (+ exitCode), Actions built as
 * `exec_create: <path> <args joined>` (a trailing space without arguments); containerd publishes
 * /tasks/exec-added at Exec, /tasks/exec-started at Start(exec_id), /tasks/exit with id=exec id.
 */
const docker = (line: string) => line.startsWith('docker ');

describe('fidelity: docker exec, as dockerd 20.10 / containerd 1.6 report it', () => {
  it('success, exit code, failing exec, detached exec killed with the container, exec on a stopped container', () => {
    // The capture tool dropped a \r: the daemon writes the failed exec's error into the stream
    // followed by \r\n (see the od dump in j-image-rmi-tag-version.txt and the next test).
    const { sim } = expectSameAsRealEngine('f-exec.txt', docker, {
      realStdout: (out, i) => (i === 3 ? out.replace(/\n$/, '\r\n') : out),
    });
    const actions = sim.merged.flat().filter((l) => l.includes('exec_'));
    expect(actions[0]).toMatch(/^EV container exec_create: echo hi \{execID=exec1, image=busybox, name=c4\}/);
    expect(actions).toContain(
      'EV container exec_create: nosuchcmd  {execID=exec3, image=busybox, name=c4} [status=Action id=Actor.ID from=busybox]',
    );
    expect(actions.some((l) => l.startsWith('EV container exec_die') && l.includes('exec3'))).toBe(false);
  });

  it('a failing exec prints the runtime error on stdout, ending in \\r\\n, and exits 126', () => {
    const real = loadFixture('j-image-rmi-tag-version.txt').find((s) =>
      s.line.startsWith('docker exec r2 nosuchcmd'),
    );
    expect(real?.stdout).toContain('u   n   k   n   o   w   n  \\r  \\n');
    const [, failed] = simulate(['docker run -d --name c4 busybox sleep 1000', 'docker exec c4 nosuchcmd']);
    expect(failed).toMatchObject({
      exitCode: 126,
      stderr: '',
      stdout:
        'OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuchcmd": executable file not found in $PATH: unknown\r\n',
    });
  });

  it('an exec without arguments: the Action ends with a space', () => {
    const pick = (line: string) => /^docker (run .*h1|exec h1 true)/.test(line);
    const { sim } = expectSameAsRealEngine('h-events-verbatim.txt', pick);
    // The Action is `exec_create: true ` (trailing space); the normalised line adds ` {attrs}`.
    expect(sim.merged[1]?.[0]).toMatch(
      /^EV container exec_create: true {2}\{execID=exec1, image=busybox, name=h1\}/,
    );
  });
});

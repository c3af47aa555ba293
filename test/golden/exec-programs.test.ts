import { describe, expect, it } from 'vitest';
import { simulate } from './fidelity-fixture.ts';

/**
 * What a learner execs in the catalogue images runs and returns; a program the process model
 * does not know says so on stderr and exits 1, instead of running on until `docker stop` kills
 * it (137). Outputs as the images give them: nginx and redis are Debian bookworm based (no ps),
 * busybox's ps lists the container's own PID namespace.
 */
function run(setup: string, lines: string[]) {
  return simulate([setup, ...lines], { profile: 'v29' }).slice(1);
}

describe('docker exec of common programs in the catalogue images', () => {
  it('nginx: ls, cat /etc/hostname, hostname, id, uname, nginx -v, echo, sh -c', () => {
    const steps = run('docker run -d --name web nginx', [
      'docker exec web ls',
      'docker exec web cat /etc/hostname',
      'docker exec web hostname',
      'docker exec web id',
      'docker exec web uname -r',
      'docker exec web nginx -v',
      'docker exec web echo hi',
      "docker exec web sh -c 'echo $HOSTNAME'",
    ]);
    const [ls, cat, hostname, id, uname, nginx, echo, sh] = steps;
    expect(ls?.stdout).toMatch(/^bin\nboot\ndev\ndocker-entrypoint\.d\ndocker-entrypoint\.sh\netc\n/);
    expect(cat?.stdout).toMatch(/^[0-9a-f]{12}\n$/);
    expect(hostname?.stdout).toBe(cat?.stdout);
    expect(sh?.stdout).toBe(cat?.stdout);
    expect(id?.stdout).toBe('uid=0(root) gid=0(root) groups=0(root)\n');
    expect(uname?.stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(nginx?.stderr).toMatch(/^nginx version: nginx\/\d+\.\d+\.\d+\n$/);
    expect(echo?.stdout).toBe('hi\n');
    for (const s of steps) expect(s.exitCode).toBe(0);
  });

  it('busybox: ps lists PID 1 and itself; env shows the container environment', () => {
    const [ps, env] = run('docker run -d --name box busybox sleep 1000', [
      'docker exec box ps',
      'docker exec box env',
    ]);
    expect(ps?.stdout).toMatch(
      /^PID {3}USER {5}TIME {2}COMMAND\n {4}1 root {6}0:00 sleep 1000\n\s+\d+ root {6}0:00 ps\n$/,
    );
    expect(env?.stdout).toMatch(/^PATH=.*\nHOSTNAME=[0-9a-f]{12}\nHOME=\/root\n$/);
  });

  it('redis: redis-cli ping answers PONG; ls in WORKDIR /data lists nothing', () => {
    const [ping, ls] = run('docker run -d --name cache redis', [
      'docker exec cache redis-cli ping',
      'docker exec cache ls',
    ]);
    expect(ping).toMatchObject({ stdout: 'PONG\n', exitCode: 0 });
    expect(ls).toMatchObject({ stdout: '', exitCode: 0 });
  });

  it('a program outside the model fails visibly and returns; ps is not in the nginx image', () => {
    const [top, ps, after] = run('docker run -d --name web nginx', [
      'docker exec web ls -l /etc',
      'docker exec web ps',
      'docker exec web echo still here',
    ]);
    expect(top).toMatchObject({ exitCode: 1 });
    expect(top?.stderr).toMatch(/ls: not simulated/);
    expect(ps?.exitCode).toBe(127);
    expect(after).toMatchObject({ stdout: 'still here\n', exitCode: 0 });
  });
});

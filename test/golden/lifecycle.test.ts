import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/simulation.ts';
import { cliOutput, containerdLines, goldenLines } from '../../src/views/trace.ts';

const run = (commands: string[], seed = 1) => new Simulation(commands, { seed }).runToEnd();

function eventActions(commands: string[]): string[] {
  return run(commands).entries.flatMap((e) =>
    e.type === 'docker-event' ? [`${e.event.Type} ${e.event.Action}`] : [],
  );
}

describe('lifecycle through every layer', () => {
  it('runs nginx detached: pull, create, start, and the container is up', () => {
    const out = cliOutput(run(['docker run -d --name web nginx', 'docker ps']));
    expect(out).toContain("Unable to find image 'nginx:latest' locally");
    expect(out).toContain('Status: Downloaded newer image for nginx:latest');
    expect(out).toMatch(/\n[0-9a-f]{64}\n\$ docker ps\n/);
    expect(out).toMatch(/nginx {5}"\/docker-entrypoint\.…" {3}1 second ago {3}Up 1 second {13}web/);
  });

  it('reaches runc create and runc start through containerd and the shim', () => {
    const lines = goldenLines(run(['docker run -d --name web nginx']));
    const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
    expect(at(/^CLI -> dockerd: POST \/v1\.50\/containers\/create\?name=web$/)).toBeGreaterThan(-1);
    expect(at(/^dockerd --> CLI: 404 Not Found$/)).toBeGreaterThan(at(/containers\/create/));
    expect(at(/^containerd -> shim: exec containerd-shim-runc-v2/)).toBeLessThan(
      at(/^shim -> runc: runc .*create/),
    );
    expect(at(/^shim -> runc: runc start/)).toBeGreaterThan(at(/^runc -> Kernel: clone\(/));
  });

  it('stops a sleep as a real Engine does: SIGTERM ignored by PID 1, SIGKILL after the grace period', () => {
    const actions = eventActions(['docker run -d --name sl busybox sleep 1000', 'docker stop -t 1 sl']);
    expect(actions.slice(actions.indexOf('container start'))).toEqual([
      'container start',
      'container kill',
      'container kill',
      'container die',
      'network disconnect',
      'container stop',
    ]);
    const trace = run(['docker run -d --name sl busybox sleep 1000', 'docker stop -t 1 sl']);
    expect(
      containerdLines(trace)
        .map((l) => l.split(' ')[0])
        .filter((t) => t?.startsWith('/tasks') || t?.startsWith('/containers')),
    ).toEqual([
      '/containers/create',
      '/tasks/create',
      '/tasks/start',
      '/tasks/exit',
      '/tasks/delete',
      '/containers/delete',
    ]);
  });

  it('refuses rm of a running container with the 409 text, and rm -f works', () => {
    const out = cliOutput(
      run(['docker run -d --name sl busybox sleep 1000', 'docker rm sl', 'docker rm -f sl', 'docker ps -a']),
    );
    expect(out).toMatch(
      /Error response from daemon: You cannot remove a running container [0-9a-f]{64}\. Stop the container before attempting removal or force remove/,
    );
    expect(out).toMatch(/\$ docker rm -f sl\nsl\n/);
  });

  it('is deterministic for a seed and different for another', () => {
    const commands = ['docker run -d busybox sleep 5', 'docker ps'];
    expect(JSON.stringify(run(commands, 7))).toBe(JSON.stringify(run(commands, 7)));
    expect(cliOutput(run(commands, 7))).not.toBe(cliOutput(run(commands, 8)));
  });
});

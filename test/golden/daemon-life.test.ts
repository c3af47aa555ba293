import { describe, expect, it } from 'vitest';
import type { DockerEvent } from '../../src/model/trace.ts';
import { daemonOf, statusOf } from '../../src/sim/hostSnapshot.ts';
import { cliOutput, messagesOf } from '../../src/views/trace.ts';
import { Simulation, type SimulationOptions } from '../../src/sim/simulation.ts';
import { commandText } from './commandText.ts';

/**
 * dockerd's death, shutdown and restart, against the recorded Engine
 * (test/fixtures/real-engine/k-daemon-and-faults.txt, sections 1–4): after SIGKILL the
 * container runs on and every docker command cannot connect; a dockerd without live-restore
 * stops the survivors when it starts (kill 15, 10 s, kill 9, die 137, stop) before it listens; a
 * graceful stop stops every container in parallel; with live-restore nothing happens to them.
 */
const SLEEPER = 'docker run -d --name sl busybox sleep 1000';
const TRAPPER = `docker run -d --name web busybox sh -c 'trap "exit 0" TERM; while true; do sleep 1; done'`;

function run(lines: string[], options: SimulationOptions = {}) {
  const sim = new Simulation(lines, options);
  const trace = sim.runToEnd();
  const events = (from: number) =>
    trace.entries.flatMap((e) =>
      e.type === 'docker-event' && e.event.timeNano / 1e6 >= from ? [e.event] : [],
    );
  const startOf = (i: number) =>
    trace.entries.flatMap((e) => (e.type === 'command' && e.command === i ? [e.at] : []))[0] ?? 0;
  return { sim, trace, events, startOf };
}

const brief = (events: DockerEvent[]) =>
  events
    .filter((e) => e.Type === 'container')
    .map(
      (e) =>
        `${e.Actor.Attributes.name} ${e.Action}${e.Actor.Attributes.signal ? ` ${e.Actor.Attributes.signal}` : ''}${e.Actor.Attributes.exitCode ? ` ${e.Actor.Attributes.exitCode}` : ''}`,
    );

describe('dockerd killed and started again', () => {
  it('keeps the container running while dockerd is dead; every command cannot connect', () => {
    const { sim, trace } = run([SLEEPER, 'pkill -9 dockerd', 'docker ps']);
    expect(
      cliOutput({ ...trace, entries: trace.entries.filter((e) => e.type !== 'output' || e.command === 2) }),
    ).toContain(
      'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
    );
    expect(trace.entries.find((e) => e.type === 'exit' && e.command === 2)).toMatchObject({ code: 1 });
    const ps = sim.world.ports.runtime.processes();
    expect(ps.map((p) => [p.comm, p.state])).toEqual([['sleep', 'running']]);
    const refused = messagesOf(trace).find((m) => m.command === 2 && m.to === 'CLI' && m.kind === 'reply');
    expect(refused).toMatchObject({ from: 'Kernel', status: 'ECONNREFUSED', ok: false });
  });

  it('a dockerd without live-restore shuts the survivor down before it serves the API, as the real Engine did', async () => {
    const { sim, trace, events, startOf } = run([
      SLEEPER,
      'pkill -9 dockerd',
      'systemctl start docker',
      'docker ps -a',
    ]);
    expect(brief(events(startOf(2)))).toEqual(['sl kill 15', 'sl kill 9', 'sl die 137', 'sl stop']);
    const kills = events(startOf(2)).filter((e) => e.Action === 'kill');
    expect((kills[1]?.timeNano ?? 0) - (kills[0]?.timeNano ?? 0)).toBeGreaterThanOrEqual(10_000_000_000);
    const calls = messagesOf(trace)
      .filter((m) => m.command === 2)
      .map((m) => m.call);
    const listen = calls.findIndex((c) => c.startsWith('Loading containers: done'));
    expect(calls.findIndex((c) => c.startsWith('Tasks.Kill'))).toBeLessThan(listen);
    // The socket exists before the restore (moby v20.10.24 cmd/dockerd/daemon.go: loadListeners
    // before NewDaemon): a command run meanwhile would connect and wait, not be refused.
    const backlog = calls.findIndex((c) => c.startsWith('listen on /var/run/docker.sock'));
    expect(backlog).toBeGreaterThan(-1);
    expect(backlog).toBeLessThan(calls.findIndex((c) => c.startsWith('Tasks.Get')));
    expect(statusOf([...daemonOf(sim.world).containers.values()][0] as never)).toBe('exited');
    const index = 2;
    await expect(commandText(trace, index, 'systemctl start docker')).toMatchFileSnapshot(
      '__golden__/host-dockerd-restore.txt',
    );
  });

  it('a graceful stop stops every container in parallel, then exits; the next command cannot connect', () => {
    const { trace, events, startOf } = run([SLEEPER, TRAPPER, 'systemctl stop docker', 'docker ps']);
    expect(brief(events(startOf(2)))).toEqual([
      'sl kill 15',
      'web kill 15',
      'web die 0',
      'web stop',
      'sl kill 9',
      'sl die 137',
      'sl stop',
    ]);
    const exitedAt =
      trace.entries.flatMap((e) => (e.type === 'exit' && e.command === 2 ? [e.at] : []))[0] ?? 0;
    // Both waited in parallel: about 10 s in all, not 20.
    expect(exitedAt - startOf(2)).toBeGreaterThan(10_000);
    expect(exitedAt - startOf(2)).toBeLessThan(11_000);
    expect(trace.entries.find((e) => e.type === 'exit' && e.command === 3)).toMatchObject({ code: 1 });
  });

  it('with live-restore the container runs through the restart and no event is logged', async () => {
    const { sim, trace, events, startOf } = run([SLEEPER, 'systemctl restart docker', 'docker ps'], {
      daemon: { liveRestore: true },
    });
    expect(brief(events(startOf(1)))).toEqual([]);
    expect(
      cliOutput({ ...trace, entries: trace.entries.filter((e) => e.type !== 'output' || e.command === 2) }),
    ).toMatch(/Up \d+ seconds?\s+sl/);
    expect(sim.world.ports.runtime.processes().map((p) => p.state)).toEqual(['running']);
    await expect(commandText(trace, 1, 'systemctl restart docker', { mermaid: false })).toMatchFileSnapshot(
      '__golden__/host-live-restore.txt',
    );
  });

  it('tells containerd when dockerd is gone, and containerd keeps later events to itself', () => {
    const { trace } = run([
      'docker run -d --name sl -m 8m busybox sleep 1000',
      'pkill -9 dockerd',
      'allocate 64m in sl',
      'docker ps',
    ]);
    const later = messagesOf(trace).filter((m) => m.command === 2);
    expect(later.some((m) => m.call === 'publish /tasks/exit')).toBe(true);
    expect(later.some((m) => m.to === 'dockerd')).toBe(false);
  });

  it('says so when there is nothing to signal, start or allocate in', () => {
    const { trace } = run([
      'pkill -9 dockerd',
      'pkill dockerd',
      'systemctl stop docker',
      'systemctl start docker',
      'systemctl start docker',
      'allocate 1m in nope',
    ]);
    const codes = trace.entries.flatMap((e) => (e.type === 'exit' ? [e.code] : []));
    expect(codes).toEqual([0, 1, 0, 0, 0, 1]);
    expect(cliOutput(trace)).toContain('allocate: no running container nope');
  });
});

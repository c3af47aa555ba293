import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Fault } from '../../src/model/faults.ts';
import type { DockerEvent, Profile } from '../../src/model/trace.ts';
import { daemonOf } from '../../src/sim/hostSnapshot.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { cliOutput, messagesOf } from '../../src/views/trace.ts';

/**
 * A published host port that is taken (u-port-in-use.txt, recorded on a private dockerd 20.10.24
 * by record-port-in-use.sh): held by a host process, 20.10's docker-proxy cannot listen; held by
 * another container, the port allocator refuses it. Either way the start ends before containerd
 * (the endpoint is made first, moby v20.10.24 daemon/start.go), the CLI exits 125, the container
 * stays Created with exit code 128 and the error, and its only events are `container create` and
 * `network disconnect`. Engine 29 meets the port after Tasks.Create instead (faults.test.ts).
 */
const FIXTURE = readFileSync(new URL('../fixtures/real-engine/u-port-in-use.txt', import.meta.url), 'utf8');

/** The endpoint id is random; the rest of the text is compared as it is. */
const ids = (text: string) =>
  text.replace(/\([0-9a-f]{64}\)/g, '(<endpoint>)').replace(/[0-9a-f]{64}/g, '<id>');

/** The recorded stderr of `docker run … --name NAME …`. */
function recordedError(name: string): string {
  const block = FIXTURE.split('$ docker ').find((b) => b.startsWith(`run -d --name ${name} `)) ?? '';
  return /--- stderr:\n([\s\S]*?)--- exit code: (\d+)/.exec(block)?.[1]?.trim() ?? '';
}

/** The recorded events of a container: type and action, in order. */
function recordedEvents(name: string): string[] {
  const section = FIXTURE.split('$ docker events').find((b) => b.includes(`grep <${name}'s id>`)) ?? '';
  return section
    .split('\n')
    .filter((l) => l.startsWith('{') && l.includes('"Action"'))
    .map((l) => JSON.parse(l) as DockerEvent)
    .map((e) => `${e.Type} ${e.Action}`);
}

function recordedState(name: string): { Status: string; ExitCode: number; Error: string } {
  const line = FIXTURE.split(`$ docker inspect -f '{{json .State}}' ${name}\n`)[1]?.split('\n')[0] ?? '{}';
  return JSON.parse(line) as { Status: string; ExitCode: number; Error: string };
}

function simulate(profile: Profile, lines: string[], faults: Fault[]) {
  const sim = new Simulation(lines, { profile, faults, setup: ['docker pull busybox'] });
  const trace = sim.runToEnd();
  const out = (i: number) =>
    cliOutput({ ...trace, entries: trace.entries.filter((e) => e.type !== 'output' || e.command === i) });
  const stderr = (i: number) =>
    trace.entries
      .flatMap((e) => (e.type === 'output' && e.command === i && e.stream === 'stderr' ? [e.text] : []))
      .join('');
  const events = (id: string) =>
    trace.entries.flatMap((e) =>
      e.type === 'docker-event' && (e.event.Actor.ID === id || e.event.Actor.Attributes.container === id)
        ? [`${e.event.Type} ${e.event.Action}`]
        : [],
    );
  return { sim, trace, out, stderr, events };
}

describe('fidelity: a published port that is taken (dockerd 20.10)', () => {
  const cases = [
    {
      what: 'a host process holds it: docker-proxy cannot listen',
      name: 'web',
      lines: ['docker run -d --name web -p 18089:80 busybox sleep 100'],
      faults: [{ port: { port: 18089 } }],
    },
    {
      what: 'another container publishes it: the port allocator refuses',
      name: 'two',
      lines: [
        'docker run -d --name one -p 18090:80 busybox sleep 100',
        'docker run -d --name two -p 18090:80 busybox sleep 100',
      ],
      faults: [],
    },
  ];
  for (const c of cases)
    it(`classic: ${c.what}, as recorded`, () => {
      const { sim, trace, stderr, events } = simulate('classic', c.lines, c.faults);
      const last = c.lines.length - 1;
      expect(ids(stderr(last).trim())).toBe(ids(recordedError(c.name)));
      const ctr = daemonOf(sim.world).findContainer(c.name);
      const recorded = recordedState(c.name);
      expect({
        status: ctr?.actor.getSnapshot().value,
        exitCode: ctr?.exitCode,
        error: ids(ctr?.error ?? ''),
      }).toEqual({
        status: recorded.Status,
        exitCode: recorded.ExitCode,
        error: ids(recorded.Error),
      });
      expect(events(ctr?.id ?? '')).toEqual(recordedEvents(c.name));
      // 20.10 makes the endpoint before it asks containerd: no containerd call in the failed start.
      expect(messagesOf(trace).some((m) => m.command === last && m.to === 'containerd')).toBe(false);
    });

  it('v29: the same refusal comes after Tasks.Create, in Engine 29’s words, and the task is force-deleted', () => {
    const { out, trace } = simulate('v29', cases[1]?.lines ?? [], []);
    expect(out(1)).toMatch(
      /Error response from daemon: failed to set up container networking: driver failed programming external connectivity on endpoint two \([0-9a-f]{64}\): Bind for 0\.0\.0\.0:18090 failed: port is already allocated/,
    );
    const calls = messagesOf(trace)
      .filter((m) => m.command === 1 && m.from === 'dockerd' && m.to === 'containerd')
      .map((m) => m.call.replace(/\(.*$/, ''));
    expect(calls).toEqual(expect.arrayContaining(['Tasks.Create', 'Tasks.Delete', 'Containers.Delete']));
    expect(calls).not.toContain('Tasks.Start');
  });
});

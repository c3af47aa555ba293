import { describe, expect, it } from 'vitest';
import type { Trace } from '../../../src/model/trace.ts';
import { messagesOf } from '../../../src/views/trace.ts';
import { Simulation } from '../../../src/sim/simulation.ts';
import type { LinkState } from '../../../site/state/permalink.ts';
import type { Runner } from '../../../site/state/runner.ts';
import { RunService } from '../../../site/state/runService.ts';
import { Session } from '../../../site/state/session.ts';
import { linkTo } from './link.ts';

const RUN = ['docker run -d --name web nginx', 'docker stop web', 'docker rm web'];
const link = (step: number, commands = RUN): LinkState => linkTo(commands, step);

describe('RunService', () => {
  it('hands over the commands holding the wanted step first, then the whole run', async () => {
    const parts: Trace[] = [];
    const full = await new RunService().run(
      { commands: RUN, seed: 1, profile: 'v29' },
      { want: 3, take: (t) => parts.push(t) },
    );
    expect(full.entries).toEqual(new Simulation([...RUN], { seed: 1 }).runToEnd().entries);
    expect(parts).toHaveLength(1);
    const part = parts[0] as Trace;
    const firstCommand = new Simulation([RUN[0] as string], { seed: 1 }).runToEnd();
    expect(part.entries).toEqual(firstCommand.entries);
    expect(full.entries.slice(0, part.entries.length)).toEqual(part.entries);
  });

  it('hands over no part when the wanted step is in the last command', async () => {
    const total = messagesOf(new Simulation([...RUN], { seed: 1 }).runToEnd()).length;
    const parts: Trace[] = [];
    await new RunService().run(
      { commands: RUN, seed: 1, profile: 'v29' },
      { want: total - 1, take: (t) => parts.push(t) },
    );
    expect(parts).toHaveLength(0);
  });

  it('goes on from the last run when lines are only added, with the trace of a run from the start', async () => {
    const service = new RunService();
    const req = (commands: string[]) => ({ commands, seed: 1, profile: 'v29' as const });
    const first = await service.run(req(RUN.slice(0, 1)));
    const firstEntries = first.entries.length;
    const longer = await service.run(req(RUN.slice(0, 2)));
    expect(first.entries).toHaveLength(firstEntries);
    expect(longer.entries).toEqual(new Simulation(RUN.slice(0, 2), { seed: 1 }).runToEnd().entries);
    // Another run (here, a different first line) starts over.
    const other = await service.run(req(['docker ps', RUN[1] as string]));
    expect(other.entries).toEqual(
      new Simulation(['docker ps', RUN[1] as string], { seed: 1 }).runToEnd().entries,
    );
  });

  it('runs a lesson with its faults, its dockerd configuration and its platform', async () => {
    const service = new RunService();
    const base = { seed: 1, profile: 'v29' as const };
    const faulty = await service.run({
      ...base,
      commands: ['docker pull alpine'],
      faults: [{ registry: { path: '/v2/library/alpine/manifests/', status: 500 } }],
    });
    expect(faulty.entries.some((e) => e.type === 'exit' && e.code === 1)).toBe(true);
    const desktop = await service.run({ ...base, commands: ['docker ps'], platform: 'desktop' });
    expect(messagesOf(desktop).some((m) => m.from === 'VM' || m.to === 'VM')).toBe(true);
    const live = await service.run({
      ...base,
      commands: ['docker run -d --name sl busybox sleep 99', 'systemctl restart docker'],
      daemon: { liveRestore: true },
    });
    expect(messagesOf(live).some((m) => m.call.startsWith('live-restore: reattach'))).toBe(true);
    const built = await service.run({
      ...base,
      commands: ['docker build -t app .'],
      files: { '/src/Dockerfile': 'FROM busybox\nRUN echo hi > /hi\n' },
      cwd: '/src',
    });
    expect(
      built.entries.filter((e) => e.type === 'exit').map((e) => (e.type === 'exit' ? e.code : -1)),
    ).toEqual([0]);
  });

  it('replays the host to a position', async () => {
    const service = new RunService();
    const req = { commands: RUN.slice(0, 1), seed: 1, profile: 'v29' as const };
    const total = messagesOf(await service.run(req)).length;
    expect((await service.host(req, 0)).containers).toHaveLength(0);
    expect((await service.host(req, total)).containers.map((c) => c.name)).toEqual(['web']);
  });
});

describe('Session', () => {
  it('opens at the permalink step once the run is computed', async () => {
    const session = new Session(link(12), 'en', new RunService());
    expect(session.state.computing).toBe(true);
    await session.ready;
    expect(session.state.computing).toBe(false);
    expect(session.state.position).toBe(12);
    expect(session.state.total).toBe(session.messages.length);
  });

  it('keeps a position the reader moved to while the rest of the run was computed', async () => {
    let finish: (t: Trace) => void = () => undefined;
    const whole = new Simulation([...RUN], { seed: 1 }).runToEnd();
    const first = new Simulation([RUN[0] as string], { seed: 1 }).runToEnd();
    const runner: Runner = {
      run: (_req, part) => {
        part?.take(first);
        return new Promise((resolve) => (finish = resolve));
      },
      host: () => Promise.reject(new Error('unused')),
      layers: () => Promise.reject(new Error('unused')),
    };
    const session = new Session(link(5), 'en', runner);
    expect(session.state.position).toBe(5);
    expect(session.state.computing).toBe(true);
    session.seek(7);
    finish(whole);
    await session.ready;
    expect(session.state.position).toBe(7);
    expect(session.state.total).toBe(messagesOf(whole).length);
  });
});

describe('Session: a typed command', () => {
  it("goes on just before the typed command's first message", async () => {
    const session = new Session(link(0, RUN.slice(0, 1)), 'en', new RunService());
    await session.ready;
    session.runCommand('docker ps');
    await session.ready;
    const at = session.state.position;
    expect(session.messages.slice(0, at).every((m) => m.command === 0)).toBe(true);
    expect(session.messages[at]).toMatchObject({ command: 1, from: 'User', to: 'CLI' });
  });

  it('places a command typed while the run is still arriving in the new run, not at the old total', async () => {
    const first = new Simulation([RUN[0] as string], { seed: 1 }).runToEnd();
    const asked: string[][] = [];
    const runner: Runner = {
      run: (req, part) => {
        asked.push([...req.commands]);
        if (asked.length === 1) {
          part?.take(first);
          return new Promise(() => undefined); // the rest of the first run never arrives
        }
        return Promise.resolve(new Simulation([...req.commands], { seed: 1 }).runToEnd());
      },
      host: () => Promise.reject(new Error('unused')),
      layers: () => Promise.reject(new Error('unused')),
    };
    const session = new Session(link(0, RUN.slice(0, 2)), 'en', runner);
    expect(session.state.total).toBe(messagesOf(first).length);
    session.runCommand('docker ps');
    await session.ready;
    expect(asked[1]).toEqual([RUN[0], RUN[1], 'docker ps']);
    expect(session.messages[session.state.position]).toMatchObject({ command: 2, from: 'User', to: 'CLI' });
  });

  it('reports a run that could not be computed', async () => {
    const runner: Runner = {
      run: () => Promise.reject(new Error('simulation: boom')),
      host: () => Promise.reject(new Error('x')),
      layers: () => Promise.reject(new Error('x')),
    };
    const session = new Session(link(0), 'en', runner);
    await session.ready;
    expect(session.state).toMatchObject({ computing: false, error: 'simulation: boom', total: 0 });
  });
});

describe('Session: a held message (a lesson question)', () => {
  it('stops every way forward just before it, tells who listens, and lets go once released', async () => {
    const session = new Session(link(0), 'en', new RunService());
    await session.ready;
    const told: number[] = [];
    session.onHeld((seq) => told.push(seq));
    session.hold(20);
    session.seek(session.state.total); // End, the scrubber, "Jump to step", a clicked row
    expect(session.state.position).toBe(19);
    session.next();
    expect(session.state.position).toBe(19);
    expect(told).toEqual([20, 20]);
    session.seek(3); // back is always free
    expect(session.state.position).toBe(3);
    session.release(20);
    session.seek(session.state.total);
    expect(session.state.position).toBe(session.state.total);
  });

  it('brings a position already past it back (a permalink step beyond a question)', async () => {
    const session = new Session(link(40), 'en', new RunService());
    await session.ready;
    expect(session.state.position).toBe(40);
    session.hold(25);
    expect(session.state.position).toBe(24);
  });
});

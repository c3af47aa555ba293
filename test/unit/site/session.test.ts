import { describe, expect, it } from 'vitest';
import type { Trace } from '../../../src/model/trace.ts';
import { messagesOf } from '../../../src/views/trace.ts';
import { Simulation } from '../../../src/wire/simulation.ts';
import type { LinkState } from '../../../site/state/permalink.ts';
import type { Runner } from '../../../site/state/runner.ts';
import { RunService } from '../../../site/state/runService.ts';
import { Session } from '../../../site/state/session.ts';

const RUN = ['docker run -d --name web nginx', 'docker stop web', 'docker rm web'];
const link = (step: number, commands = RUN): LinkState => ({ commands, seed: 1, profile: 'v29', step, lang: 'en', embed: false, presenter: false });

describe('RunService', () => {
  it('hands over the commands holding the wanted step first, then the whole run', async () => {
    const parts: Trace[] = [];
    const full = await new RunService().run({ commands: RUN, seed: 1, profile: 'v29' }, { want: 3, take: (t) => parts.push(t) });
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
    await new RunService().run({ commands: RUN, seed: 1, profile: 'v29' }, { want: total - 1, take: (t) => parts.push(t) });
    expect(parts).toHaveLength(0);
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

  it('goes on from where the run ended when a command is typed', async () => {
    const session = new Session(link(0, RUN.slice(0, 1)), 'en', new RunService());
    await session.ready;
    const before = session.state.total;
    session.runCommand('docker ps');
    await session.ready;
    expect(session.state.position).toBe(before);
    expect(session.state.total).toBeGreaterThan(before);
    expect(session.messages.slice(before).some((m) => m.command === 1)).toBe(true);
  });

  it('reports a run that could not be computed', async () => {
    const runner: Runner = { run: () => Promise.reject(new Error('simulation: boom')), host: () => Promise.reject(new Error('x')), layers: () => Promise.reject(new Error('x')) };
    const session = new Session(link(0), 'en', runner);
    await session.ready;
    expect(session.state).toMatchObject({ computing: false, error: 'simulation: boom', total: 0 });
  });
});

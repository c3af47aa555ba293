import { describe, expect, it } from 'vitest';
import type { LinkState } from '../../../site/state/permalink.ts';
import { RunService } from '../../../site/state/runService.ts';
import { Session } from '../../../site/state/session.ts';
import { linkTo } from './link.ts';
import { Simulation } from '../../../src/sim/simulation.ts';
import { messagesOf } from '../../../src/views/trace.ts';

const RUN = ['docker run -d --name web nginx', 'docker ps'];
const link = (step: number, commands = RUN): LinkState => linkTo(commands, step);

describe('Session: undo', () => {
  it('takes back the last command, gives its line back, and keeps the position inside what is left', async () => {
    const session = new Session(link(0), 'en', new RunService());
    await session.ready;
    session.seek(session.state.total);
    expect(session.undoCommand()).toBe('docker ps');
    await session.ready;
    const alone = messagesOf(new Simulation([RUN[0] as string], { seed: 1 }).runToEnd());
    expect(session.state.commands).toEqual([RUN[0]]);
    expect(session.state.total).toBe(alone.length);
    expect(session.state.position).toBeLessThanOrEqual(session.state.total);
    expect(session.messages.every((m) => m.command === 0)).toBe(true);
  });

  it('keeps an earlier position where it was', async () => {
    const session = new Session(link(30), 'en', new RunService());
    await session.ready;
    session.undoCommand();
    await session.ready;
    expect(session.state.position).toBe(30);
  });

  it('has nothing to take back on an empty run', async () => {
    const session = new Session(link(0, []), 'en', new RunService());
    await session.ready;
    expect(session.undoCommand()).toBeUndefined();
  });
});

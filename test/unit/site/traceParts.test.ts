import { describe, expect, it } from 'vitest';
import { RunService } from '../../../site/state/runService.ts';
import { TraceReceiver, TraceSender } from '../../../site/state/traceParts.ts';
import { Simulation } from '../../../src/sim/simulation.ts';

const REQ = { seed: 1, profile: 'v29' as const };

describe('traces sent from the worker as what they add', () => {
  it('sends a typed command’s run as its new entries only, and the page gets the whole trace back', async () => {
    const service = new RunService();
    const sender = new TraceSender();
    const receiver = new TraceReceiver();
    const first = await service.run({ ...REQ, commands: ['docker run -d --name web nginx'] });
    const one = sender.part(first);
    expect(one.kept).toBe(0);
    expect(receiver.take(one)).toEqual(first);
    const second = await service.run({ ...REQ, commands: ['docker run -d --name web nginx', 'docker ps'] });
    const two = sender.part(second);
    expect(two.kept).toBe(first.entries.length);
    expect(two.added.length).toBe(second.entries.length - first.entries.length);
    // Sent through a structured clone, as postMessage does: entries are new objects on the page.
    expect(receiver.take(structuredClone(two))).toEqual(
      new Simulation(['docker run -d --name web nginx', 'docker ps'], REQ).runToEnd(),
    );
  });

  it('sends a run that does not continue the last one whole', async () => {
    const service = new RunService();
    const sender = new TraceSender();
    const receiver = new TraceReceiver();
    receiver.take(sender.part(await service.run({ ...REQ, commands: ['docker ps'] })));
    const other = await service.run({ ...REQ, seed: 2, commands: ['docker images'] });
    const part = sender.part(other);
    expect(part.kept).toBe(0);
    expect(receiver.take(part)).toEqual(other);
  });
});

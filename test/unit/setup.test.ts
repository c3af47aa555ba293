import { describe, expect, it } from 'vitest';
import { messagesOf, cliOutput } from '../../src/views/trace.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { Stepper } from '../../src/sim/stepper.ts';

describe('a run with setup lines', () => {
  const setup = ['docker pull nginx', 'docker run -d --name web nginx'];

  it('starts from the world they leave, with nothing of them in the trace', () => {
    const trace = new Simulation(['docker ps'], { seed: 1, setup }).runToEnd();
    const messages = messagesOf(trace);
    expect(messages[0]).toMatchObject({ seq: 1, command: 0, from: 'User', to: 'CLI', call: 'docker ps' });
    expect(
      trace.entries.filter((e) => e.type === 'command').map((e) => e.type === 'command' && e.line),
    ).toEqual(['docker ps']);
    expect(trace.entries.some((e) => e.type === 'docker-event')).toBe(false);
    expect(cliOutput(trace)).toMatch(/nginx .* web\n$/);
  });

  it('is the same run for the stepper, so back and seek replay it exactly', () => {
    const whole = messagesOf(new Simulation(['docker stop web'], { seed: 1, setup }).runToEnd());
    const stepper = new Stepper(['docker stop web'], { seed: 1, setup });
    stepper.seek(whole.length);
    stepper.back();
    expect(stepper.position).toBe(whole.length - 1);
    stepper.seek(whole.length);
    expect(stepper.messages).toEqual(whole);
  });

  it('without setup lines, changes nothing', () => {
    const plain = new Simulation(['docker ps'], { seed: 1 }).runToEnd();
    const empty = new Simulation(['docker ps'], { seed: 1, setup: [] }).runToEnd();
    expect(empty.entries).toEqual(plain.entries);
  });
});

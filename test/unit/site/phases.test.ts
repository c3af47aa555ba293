import { describe, expect, it } from 'vitest';
import { t } from '../../../src/i18n/text.ts';
import { Simulation } from '../../../src/sim/simulation.ts';
import { nextMatchStep, nextPhaseStep, phasesOf, previousPhaseStep } from '../../../src/views/phases.ts';
import { messagesOf } from '../../../src/views/trace.ts';

const messages = messagesOf(
  new Simulation(['docker run -d --name web nginx', 'docker stop web'], { seed: 1 }).runToEnd(),
);
const phases = phasesOf(messages);
const names = phases.map((p) => t(p.label, 'en'));

describe('phases of a run', () => {
  it('names the phases the diagram notes, in order, covering every step once', () => {
    expect(names).toEqual([
      'command: docker run -d --name web nginx',
      'container creation',
      'image pull',
      'container creation',
      'container start',
      'command: docker stop web',
      'container stop',
      'resource cleanup after exit',
    ]);
    expect(phases[0]?.first).toBe(1);
    expect(phases.at(-1)?.last).toBe(messages.length);
    for (let i = 1; i < phases.length; i++) expect(phases[i]?.first).toBe((phases[i - 1]?.last ?? 0) + 1);
  });

  it('goes to the next and the previous phase from any step', () => {
    const pull = phases[2];
    if (!pull) throw new Error('no pull phase');
    expect(nextPhaseStep(phases, pull.first - 1)).toBe(pull.first);
    expect(nextPhaseStep(phases, pull.first)).toBe(phases[3]?.first);
    expect(previousPhaseStep(phases, pull.first + 5)).toBe(pull.first);
    expect(previousPhaseStep(phases, pull.first)).toBe(phases[1]?.first);
    expect(nextPhaseStep(phases, messages.length)).toBeUndefined();
  });

  it('finds the next message of a layer, of an operation, or of both', () => {
    const first = nextMatchStep(messages, 0, { layer: 'runc' });
    expect(messages[(first ?? 0) - 1]?.to === 'runc' || messages[(first ?? 0) - 1]?.from === 'runc').toBe(
      true,
    );
    expect(messages.slice(0, (first ?? 1) - 1).some((m) => m.from === 'runc' || m.to === 'runc')).toBe(false);
    const apply = nextMatchStep(messages, 40, { op: 'ctrd.Diff.Apply' });
    expect(apply).toBeGreaterThan(40);
    expect(messages[(apply ?? 0) - 1]?.op).toBe('ctrd.Diff.Apply');
    expect(nextMatchStep(messages, 0, { layer: 'Storage', op: 'api.ping' })).toBeUndefined();
  });
});

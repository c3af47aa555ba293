import { describe, expect, it } from 'vitest';
import type { Message } from '../../../src/model/message.ts';
import { Simulation } from '../../../src/sim/simulation.ts';
import { Stepper } from '../../../src/sim/stepper.ts';

const LIFECYCLE = ['docker run -d --name web nginx', 'docker stop web', 'docker rm web'];

describe('Stepper: breakpoints by container', () => {
  it('by container: holds the first message whose payload names it, by id or id prefix', () => {
    const reference = new Simulation([...LIFECYCLE])
      .runToEnd()
      .entries.flatMap((e) => (e.type === 'message' ? [e.message] : []));
    const named = (m: Message, word: (v: string) => boolean): boolean =>
      ['id', 'containerId', 'container', 'name'].some((k) => {
        const v = (m.payload as Record<string, unknown> | undefined)?.[k];
        return typeof v === 'string' && word(v.replace(/^\//, ''));
      });
    let id = '';
    reference.find((m) => named(m, (v) => /^[0-9a-f]{64}$/.test(v) && (id = v) !== ''));
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    for (const container of [id.slice(0, 12), id]) {
      const stepper = new Stepper(LIFECYCLE);
      stepper.addBreakpoint({ container });
      stepper.runToBreakpoint();
      const first = reference.find((m) => named(m, (v) => v.startsWith(container)));
      expect(stepper.position).toBe((first?.seq ?? 0) - 1);
      expect(first).toBeDefined();
    }
    const stepper = new Stepper(LIFECYCLE);
    expect(() => stepper.addBreakpoint({ container: 'ab' })).toThrow('"ab"');
  });
});

import { describe, expect, it } from 'vitest';
import { expectSameAsRealEngine } from './fidelity-fixture.ts';

/**
 * docker rename and docker port (r-rename-port.txt, dockerd 20.10.24): the rename event and
 * dockerd's refusals with the CLI's own line; the port mappings read from inspect.
 */
describe('fidelity: rename and port', () => {
  it('rename with its refusals, port of a container with and without published ports', () => {
    const { sim } = expectSameAsRealEngine('r-rename-port.txt', (line) => line.startsWith('docker '), {
      // rm -f of three containers: their removals run side by side.
      unordered: [14],
    });
    expect(sim.steps[1]?.events).toEqual([
      'container rename {image=busybox, name=old, oldName=/old} [status=Action id=Actor.ID from=busybox]',
    ]);
  });
});

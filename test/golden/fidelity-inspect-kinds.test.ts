import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/simulation.ts';
import { messagesOf } from '../../src/views/trace.ts';
import { expectSameAsRealEngine } from './fidelity-fixture.ts';

/**
 * `docker inspect` without --type (t-inspect-kinds.txt, dockerd 20.10.24 + CLI 28): a network and
 * a volume are found after a container and an image were asked for; nothing found ends with
 * GET /info and a plugin lookup, then `Error: No such object`.
 */
describe('fidelity: inspect of a network, a volume, nothing', () => {
  it('prints the network and the volume, and the refusal', () => {
    expectSameAsRealEngine('t-inspect-kinds.txt', () => true, { globalEvents: true });
  });

  it('asks as the CLI does: containers, images, networks, volumes, then info and plugins', () => {
    const trace = new Simulation(['docker inspect nosuch'], { seed: 1 }).runToEnd();
    const asked = messagesOf(trace)
      .filter((m) => m.from === 'CLI' && m.to === 'dockerd' && m.op !== 'api.ping')
      .map((m) => m.call.replace(/^(\w+ )\/v1\.\d+/, '$1'));
    expect(asked).toEqual([
      'GET /containers/nosuch/json',
      'GET /images/nosuch/json',
      'GET /networks/nosuch',
      'GET /volumes/nosuch',
      'GET /info',
      'GET /plugins/nosuch/json',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { expectSameAsRealEngine, loadFixture, simulate } from './fidelity-fixture.ts';

/**
 * docker system prune -f (w-search-prune.txt, dockerd 20.10.24): containers, networks, images and
 * build cache pruned in that order, each with its `prune` event, one total at the end. The recorded
 * run's containers had mounted volumes and a committed image left a dangling one, which the
 * simulation cannot make yet, so the first prune is compared for its containers and networks part.
 */
const hex = /\b[0-9a-f]{64}\b/g;

describe('fidelity: system prune', () => {
  it('with nothing to remove: four prunes, four prune events, the total', () => {
    const { sim } = expectSameAsRealEngine('w-search-prune.txt', (_line, i) => i === 17, {
      globalEvents: true,
    });
    expect(sim.steps[0]?.events.map((e) => e.split(' {')[0])).toEqual([
      'container prune',
      'network prune',
      'image prune',
      'builder prune',
    ]);
  });

  it('lists the stopped containers and the unused network as dockerd removed them', () => {
    const real = loadFixture('w-search-prune.txt').find((s) => s.line === 'docker system prune -f');
    const [sim] = simulate(['docker system prune -f'], {
      setup: [
        'docker pull busybox',
        'docker run --name used busybox true',
        'docker run --name anon busybox true',
        'docker network create n1',
      ],
    });
    const head = (text: string | undefined) =>
      (text ?? '').split('Deleted Images:')[0]?.replace(hex, 'ID').split('Total reclaimed')[0];
    expect(head(sim?.stdout)).toBe(head(real?.stdout));
    expect(sim?.stdout.endsWith('\nTotal reclaimed space: 0B\n')).toBe(true);
  });
});

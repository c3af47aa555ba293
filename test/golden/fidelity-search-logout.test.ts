import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/model/json.ts';
import { renderTemplate } from '../../src/layers/cli/goTemplate.ts';
import { SEARCH_FORMAT, SEARCH_HEADERS, searchContext } from '../../src/views/docker/search.ts';
import { tabwrite } from '../../src/views/docker/tabwriter.ts';
import { messagesOf } from '../../src/views/trace.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { expectSameAsRealEngine, loadFixture, simulate } from './fidelity-fixture.ts';

/**
 * docker search and docker logout (w-search-prune.txt, dockerd 20.10.24 in a network namespace of
 * its own). The recorded searches asked a small index on loopback, whose two results the capture's
 * header gives; the simulation's index is its own catalogue, so the CLI's table is checked on the
 * recorded results, and the simulated search's request on its own run. logout is the CLI's alone.
 */
const RESULTS: JsonObject[] = [
  { name: 'library/busybox', description: 'Busybox base image.', star_count: 3300, is_official: true },
  {
    name: 'someone/busybox-tools',
    description: 'busybox with extra tools',
    star_count: 12,
    is_official: false,
  },
];

function table(results: JsonObject[]): string {
  const body = SEARCH_FORMAT.slice(6);
  const rows = [SEARCH_HEADERS, ...results.map((r) => searchContext(r, false))].map((c) => {
    const out = renderTemplate(body, c);
    return (out.ok ? out.text : '').split('\t');
  });
  return tabwrite(rows);
}

describe('fidelity: search and logout', () => {
  const steps = loadFixture('w-search-prune.txt');
  const stdoutOf = (line: string) => steps.find((s) => s.line === line)?.stdout;

  it('prints the index’s results as the CLI does, official or not, filtered', () => {
    expect(table(RESULTS)).toBe(stdoutOf('docker search localhost:5000/busybox'));
    expect(table(RESULTS.slice(0, 1))).toBe(
      stdoutOf('docker search --filter is-official=true localhost:5000/busybox'),
    );
  });

  it('asks dockerd, which asks the simulated index (never the real one)', () => {
    const trace = new Simulation(['docker search busybox'], { profile: 'classic' }).runToEnd();
    const calls = messagesOf(trace).map((m) => `${m.from} -> ${m.to}: ${m.call}`);
    expect(calls).toContain('CLI -> dockerd: GET /v1.41/images/search?term=busybox');
    expect(calls).toContain('dockerd -> Registry: GET https://index.docker.io/v1/search?q=busybox&n=25');
  });

  it('logout erases the CLI’s credentials without a request, default server or named', () => {
    const lines = ['docker logout', 'docker logout localhost:5000'];
    const sim = simulate(lines, { setup: [] });
    lines.forEach((line, i) => {
      const real = steps.find((s) => s.line === line);
      expect(sim[i]?.stdout).toBe(real?.stdout);
      expect(sim[i]?.stderr).toBe(real?.stderr);
      expect(sim[i]?.exitCode).toBe(real?.exitCode);
    });
    const trace = new Simulation(lines).runToEnd();
    expect(messagesOf(trace).filter((m) => m.to === 'dockerd')).toEqual([]);
  });
});

describe('fidelity: volume prune', () => {
  // The recorded run also had volumes mounted by containers, which the simulation does not mount.
  it('20.10 removes an unused named volume, with one prune event and no destroy', () => {
    const { sim } = expectSameAsRealEngine(
      'w-search-prune.txt',
      (line) => line === 'docker volume create v1' || line === 'docker volume prune -f',
      { globalEvents: true, noNetwork: true },
    );
    expect(sim.steps[1]?.events).toEqual(['volume prune {reclaimed=0} [status=undefined id=undefined]']);
  });
});

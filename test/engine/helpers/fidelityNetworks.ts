// Replaying a recording with user-defined networks against the engine (fidelity.test.ts): as
// replayCase does, with the networks' own events (create, destroy) kept on both sides, and what
// depends on the host masked: the addresses of a network drawn from the default pools (the first
// free /16 of 172.17–31 depends on the host's routes and the other engines on it) and the
// interfaces' indexes (dockerd made the veth in the host's namespace and moved it, keeping the
// host's index; the engine makes the peer in the sandbox).
import { expect } from 'vitest';
import { givenNames, loadFixture, onlyPicked } from '../../golden/fidelity-fixture.ts';
import type { RunningEngine } from './engine.ts';
import { normalise, replayOnEngine, type Replayed, type ReplayOptions } from './fidelityRun.ts';

const hostFree = (text: string): string =>
  text.replace(/\b172\.(1[7-9]|2\d|3[01])\./g, '172.<pool>.').replace(/^\d+: (eth\d)/gm, '<index>: $1');

/**
 * Engine 29 (the engine's profile) connects a starting container after Tasks.Create: the
 * recording's connect moves after its task's create, where it has one in the same command (a
 * `docker network connect` of a running container has none, and keeps its place).
 */
function connectWhereTaskCreated(lines: string[]): string[] {
  const out = [...lines];
  for (const line of lines) {
    const connect = /^EV network connect \{container=([^,}]+)/.exec(line);
    const created = connect ? out.indexOf(`CT /tasks/create ${connect[1] ?? ''}`) : -1;
    if (created < 0 || created < out.indexOf(line)) continue;
    out.splice(out.indexOf(line), 1);
    out.splice(created, 0, line);
  }
  return out;
}

/** Both sides of a case, normalised the same way, the host's part masked. */
export async function replayNetworks(
  engine: RunningEngine,
  fixture: string,
  pick: (line: string, index: number) => boolean,
  options: ReplayOptions = {},
): Promise<{ real: Replayed[]; ours: Replayed[] }> {
  const recorded = onlyPicked(loadFixture(fixture, pick), true);
  const lines = recorded.map((s) => s.line);
  const names = givenNames(lines);
  const real = normalise(recorded, names, connectWhereTaskCreated);
  let total = 0;
  const counts = real.map((s) => (total += s.events.length));
  const raw = await replayOnEngine(engine, lines, counts, options);
  const ours = normalise(onlyPicked(raw, true), names);
  // Each network event names its network by a full id: the bridge's, or a user-defined one's.
  for (const e of raw.flatMap((s) => s.events).filter((e) => e.Type === 'network'))
    expect(e.Actor.ID).toMatch(/^[0-9a-f]{64}$/);
  const masked = (side: Replayed[]) => side.map((r) => ({ ...r, stdout: hostFree(r.stdout) }));
  return { real: masked(real), ours: masked(ours) };
}

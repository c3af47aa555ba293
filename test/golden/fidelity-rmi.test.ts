import { describe, expect, it } from 'vitest';
import { goldenLines, messagesOf } from '../../src/views/trace.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { expectSameAsRealEngine, loadFixture, simulate } from './fidelity-fixture.ts';

/**
 * `docker rmi` and `docker tag` against j-image-rmi-tag-version.txt (a private dockerd 20.10.24,
 * started with --bridge=none and --ip-forward=false: no network events, and a forwarding warning
 * on create that a normal engine does not print — both left out of the comparison). The capture
 * imports busybox; the simulation pulls it instead, so those steps' output and events are not
 * compared, and the real image ids in the commands are replaced by the simulated image's id.
 */
const FIXTURE = 'j-image-rmi-tag-version.txt';
const SIM_ID = (simulate(["docker image inspect -f '{{.Id}}' busybox"])[0]?.stdout ?? '').trim();
const rewrite = (line: string) =>
  line.startsWith('docker import ')
    ? 'docker pull busybox'
    : line.replace(/sha256:[0-9a-f]{64}/, SIM_ID).replace(/\b[0-9a-f]{12}\b/, SIM_ID.slice(7, 19));
const noWarning = (stderr: string) =>
  stderr.replace('WARNING: IPv4 forwarding is disabled. Networking will not work.\n', '');
/**
 * "container X is using its referenced image": moby names the first container of a Go map, so
 * with two users either may be named (g-errors-part2 named the older, this capture the newer);
 * the simulation always names the oldest, r1 here.
 */
const anyUser = (stderr: string) =>
  stderr.replace(
    'container <r2> is using its referenced image',
    'container <r1> is using its referenced image',
  );

/** Replay fixture commands `indexes`; the option lists name fixture indexes too. */
function replay(indexes: number[], o: { skipStdout?: number[] } = {}) {
  const imports = indexes.filter((i) => loadFixture(FIXTURE)[i]?.line.startsWith('docker import'));
  const at = (list: number[]) => list.map((i) => indexes.indexOf(i));
  return expectSameAsRealEngine(FIXTURE, (_line, i) => indexes.includes(i), {
    setup: [],
    rewrite,
    noNetwork: true,
    realStderr: (stderr) => anyUser(noWarning(stderr)),
    skipOutput: at(imports),
    skipEvents: at(imports),
    skipStdout: at(o.skipStdout ?? []),
  });
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('fidelity: docker rmi and docker tag (classic image store, as dockerd 20.10)', () => {
  it('untag one of two references; 409s while containers use the image; -f by name only untags a running image; delete with layers', () => {
    // 10 is an `od -c` pipeline, checked in fidelity-exec; 12 and 13 print ages and sizes.
    const { sim } = replay(
      range(0, 16).filter((i) => i !== 10),
      { skipStdout: [12, 13] },
    );
    expect(sim.steps[2]).toMatchObject({
      stdout: 'Untagged: busybox:extra\n',
      events: ['image untag {name=sha256:<H1>} [status=Action id=Actor.ID]'],
    });
    expect(sim.steps[11]?.stdout).toMatch(/^REPOSITORY +TAG +IMAGE ID +CREATED +SIZE\n<none> +<none> +<H1> /);
    expect(sim.steps[12]?.stdout).toMatch(/\n<r2> +<H1> +"sleep 1000" /);
    expect(sim.steps[15]?.stdout).toMatch(/^Deleted: sha256:<H\d+>\nDeleted: sha256:<H\d+>\n$/);
  });

  it('an image id with two references needs -f, which untags both then deletes', () => {
    replay([17, 18, 19, 20]);
  });

  it('rmi -f of the last reference with only a created container deletes the image but keeps its layer', () => {
    const { sim } = replay(range(21, 28), { skipStdout: [24] });
    expect(sim.steps[2]?.stdout).toMatch(/^Untagged: busybox:latest\nDeleted: sha256:<H\d+>\n$/);
    expect(sim.steps[3]?.stdout).toMatch(/\n<r4> +<H\d+> +"sh" /);
  });

  it('tag errors, a second reference, docker image rm, rmi by short id, rmi of nothing', () => {
    const { sim } = replay(range(42, 49), { skipStdout: [46] });
    expect(sim.steps[4]?.stdout).toMatch(
      /^REPOSITORY +TAG +IMAGE ID +CREATED +SIZE\nbb +latest +(\S+) .*\nbusybox +latest +\1 /,
    );
  });

  it('the Engine API answers as the capture shows: 200 with Untagged/Deleted items, 409 conflict, 404', () => {
    const real = loadFixture(FIXTURE).filter((s) => s.line.startsWith('curl') && s.line.includes('DELETE'));
    const statusOf = (stdout: string) => /^HTTP\/1\.1 (.*)$/m.exec(stdout)?.[1];
    expect(real.map((s) => statusOf(s.stdout))).toEqual([
      '200 OK',
      '409 Conflict',
      '404 Not Found',
      '200 OK',
    ]);
    const commands = [
      'docker pull busybox',
      'docker tag busybox busybox:extra',
      'docker rmi busybox:extra',
      'docker create --name r5 busybox',
      'docker rmi busybox',
      'docker rmi nosuchimage',
      'docker rm r5',
      'docker rmi busybox',
    ];
    const trace = new Simulation(commands, { seed: 1, profile: 'classic' }).runToEnd();
    const replies = messagesOf(trace).filter((m) => m.kind === 'reply' && m.op === 'api.images.delete');
    expect(replies.map((m) => m.call)).toEqual(['200 OK', '409 Conflict', '404 Not Found', '200 OK']);
    const shape = (json: string) =>
      json.replace(/sha256:[0-9a-f]{64}/g, 'sha256:ID').replace(/\b[0-9a-f]{12}\b/g, 'SHORT');
    expect(replies.map((m) => shape(JSON.stringify(m.payload)))).toEqual(
      real.map((s) => shape(s.stdout.trim().split('\n').at(-1) ?? '')),
    );
    expect(goldenLines(trace).filter((l) => l.startsWith('CLI -> dockerd: DELETE'))[0]).toBe(
      'CLI -> dockerd: DELETE /v1.41/images/busybox:extra',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { connectAfterTaskCreate, expectSameAsRealEngine, simulate } from './fidelity-fixture.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { messagesOf } from '../../src/views/trace.ts';

/**
 * Profile v29 (Docker Engine 29's containerd image store) changes where images and the
 * containers' writable layers live, and one step of the lifecycle: the same docker events and
 * task topics as the recorded 20.10 engine, plus containerd's /snapshot/* topics for each
 * container's writable layer (prepared at create, removed at rm), which a classic engine does
 * not have, and the network connected after /tasks/create (connectAfterTaskCreate).
 */
const docker = (line: string) => line.startsWith('docker ') && !line.includes('$(');

/**
 * Engine 29's Cleanup deletes the containerd container before it releases the network (moby
 * docker-v29.0.0 daemon/start.go); dockerd 20.10, recorded, released the network first.
 */
function containerDeleteFirst(lines: string[]): string[] {
  const out = [...lines];
  for (let i = 0; i < out.length; i++) {
    if (!out[i]?.startsWith('CT /containers/delete')) continue;
    let disconnect = i - 1;
    while (disconnect >= 0 && !out[disconnect]?.startsWith('EV network disconnect')) disconnect--;
    if (disconnect < 0) continue;
    const [line] = out.splice(i, 1);
    if (line !== undefined) out.splice(disconnect, 0, line);
  }
  return out;
}
const v29 = {
  profile: 'v29' as const,
  dropTopics: /^CT \/snapshot\//,
  realMerged: (lines: string[]) => containerDeleteFirst(connectAfterTaskCreate(lines)),
};

describe('fidelity: the container lifecycle in profile v29', () => {
  for (const [fixture, skipStdout] of [
    ['e-oom.txt', []],
    ['b-pause-unpause-kill-restart.txt', []],
    ['c2-run-trap-stop.txt', []],
    ['a-create-start-stop.txt', []],
    ['d-run-bad-command.txt', [12]],
  ] as const) {
    it(`${fixture}: same events as the classic engine, snapshot topics aside`, () => {
      expectSameAsRealEngine(fixture, docker, { ...v29, skipStdout: [...skipStdout] });
    });
  }

  // Engine 29 exits 127 for an exec whose program is not there (moby docker-v29.0.0
  // daemon/errors.go setExitCodeFromError); dockerd 20.10 said 126 whatever the cause.
  it('f-exec.txt: same events as the classic engine, snapshot topics aside; 127 for a missing program', () => {
    expectSameAsRealEngine('f-exec.txt', docker, {
      ...v29,
      realStdout: (out, i) => (i === 3 ? out.replace(/\n$/, '\r\n') : out),
      realExitCode: (code, i) => (i === 3 && code === 126 ? 127 : code),
    });
  });

  // Not checked against a real Engine 29 (none was available): modelled on moby's
  // daemon/containerd/image_delete.go. Each reference is a containerd image record.
  it('rmi with the containerd image store: Images.Delete per reference, untag names the reference', () => {
    const [tag, rmi, last] = simulate(
      ['docker tag busybox bb:one', 'docker rmi bb:one', 'docker rmi busybox'],
      { profile: 'v29' },
    );
    expect(tag?.topics.map((t) => t.topic)).toEqual(['/images/create']);
    expect(rmi).toMatchObject({ stdout: 'Untagged: bb:one\n', exitCode: 0 });
    expect(rmi?.events.map((e) => [e.Action, e.Actor.Attributes.name])).toEqual([['untag', 'bb:one']]);
    expect(rmi?.topics.map((t) => t.topic)).toEqual(['/images/delete']);
    expect(last?.stdout).toMatch(/^Untagged: busybox:latest\nDeleted: sha256:[0-9a-f]{64}\n$/);
    expect(last?.events.map((e) => e.Action)).toEqual(['untag', 'delete']);
  });
});

/**
 * `docker ps`: dockerd lists containers from memory in both engines. Engine 29's refreshImage
 * asks containerd's image store whether each container's image name still names its image (moby
 * docker-v29.0.0 daemon/list.go refreshImage → GetImage); dockerd 20.10 reads its own store.
 */
describe('docker ps and containerd', () => {
  const below = (profile: 'classic' | 'v29') =>
    messagesOf(
      new Simulation(['docker ps'], {
        profile,
        setup: ['docker run -d --name one busybox sleep 1000', 'docker run -d --name two busybox sleep 1000'],
      }).runToEnd(),
    )
      .filter((m) => m.from === 'dockerd' && m.to === 'containerd')
      .map((m) => m.call);

  it('v29: one Images.Get per listed container, nothing about the containers', () => {
    expect(below('v29')).toEqual([
      'Images.Get(docker.io/library/busybox:latest)',
      'Images.Get(docker.io/library/busybox:latest)',
    ]);
  });

  it('classic: no containerd call at all', () => {
    expect(below('classic')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { expectSameAsRealEngine, simulate } from './fidelity-fixture.ts';

/**
 * Profile v29 (Docker Engine 29's containerd image store) changes where images and the
 * containers' writable layers live, and one step of the lifecycle: the same docker events and
 * task topics as the recorded 20.10 engine, plus containerd's /snapshot/* topics for each
 * container's writable layer (prepared at create, removed at rm), which a classic engine does
 * not have, and the network connected after /tasks/create (connectAfterTaskCreate).
 */
const docker = (line: string) => line.startsWith('docker ') && !line.includes('$(');

/**
 * Engine 26+ connects the network after Tasks.Create (moby docker-v29.0.0 daemon/start.go,
 * start_linux.go initializeCreatedTask: SetKey on the init's netns, then allocateNetwork, before
 * Tasks.Start); 20.10 connected it before the spec. So the recorded `network connect` moves after
 * the container's /tasks/create, and goes when the task was never created (a missing command):
 * Engine 29 never reaches the network then.
 */
function connectAfterTaskCreate(lines: string[]): string[] {
  const waiting = new Map<string, string>();
  const out: string[] = [];
  for (const line of lines) {
    const connect = /^EV network connect \{container=([^,}]+)/.exec(line);
    if (connect) waiting.set(connect[1] ?? '', line);
    else out.push(line);
    const create = /^CT \/tasks\/create (\S+)$/.exec(line);
    const held = create ? waiting.get(create[1] ?? '') : undefined;
    if (create && held !== undefined) {
      out.push(held);
      waiting.delete(create[1] ?? '');
    }
  }
  return out;
}

const v29 = { profile: 'v29' as const, dropTopics: /^CT \/snapshot\//, realMerged: connectAfterTaskCreate };

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

  it('f-exec.txt: same events as the classic engine, snapshot topics aside', () => {
    expectSameAsRealEngine('f-exec.txt', docker, {
      ...v29,
      realStdout: (out, i) => (i === 3 ? out.replace(/\n$/, '\r\n') : out),
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

import { describe, expect, it } from 'vitest';
import { draft } from '../../src/layers/post.ts';
import type { Message } from '../../src/model/message.ts';
import type { Participant } from '../../src/model/participants.ts';
import { cliOutput, messagesOf } from '../../src/views/trace.ts';
import { Simulation } from '../../src/sim/simulation.ts';

/**
 * Illegal transitions, machine by machine: a request the object's state does not allow gets the
 * real component's error as a failed reply in the trace — never a silent drop — and the object's
 * state does not move. Texts are those recorded from a real Engine (test/fixtures/real-engine).
 */
const ID = /[0-9a-f]{64}/;

function after(setup: string[], command: string) {
  const trace = new Simulation([...setup, command]).runToEnd();
  const index = setup.length;
  const own = messagesOf(trace).filter((m) => m.command === index);
  const out = cliOutput({
    ...trace,
    entries: trace.entries.filter((e) => !('command' in e) || e.command === index),
  });
  const events = trace.entries.filter(
    (e) => e.type === 'docker-event' && e.event.time * 1000 >= (own[0]?.at ?? 0),
  );
  return { trace, own, out, events };
}

describe('dockerd container machine', () => {
  const running = ['docker run -d --name g5 busybox sleep 1000'];
  const exited = ['docker run --name g1 busybox echo hello'];

  it('pause of an exited container → 409 "is not running"', () => {
    const r = after(exited, 'docker pause g1');
    expect(r.out).toMatch(new RegExp(`Error response from daemon: Container ${ID.source} is not running\\n`));
    expect(
      r.own.some((m) => m.from === 'dockerd' && m.to === 'CLI' && !m.ok && m.call.startsWith('409')),
    ).toBe(true);
    expect(r.own.some((m) => m.to === 'containerd')).toBe(false);
  });

  it('unpause of a running container → 500 "is not paused"', () => {
    const r = after(running, 'docker unpause g5');
    expect(r.out).toMatch(new RegExp(`Error response from daemon: Container ${ID.source} is not paused\\n`));
    expect(r.own.some((m) => m.from === 'dockerd' && !m.ok && m.call.startsWith('500'))).toBe(true);
  });

  it('pause of a paused container → 409 "is already paused"', () => {
    const r = after([...running, 'docker pause g5'], 'docker pause g5');
    expect(r.out).toMatch(
      new RegExp(`Error response from daemon: Container ${ID.source} is already paused\\n`),
    );
  });

  it('kill of an exited container → 409 with the name and the id', () => {
    const r = after(exited, 'docker kill g1');
    expect(r.out).toMatch(
      new RegExp(
        `Error response from daemon: Cannot kill container: g1: Container ${ID.source} is not running\\n`,
      ),
    );
    expect(r.events).toHaveLength(0);
  });

  it('rm of a running container → 409 and the container keeps running', () => {
    const r = after(running, 'docker rm g5');
    expect(r.out).toMatch(/You cannot remove a running container/);
    const ps = cliOutput(new Simulation([...running, 'docker rm g5', 'docker ps']).runToEnd());
    expect(ps).toMatch(/Up \d+ seconds? +g5\n$/);
  });

  it('start of a running container and stop of an exited one are no-ops (304): the name, no event', () => {
    const start = after(running, 'docker start g5');
    expect(start.out).toBe('$ docker start g5\ng5\n');
    expect(start.own.some((m) => m.call.startsWith('304'))).toBe(true);
    const stop = after(exited, 'docker stop g1');
    expect(stop.out).toBe('$ docker stop g1\ng1\n');
    expect(stop.own.some((m) => m.to === 'containerd')).toBe(false);
  });

  it('exec in a stopped container → "is not running", exit 1', () => {
    const r = after(exited, 'docker exec g1 true');
    expect(r.out).toMatch(new RegExp(`Error response from daemon: Container ${ID.source} is not running\\n`));
    expect(r.trace.entries.filter((e) => e.type === 'exit').at(-1)).toMatchObject({ code: 1 });
  });
});

/** Post one request straight onto a quiet world's wire and deliver until it is answered. */
function ask(
  setup: string[],
  from: Participant,
  to: Participant,
  op: string,
  payload: Record<string, string | number>,
): Message | undefined {
  const sim = new Simulation(setup);
  sim.runToEnd();
  const id = sim.world.wire.request(undefined, draft(from, to, op, `${op} (test)`, { payload }));
  for (let m = sim.step(); m; m = sim.step()) if (m.inReplyTo === id) return m;
  return undefined;
}

describe('lower layers refuse what their state does not allow, with a visible failed reply', () => {
  it('containerd: a task call for a container that has no task → not found', () => {
    const reply = ask([], 'dockerd', 'containerd', 'ctrd.Tasks.Kill', { id: 'f'.repeat(64), signal: 9 });
    expect(reply?.ok).toBe(false);
    expect(reply?.call).toMatch(/not ?found/i);
  });

  it('containerd: deleting a container that does not exist → not found', () => {
    const reply = ask([], 'dockerd', 'containerd', 'ctrd.Containers.Delete', { id: 'e'.repeat(64) });
    expect(reply?.ok).toBe(false);
    expect(reply?.call).toMatch(/not ?found/i);
  });

  it('runc: start of a container that was never created → runc error, a failed reply', () => {
    const reply = ask([], 'shim', 'runc', 'runc.start', { id: 'c'.repeat(64) });
    expect(reply?.ok).toBe(false);
    expect(reply?.call).toMatch(/does not exist|not found/);
  });

  it('runc: delete of a running container is refused and the container keeps running', () => {
    const setup = ['docker run -d --name g5 busybox sleep 1000'];
    const sim = new Simulation(setup);
    sim.runToEnd();
    const id = [...sim.world.ports.runtime.processes()][0]?.containerId ?? '';
    const reply = ask(setup, 'shim', 'runc', 'runc.delete', { id });
    expect(reply?.ok).toBe(false);
    expect(sim.world.ports.runtime.processes().some((p) => p.containerId === id)).toBe(true);
  });

  it('storage: committing a snapshot key that was never prepared fails', () => {
    const reply = ask([], 'containerd', 'Storage', 'storage.commit', {
      key: 'nope',
      name: 'sha256:' + '0'.repeat(64),
    });
    expect(reply?.ok).toBe(false);
  });

  it('network: leaving an endpoint that was never joined fails', () => {
    const reply = ask([], 'dockerd', 'Network', 'net.disconnect', {
      containerId: 'd'.repeat(64),
      id: 'd'.repeat(64),
    });
    expect(reply?.ok).toBe(false);
  });
});

// Sim beside real (site/live/liveCompare.ts): two traces agree where who talks to whom, the kind
// and the op agree in order; what one side has and the other has not is marked.
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/model/message.ts';
import { compare, simulate } from '../../site/live/liveCompare.ts';

function msg(seq: number, from: Message['from'], to: Message['to'], op: string, call = op): Message {
  return {
    seq,
    id: seq,
    from,
    to,
    kind: 'request',
    op,
    call,
    ok: true,
    narration: { key: op },
    command: 0,
    at: 0,
  };
}

describe('the simulation beside the host', () => {
  it('marks an extra retry and another order, not different ids or calls', () => {
    const real = [
      msg(10, 'CLI', 'dockerd', 'api.ping', 'HEAD /_ping'),
      msg(11, 'dockerd', 'Registry', 'registry.get', 'GET /v2/ (1)'),
      msg(12, 'dockerd', 'Registry', 'registry.get', 'GET /v2/ (2)'),
      msg(13, 'dockerd', 'containerd', 'ctrd.a'),
      msg(14, 'dockerd', 'containerd', 'ctrd.b'),
    ];
    const sim = [
      msg(1, 'CLI', 'dockerd', 'api.ping', 'HEAD /_ping'),
      msg(2, 'dockerd', 'Registry', 'registry.get', 'GET /v2/'),
      msg(3, 'dockerd', 'containerd', 'ctrd.b'),
      msg(4, 'dockerd', 'containerd', 'ctrd.a'),
    ];
    const { real: r, sim: s } = compare(real, sim);
    expect(r.map((c) => c.shared)).toEqual([true, true, false, false, true]);
    expect(s.map((c) => c.shared)).toEqual([true, true, true, false]);
  });

  it('runs a console line in the simulation after the earlier ones', () => {
    const messages = simulate('docker ps', ['docker pull busybox']);
    const calls = messages.map((m) => `${m.from} → ${m.to}`);
    expect(calls[0]).toBe('User → CLI');
    expect(messages.some((m) => m.call.includes('/containers/json'))).toBe(true);
    // The setup's pull is not in the compared trace.
    expect(messages.some((m) => m.to === 'Registry')).toBe(false);
  });
});

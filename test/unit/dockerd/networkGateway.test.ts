import { describe, expect, it } from 'vitest';
import { gatewayRefusal } from '../../../src/layers/dockerd/ops/networkIpam.ts';
import { draft } from '../../../src/layers/post.ts';
import type { JsonObject } from '../../../src/model/json.ts';
import type { Message } from '../../../src/model/message.ts';
import { Simulation } from '../../../src/sim/simulation.ts';

/**
 * `POST /networks/create` with a gateway the subnet's pool cannot give, as a private dockerd
 * 20.10 answered it (test/fixtures/real-engine/z3-gateway-sandbox.txt): 500 with libnetwork's
 * words, no network made, no event. (The docker CLI 28 refuses a gateway outside every subnet
 * itself, before any request: `no matching subnet for gateway 10.98.0.1`.)
 */
function create(name: string, subnet: string, gateway: string): { reply?: Message; sim: Simulation } {
  const sim = new Simulation([]);
  const path = '/v1.41/networks/create';
  const body = { Name: name, CheckDuplicate: true, IPAM: { Config: [{ Subnet: subnet, Gateway: gateway }] } };
  const id = sim.world.wire.request(
    undefined,
    draft('CLI', 'dockerd', 'api.networks.create', `POST ${path}`, {
      payload: { method: 'POST', path, query: {}, body },
    }),
  );
  sim.runToEnd();
  for (const e of sim.trace.entries)
    if (e.type === 'message' && e.message.inReplyTo === id) return { reply: e.message, sim };
  return { sim };
}

describe('network create: the gateway comes from the subnet’s pool', () => {
  it('refuses a gateway outside the subnet, and its network and broadcast addresses', () => {
    expect(gatewayRefusal('10.99.0.0/24', '10.98.0.1')).toBe(
      'failed to allocate gateway (10.98.0.1): Requested address is out of range',
    );
    expect(gatewayRefusal('10.99.0.0/24', '10.99.0.0')).toBe(
      'failed to allocate gateway (10.99.0.0): Address already in use',
    );
    expect(gatewayRefusal('10.99.0.0/24', '10.99.0.255')).toBe(
      'failed to allocate gateway (10.99.0.255): Address already in use',
    );
    expect(gatewayRefusal('10.99.0.0/24', '10.99.0.254')).toBeUndefined();
    expect(gatewayRefusal('10.99.0.0/16', '10.99.7.1')).toBeUndefined();
  });

  it('answers 500 with dockerd’s words and makes no network', () => {
    const { reply, sim } = create('n', '10.99.0.0/24', '10.98.0.1');
    expect(reply?.status).toMatch(/^500/);
    expect((reply?.payload as JsonObject).message).toBe(
      'failed to allocate gateway (10.98.0.1): Requested address is out of range',
    );
    const events = sim.trace.entries.filter((e) => e.type === 'docker-event');
    expect(events).toEqual([]);
    const calls = sim.trace.entries.filter(
      (e) => e.type === 'message' && e.message.op === 'net.createNetwork',
    );
    expect(calls).toEqual([]);
  });

  it('takes a gateway inside the subnet', () => {
    const { reply } = create('n', '10.99.0.0/24', '10.99.0.254');
    expect(reply?.status).toMatch(/^201/);
  });
});

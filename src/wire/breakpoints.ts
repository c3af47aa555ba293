import { isParticipant, type Participant } from '../model/participants.ts';
import type { JsonObject } from '../model/json.ts';
import type { Pending } from './gate.ts';

/**
 * Breakpoints: conditions on a message that the gate (gate.ts) holds it for, before it is
 * delivered. A breakpoint names a layer (the message's receiving end, sending end, or either),
 * its real call (a substring or a RegExp), its op (exact), or a container (its id, an id prefix
 * of at least 4 characters, or its name, wherever the message's payload names it).
 */
export type Direction = 'to' | 'from' | 'any';

export type BreakpointSpec =
  | { layer: Participant; direction?: Direction }
  | { call: string | RegExp }
  | { op: string }
  | { container: string };

export type Breakpoint = BreakpointSpec & { readonly id: number };

/** Check a breakpoint spec and make it safe to test repeatedly (no sticky `lastIndex`). */
export function normalize(spec: BreakpointSpec): BreakpointSpec {
  if ('layer' in spec) {
    if (!isParticipant(spec.layer))
      throw new Error(`breakpoint: unknown layer ${JSON.stringify(spec.layer)}`);
    const direction = spec.direction ?? 'any';
    if (!['to', 'from', 'any'].includes(direction))
      throw new Error(`breakpoint: unknown direction ${JSON.stringify(direction)}`);
    return { layer: spec.layer, direction };
  }
  if ('call' in spec) {
    const { call } = spec;
    if (call instanceof RegExp) return { call: new RegExp(call.source, call.flags.replace(/[gy]/g, '')) };
    if (call === '') throw new Error('breakpoint: call "" would match every message');
    return { call };
  }
  if ('container' in spec) {
    if (spec.container.length < 4)
      throw new Error(`breakpoint: container ${JSON.stringify(spec.container)} is too short to name one`);
    return { container: spec.container };
  }
  if (spec.op === '') throw new Error('breakpoint: op "" matches no message');
  return { op: spec.op };
}

/** What a message says about the container it concerns: ids and names in its payload. */
function containerWords(msg: Pick<Pending, 'payload'>): string[] {
  const p = (msg.payload ?? {}) as JsonObject;
  if (typeof p !== 'object' || Array.isArray(p)) return [];
  return ['id', 'containerId', 'container', 'name'].flatMap((k) => (typeof p[k] === 'string' ? [p[k]] : []));
}

export function matches(
  bp: BreakpointSpec,
  msg: Pick<Pending, 'from' | 'to' | 'call' | 'op' | 'payload'>,
): boolean {
  if ('layer' in bp) {
    const direction = bp.direction ?? 'any';
    return (direction !== 'from' && msg.to === bp.layer) || (direction !== 'to' && msg.from === bp.layer);
  }
  if ('call' in bp) return typeof bp.call === 'string' ? msg.call.includes(bp.call) : bp.call.test(msg.call);
  if ('container' in bp)
    return containerWords(msg).some(
      (w) =>
        w === bp.container ||
        w.replace(/^\//, '') === bp.container ||
        (/^[0-9a-f]+$/.test(bp.container) && w.startsWith(bp.container)),
    );
  return msg.op === bp.op;
}

// The engine's gate, on its own socket (dockstep endpoints, no network port): real step mode and
// breakpoints (engine/real/stepping.ts). `dockstep gate` speaks these.
//   GET    /dockstep/v1/gate              → {stepMode, breakpoints, held, holds}
//   POST   /dockstep/v1/gate/step?on=1|0  → step mode on or off
//   POST   /dockstep/v1/gate/breakpoints  ← {"layer"|"op"|"call"|"container": "…"} → the breakpoint
//   DELETE /dockstep/v1/gate/breakpoints  → every breakpoint gone
//   POST   /dockstep/v1/gate/release      → the oldest held message goes on, named in the answer
//                                           (409 when nothing is held)
import type { BreakpointSpec } from '../../../src/wire/breakpoints.ts';
import { isParticipant } from '../../../src/model/participants.ts';
import type { Call, Route } from '../context.ts';
import { ApiError, badRequest } from '../errors.ts';
import { readJson, sendEmpty, sendJson } from '../http.ts';

function spec(body: unknown): BreakpointSpec {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest('a breakpoint is a JSON object: {"layer"|"op"|"call"|"container": "…"}');
  const entries = Object.entries(body as Record<string, unknown>);
  const [key, value] = entries[0] ?? [];
  if (entries.length !== 1 || typeof value !== 'string')
    throw badRequest(
      `a breakpoint names one of layer, op, call, container with a string, got ${JSON.stringify(body)}`,
    );
  if (key === 'layer') {
    if (!isParticipant(value)) throw badRequest(`unknown layer ${JSON.stringify(value)}`);
    return { layer: value };
  }
  if (key === 'op' || key === 'call' || key === 'container') return { [key]: value } as BreakpointSpec;
  throw badRequest(`unknown breakpoint field ${JSON.stringify(key)}: use layer, op, call or container`);
}

async function addBreakpoint(call: Call): Promise<void> {
  try {
    sendJson(call.res, 201, call.engine.stepping.addBreakpoint(spec(await readJson(call.req))));
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw badRequest(error instanceof Error ? error.message : String(error));
  }
}

function stepMode(call: Call): void {
  const on = call.query.get('on');
  if (on !== '1' && on !== '0') throw badRequest('step mode needs on=1 or on=0');
  call.engine.stepping.stepMode(on === '1');
  sendEmpty(call.res, 204);
}

/** The oldest held message goes on; the answer names it (its request, from → to, call). */
function release(call: Call): void {
  const released = call.engine.stepping.release();
  if (released === undefined) throw new ApiError(409, 'no message is held at the gate');
  sendJson(call.res, 200, released);
}

export const routes: Route[] = [
  {
    method: 'GET',
    path: '/dockstep/v1/gate',
    handler: (call) => sendJson(call.res, 200, call.engine.stepping.status),
  },
  { method: 'POST', path: '/dockstep/v1/gate/step', handler: stepMode },
  { method: 'POST', path: '/dockstep/v1/gate/breakpoints', handler: addBreakpoint },
  {
    method: 'DELETE',
    path: '/dockstep/v1/gate/breakpoints',
    handler: (call) => (call.engine.stepping.clearBreakpoints(), sendEmpty(call.res, 204)),
  },
  { method: 'POST', path: '/dockstep/v1/gate/release', handler: release },
];

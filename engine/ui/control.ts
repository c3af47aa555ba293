// A page's frames (src/wire/live.ts ClientFrame), checked and applied to the engine's gate
// (engine/real/stepping.ts) — the same policies `dockstep gate` sets. Hold turns step mode on
// (every next message is held); step lets the oldest held message go once, or the one it names
// (the next is held again); continue lets every held message go and turns step mode off
// (breakpoints stay). Both say which messages they let go. A read-only
// page's control frame is refused with a reason the page shows.
import { isParticipant } from '../../src/model/participants.ts';
import type { BreakpointSpec } from '../../src/wire/breakpoints.ts';
import type { Hold } from '../../src/wire/gate.ts';
import { CONTROL_TYPES, type ClientFrame, type LiveBreakpoint } from '../../src/wire/live.ts';
import type { Stepping } from '../real/stepping.ts';

export class FrameError extends Error {}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function breakpointOf(spec: unknown): LiveBreakpoint {
  if (!isObject(spec))
    throw new FrameError('a breakpoint is an object: {"layer"|"op"|"call"|"container": "…"}');
  const { layer, direction, op, call, container } = spec;
  if (typeof layer === 'string') {
    if (direction !== undefined && direction !== 'to' && direction !== 'from' && direction !== 'any')
      throw new FrameError(`unknown direction ${JSON.stringify(direction)}: use to, from or any`);
    return direction === undefined ? { layer } : { layer, direction };
  }
  if (typeof op === 'string') return { op };
  if (typeof call === 'string') return { call };
  if (typeof container === 'string') return { container };
  throw new FrameError(`a breakpoint names a layer, op, call or container, got ${JSON.stringify(spec)}`);
}

/** The message id a step names: a positive integer. */
function heldId(id: unknown): number {
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1)
    throw new FrameError(`a step names a held message by its id, got ${JSON.stringify(id)}`);
  return id;
}

/** A frame's text as a ClientFrame, or a FrameError saying what is wrong with it. */
export function parseFrame(text: string): ClientFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new FrameError('a frame is one JSON object');
  }
  if (!isObject(value) || typeof value.type !== 'string') throw new FrameError('a frame has a "type"');
  const type = value.type;
  if (type === 'break') return { type, spec: breakpointOf(value.spec) };
  if (type === 'command') {
    if (typeof value.line !== 'string') throw new FrameError('a command frame has a "line" of text');
    return { type, line: value.line };
  }
  if (type === 'step') return value.id === undefined ? { type } : { type, id: heldId(value.id) };
  if (type === 'hold' || type === 'continue' || type === 'clear' || type === 'evidence') return { type };
  throw new FrameError(`unknown frame type ${JSON.stringify(type)}`);
}

export function isControl(frame: ClientFrame): boolean {
  return CONTROL_TYPES.has(frame.type);
}

function specOf(b: LiveBreakpoint): BreakpointSpec {
  if ('layer' in b) {
    if (!isParticipant(b.layer)) throw new FrameError(`unknown layer ${JSON.stringify(b.layer)}`);
    return { layer: b.layer, direction: b.direction ?? 'any' };
  }
  return b;
}

/**
 * Apply a control frame to the gate; returns the holds it let go (a step: one; a continue: every
 * one), which the trace's hold record names too.
 */
export function applyControl(stepping: Stepping, frame: ClientFrame): Hold[] {
  switch (frame.type) {
    case 'hold':
      stepping.stepMode(true);
      return [];
    case 'step': {
      const released = stepping.release(frame.id);
      if (released !== undefined) return [released];
      throw new FrameError(
        frame.id === undefined
          ? 'no message is held at the gate'
          : `message ${frame.id} is not held at the gate`,
      );
    }
    case 'continue': {
      // Every held message is let go, also those the step mode alone held.
      const released = stepping.releaseAll();
      stepping.stepMode(false);
      return released;
    }
    case 'break':
      try {
        stepping.addBreakpoint(specOf(frame.spec));
      } catch (error) {
        throw new FrameError(error instanceof Error ? error.message : String(error));
      }
      return [];
    case 'clear':
      stepping.clearBreakpoints();
      return [];
    case 'evidence':
    case 'command':
      return [];
  }
}

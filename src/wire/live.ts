import type { TraceEntry } from '../model/trace.ts';
import type { LayerState } from '../views/layerStates.ts';
import type { Breakpoint, BreakpointSpec, Direction } from './breakpoints.ts';
import type { Hold } from './gate.ts';

/**
 * The live protocol: what a real engine's UI server (engine/ui/) and the site's live mode
 * (site/live/) say to each other over one WebSocket, one JSON object a frame. The server sends
 * the engine's trace as it happens and the gate's state; a page allowed control (the engine
 * started with `--ui-control`) may hold, step, continue and set breakpoints, and send docker
 * command lines that the engine's own CLI runs (engine/ui/console.ts). A read-only page's control
 * message is answered `refused`, never obeyed.
 *
 * Glossary:
 * - record: one entry of the engine's trace stream, numbered (`n`), with the root request it
 *   belongs to (engine/real/traceHub.ts): a message or event, a layer's state, or the holds.
 * - gate: step mode, the breakpoints and the message held now (engine/real/stepping.ts).
 * - evidence: what the host shows right now for the objects the held message is about, read
 *   from /proc and the engine's run directory when asked.
 */
export type LiveRecord = { n: number; root?: number } & (
  { entry: TraceEntry } | { step: number; state: LayerState } | HoldRecord
);

/**
 * The gate's holds changed: every message held now, oldest first, each naming its request
 * (`root`); `hold` is the oldest (the one a step releases), null when nothing is held; `released`
 * names the messages this change let go (a step: the one it released; a continue: all of them).
 */
export interface HoldRecord {
  hold: Hold | null;
  holds: Hold[];
  released: Hold[];
}

export interface LiveGate {
  stepMode: boolean;
  breakpoints: Breakpoint[];
  /** The oldest message held: the one a step releases. */
  held: Hold | null;
  /** Every message held, oldest first: one per request, the others' requests go on. */
  holds: Hold[];
}

/** A breakpoint as the page can name it: JSON only (no RegExp). */
export type LiveBreakpoint =
  { layer: string; direction?: Direction } | { op: string } | { call: string } | { container: string };

/** The kernel's view of a container's objects (a field is absent when the host has none yet). */
export interface LiveEvidence {
  /** The container the held message is about (its id), when it names one. */
  container?: string;
  bundle?: string;
  /** The bundle's config.json, as runc reads it: present once written. */
  config?: { bytes: number; args?: string[]; text?: string };
  /** Mount points under the bundle (the rootfs overlay), as /proc/self/mountinfo shows them. */
  mounts: string[];
  shimPid?: number;
  init?: {
    pid: number;
    /** `State:` of /proc/<pid>/status (S sleeping, …). */
    state?: string;
    cmdline?: string;
    /** /proc/<pid>/ns inodes, and whether each differs from the engine's own. */
    namespaces: { type: string; inode: number; fresh: boolean }[];
    cgroup?: string;
  };
  /** Why nothing more could be read (no container named, the engine runs no containers). */
  note?: string;
}

export type ServerFrame =
  | { type: 'hello'; control: boolean; gate: LiveGate }
  | { type: 'records'; records: LiveRecord[] }
  /** The gate's state; after a step or a continue, the messages it let go (`released`). */
  | { type: 'gate'; gate: LiveGate; released?: Hold[] }
  | { type: 'evidence'; evidence: LiveEvidence | null }
  | { type: 'refused'; reason: string }
  /** A console line was taken: its request id is the root of its records (its output). */
  | { type: 'command'; id: number; line: string }
  /** The docker CLI of console line `id` exited. */
  | { type: 'exit'; id: number; code: number }
  | { type: 'error'; message: string };

export type ClientFrame =
  | { type: 'hold' }
  /** Let the oldest held message go once, or the held message `id` (Hold.next.id). */
  | { type: 'step'; id?: number }
  | { type: 'continue' }
  | { type: 'break'; spec: LiveBreakpoint }
  | { type: 'clear' }
  | { type: 'evidence' }
  /** A docker command line for the engine's own CLI (control only). */
  | { type: 'command'; line: string };

/** The control frames (everything but asking for evidence, which only reads). */
export const CONTROL_TYPES: ReadonlySet<string> = new Set([
  'hold',
  'step',
  'continue',
  'break',
  'clear',
  'command',
]);

/** The WebSocket's path on the UI server (the page is served at `/`). */
export const LIVE_PATH = '/live';

export type { BreakpointSpec };

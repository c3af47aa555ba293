import { PARTICIPANTS, type Layer } from '../model/participants.ts';

/**
 * Each layer's machine as the inspector shows it: its own state value, the state of every
 * machine it has spawned (a task, a shim, a snapshot, an endpoint, an API operation), and its
 * tables (context collections such as containerd's containers or dockerd's images), counted and
 * keyed. Read-only: it only reads `getSnapshot()`, so the world is left as it was. The site's
 * inspector shows them for a simulated world; the real engine's trace stream carries the state of
 * the layer each message reached, step by step (a real run cannot be replayed to rebuild it).
 */
export interface MachineState {
  id: string;
  value: string;
}

export interface LayerTable {
  name: string;
  /** Entries in a collection; undefined for a scalar (then `value` holds it). */
  size?: number;
  value?: string;
  /** The newest few entries' keys, oldest first. */
  keys: string[];
}

export interface LayerState {
  layer: Layer;
  value: string;
  machines: MachineState[];
  tables: LayerTable[];
}

interface SnapshotLike {
  value?: unknown;
  context?: unknown;
  children?: Record<string, unknown>;
}

interface RefLike {
  id?: unknown;
  src?: unknown;
  getSnapshot(): unknown;
}

/** Plumbing every layer carries; not state a learner would look at. */
const SKIP = new Set(['wire', 'ports', 'profile', 'clock', 'trace', 'waiters']);
const MAX_KEYS = 6;

function isRef(x: unknown): x is RefLike {
  return (
    typeof x === 'object' && x !== null && typeof (x as { getSnapshot?: unknown }).getSnapshot === 'function'
  );
}

function snapshotOf(ref: RefLike): SnapshotLike {
  const snap = ref.getSnapshot();
  return typeof snap === 'object' && snap !== null ? (snap as SnapshotLike) : {};
}

/** `{}` → '', `'running'` → 'running', `{ a: 'b', c: { d: 'e' } }` → 'a.b, c.d.e'. */
export function stateText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return '';
  return Object.entries(value)
    .map(([k, v]) => {
      const inner = stateText(v);
      return inner ? `${k}.${inner}` : k;
    })
    .join(', ');
}

/** Ids and digests are 64 hex digits; 12 are enough to tell them apart, as docker prints them. */
export function shortIds(text: string): string {
  return text.replace(/[0-9a-f]{64}/g, (h) => `${h.slice(0, 12)}…`);
}

function machinesOf(snap: SnapshotLike): MachineState[] {
  return Object.entries(snap.children ?? {}).flatMap(([key, child]) => {
    if (!isRef(child)) return [];
    // Unnamed children get xstate's generated ids (`x:9`); their logic's name says more.
    const named = typeof child.id === 'string' && !/^(x:\d+|undefined)$/.test(child.id);
    const name = named ? String(child.id) : typeof child.src === 'string' ? child.src : key;
    return [{ id: shortIds(name), value: stateText(snapshotOf(child).value) }];
  });
}

function isPlain(x: object): boolean {
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function tablesOf(owner: object, prefix: string, nested: boolean): LayerTable[] {
  const out: LayerTable[] = [];
  for (const [name, v] of Object.entries(owner)) {
    if (SKIP.has(name) || typeof v === 'function' || isRef(v)) continue;
    const full = prefix + name;
    // The newest entries (a table's keys in insertion order): what a step just added shows.
    const keys = (ks: Iterable<unknown>) => [...ks].slice(-MAX_KEYS).map((k) => shortIds(String(k)));
    if (v instanceof Map || v instanceof Set)
      out.push({ name: full, size: v.size, keys: keys(v instanceof Map ? v.keys() : v.values()) });
    else if (Array.isArray(v)) out.push({ name: full, size: v.length, keys: [] });
    else if (typeof v === 'object' && v !== null && isPlain(v))
      out.push({ name: full, size: Object.keys(v).length, keys: keys(Object.keys(v)) });
    else if (typeof v === 'object' && v !== null && !nested) out.push(...tablesOf(v, `${full}.`, true));
    else if (!nested && v !== null && v !== undefined && typeof v !== 'object')
      out.push({ name: full, value: String(v), keys: [] });
  }
  return out;
}

/** The layers' actors of a world, simulated or real. */
export interface WithActors {
  actors: Partial<Record<Layer, unknown>>;
}

/** One layer's state now, or undefined when the world has no actor for it. */
export function readLayerState(world: WithActors, layer: Layer): LayerState | undefined {
  const ref: unknown = world.actors[layer];
  if (!isRef(ref)) return undefined;
  const snap = snapshotOf(ref);
  const context = typeof snap.context === 'object' && snap.context !== null ? snap.context : {};
  return {
    layer,
    value: stateText(snap.value),
    machines: machinesOf(snap),
    tables: tablesOf(context, '', false),
  };
}

export function readLayerStates(world: WithActors): LayerState[] {
  return PARTICIPANTS.flatMap((p) => (p === 'User' ? [] : (readLayerState(world, p) ?? [])));
}

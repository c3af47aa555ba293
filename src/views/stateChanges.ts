import type { Layer } from '../model/participants.ts';
import type { LayerState, LayerTable, MachineState } from './layerStates.ts';

/**
 * What one step changed, read from the layers' state records before and after it (the records
 * the inspector shows, and the real engine's trace stream carries for each step: see
 * layerStates.ts). Nothing is known per command or per layer: a machine spawned or gone (a
 * snapshot, a task, a shim, an API operation), a machine's state moved, entries added to or
 * removed from a table (an image name, an endpoint, a container), a scalar changed.
 */
export interface MachineChange {
  id: string;
  /** Its state before the step; undefined when it was spawned by it. */
  from?: string;
  /** Its state after the step; undefined when it was stopped by it. */
  to?: string;
}

export interface TableChange {
  name: string;
  added: string[];
  removed: string[];
  /** The entry count or the scalar, before and after, when it changed. */
  from?: string;
  to?: string;
}

export interface LayerChange {
  layer: Layer;
  /** The layer machine's own state, before and after, when it moved. */
  value?: [string, string];
  machines: MachineChange[];
  tables: TableChange[];
}

function machineChanges(before: readonly MachineState[], after: readonly MachineState[]): MachineChange[] {
  const was = new Map(before.map((m) => [m.id, m.value]));
  const now = new Map(after.map((m) => [m.id, m.value]));
  const changed: MachineChange[] = [];
  for (const m of after) {
    const from = was.get(m.id);
    if (!was.has(m.id)) changed.push({ id: m.id, to: m.value });
    else if (from !== m.value) changed.push({ id: m.id, from, to: m.value });
  }
  for (const m of before) if (!now.has(m.id)) changed.push({ id: m.id, from: m.value });
  return changed;
}

/** A table's count or scalar as text: `3` for a collection, its value for a scalar. */
function measure(t: LayerTable | undefined): string | undefined {
  if (!t) return undefined;
  return t.size === undefined ? (t.value ?? '') : String(t.size);
}

function tableChange(before: LayerTable | undefined, after: LayerTable): TableChange | undefined {
  const was = new Set(before?.keys ?? []);
  const now = new Set(after.keys);
  // Only the newest few keys are recorded: a key that left a full window was not removed,
  // unless the table shrank.
  const whole = (after.size ?? 0) <= after.keys.length;
  const shrank = (after.size ?? 0) < (before?.size ?? 0);
  const added = after.keys.filter((k) => !was.has(k));
  const removed = whole || shrank ? (before?.keys ?? []).filter((k) => !now.has(k)) : [];
  const [from, to] = [measure(before), measure(after)];
  if (added.length === 0 && removed.length === 0 && from === to) return undefined;
  return { name: after.name, added, removed, ...(from !== to ? { from: from ?? '', to: to ?? '' } : {}) };
}

/** What changed in one layer between two of its records (before undefined: it is new). */
export function layerChange(before: LayerState | undefined, after: LayerState): LayerChange | undefined {
  const tablesBefore = new Map((before?.tables ?? []).map((t) => [t.name, t]));
  const tables = after.tables.flatMap((t) => tableChange(tablesBefore.get(t.name), t) ?? []);
  const machines = machineChanges(before?.machines ?? [], after.machines);
  const was = before?.value ?? '';
  if (tables.length === 0 && machines.length === 0 && was === after.value) return undefined;
  return {
    layer: after.layer,
    ...(was !== after.value ? { value: [was, after.value] } : {}),
    machines,
    tables,
  };
}

/** What changed in every layer between two sets of records (the world before and after a step). */
export function stateChanges(before: readonly LayerState[], after: readonly LayerState[]): LayerChange[] {
  const was = new Map(before.map((s) => [s.layer, s]));
  return after.flatMap((s) => layerChange(was.get(s.layer), s) ?? []);
}
